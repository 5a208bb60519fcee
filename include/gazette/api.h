/* api.h - the handlers of the v1 API, one file per resource in src/api/.
 * Handlers see struct req, json_t and the store; never SQL or MHD. */
#ifndef GAZETTE_API_H
#define GAZETTE_API_H

#include "gazette/http.h"

/* Takes the body of POST /v1/import as it arrives. */
enum err api_import_prepare(struct req *rq);

handler_fn api_articles_list;
handler_fn api_articles_get;
handler_fn api_articles_create;
handler_fn api_articles_replace;
handler_fn api_articles_patch;
handler_fn api_articles_delete;
handler_fn api_import;
handler_fn api_themes_create;
handler_fn api_themes_patch;
handler_fn api_themes_delete;
handler_fn api_themes_retag;
handler_fn api_officials_patch;
handler_fn api_officials_merge;
handler_fn api_keys_list;
handler_fn api_keys_get;
handler_fn api_keys_create;
handler_fn api_keys_revoke;
handler_fn api_themes_list;
handler_fn api_themes_get;
handler_fn api_officials_list;
handler_fn api_officials_get;
handler_fn api_official_quotes;
handler_fn api_organizations_list;
handler_fn api_organizations_get;
handler_fn api_quotes_list;
handler_fn api_search;
handler_fn api_facets;
handler_fn api_timeline;
handler_fn api_export;
handler_fn api_healthz;
handler_fn api_metrics;
handler_fn api_openapi;
handler_fn api_readyz;
handler_fn api_index;
handler_fn api_web_index;
handler_fn api_web_file;

#endif
