/* enrich.c - completing article records by extraction before they are
 * stored. */
#include "common.h"

enum err
api_enrich(struct store *st, json_t *article, struct err_info *ei)
{
    (void)st;
    (void)article;
    (void)ei;
    return ERR_OK;
}
