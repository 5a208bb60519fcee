/* body.c - request bodies and flags shared by the write handlers. */
#include <string.h>

#include "common.h"

json_t *
api_body_object(struct req *rq)
{
    json_error_t jerr;
    json_t *v;

    if (rq->body.len == 0) {
        err_set(&rq->ei, ERR_INVALID, "the request needs a JSON object as its body");
        return NULL;
    }
    /* any JSON value is read, so that one that is not an object is told as such */
    v = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                   &jerr);
    if (v == NULL) {
        err_set(&rq->ei, ERR_INVALID,
                "the body is not valid JSON: %s (line %d, column %d)",
                json_error_said(&jerr), jerr.line, jerr.column);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        err_set(&rq->ei, ERR_INVALID, "the body must be a JSON object");
        return NULL;
    }
    return v;
}

bool
api_flag(struct req *rq, const char *name, bool dflt)
{
    const char *v = api_single(rq, name);

    if (v == NULL)
        return dflt;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        return true;
    if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return false;
    err_field(&rq->ei, name, "%s must be true or false", name);
    return dflt;
}
