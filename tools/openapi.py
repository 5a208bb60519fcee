#!/usr/bin/env python3
"""Writes docs/openapi.json: the OpenAPI 3.1 description of gazette's HTTP
API.  The description lives here in a compact form; the JSON is generated,
committed, compiled into the binary and served at /v1/openapi.json.  Tests
check it against the route table and with an OpenAPI validator.

usage: tools/openapi.py [OUTPUT]"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"oneOf": [schema, {"type": "null"}]}


def obj(props, required=None, extra=False):
    o = {"type": "object", "properties": props}
    if required:
        o["required"] = required
    if not extra:
        o["additionalProperties"] = False
    return o


S, I, N, B = ({"type": "string"}, {"type": "integer"}, {"type": "number"},
              {"type": "boolean"})
DATE = {"type": "string", "format": "date"}
TS = {"type": "string", "format": "date-time"}
OPT_S = nullable(S)

SCHEMAS = {
    "Problem": obj({
        "type": S, "title": S, "status": I, "detail": S, "instance": S,
        "errors": {"type": "array", "items": obj({"field": S, "message": S},
                                                 ["field", "message"])}},
        ["type", "title", "status"]),
    "ThemeRef": obj({"slug": S, "name": S}, ["slug", "name"]),
    "OrganizationRef": obj({"id": I, "slug": S, "name": S}, ["id", "slug", "name"]),
    "OrganizationInQuote": obj({"id": I, "slug": S, "name": S,
                                "parent": nullable(ref("OrganizationRef"))},
                               ["id", "slug", "name", "parent"]),
    "OfficialRef": obj({"id": I, "slug": S, "name": S}, ["id", "slug", "name"]),
    "ArticleRef": obj({"id": I, "slug": S, "title": S, "published": DATE},
                      ["id", "slug", "title", "published"]),
    "Quote": obj({
        "id": I, "kind": {"enum": ["direct", "indirect"]}, "text": S,
        "start": nullable(I), "end": nullable(I), "official": ref("OfficialRef"),
        "title": OPT_S, "organization": nullable(ref("OrganizationInQuote")),
        "article": ref("ArticleRef"), "created_at": TS, "updated_at": TS},
        ["id", "kind", "text", "official"]),
    "OfficialInArticle": obj({"id": I, "slug": S, "name": S, "title": OPT_S,
                              "organization": nullable(ref("OrganizationInQuote"))}),
    "Article": obj({
        "id": I, "slug": S, "title": S, "published": DATE, "source": OPT_S,
        "url": nullable({"type": "string", "format": "uri"}), "language": S, "summary": S,
        "body": S, "themes": {"type": "array", "items": ref("ThemeRef")},
        "quotes": {"type": "array", "items": ref("Quote")},
        "officials": {"type": "array", "items": ref("OfficialInArticle")},
        "score": N,
        "snippet": {"type": "string", "description":
                    "a passage of about 24 words around the matches, which are between the "
                    "highlight markers; … where the text goes on. With the default markers "
                    "an HTML fragment (the text escaped), with others plain text"},
        "created_at": TS, "updated_at": TS}),
    "Theme": obj({"id": I, "slug": S, "name": S, "description": S,
                  "keywords": {"type": "array", "items": S}, "article_count": I,
                  "created_at": TS, "updated_at": TS}),
    "Official": obj({"id": I, "slug": S, "name": S, "title": OPT_S,
                     "organization": nullable(ref("OrganizationInQuote")),
                     "quote_count": I, "article_count": I, "first_seen": nullable(DATE),
                     "last_seen": nullable(DATE), "created_at": TS, "updated_at": TS}),
    "Organization": obj({
        "id": I, "slug": S, "name": S, "parent": nullable(ref("OrganizationRef")),
        "official_count": I,
        "officials": {"type": "array", "items": obj({"id": I, "slug": S, "name": S,
                                                     "title": OPT_S, "quote_count": I})},
        "departments": {"type": "array", "items": ref("OrganizationRef")},
        "created_at": TS,
        "updated_at": dict(TS, description="also moves when an official joins or leaves "
                           "the organization (official_count changes)")}),
    "FacetRow": obj({"value": S, "name": OPT_S, "count": I}, ["value", "count"]),
    "Facets": obj({"field": S, "data": {"type": "array", "items": ref("FacetRow")},
                   "values": dict(I, description="how many values there are in all, "
                                  "beyond limit too"),
                   "other": dict(I, description="the sum of the counts of the values "
                                 "left out by limit")},
                  ["field", "data", "values", "other"]),
    "TimelineRow": obj({"period": S, "start": DATE, "count": I},
                       ["period", "start", "count"]),
    "Timeline": obj({"interval": S, "of": S,
                     "data": {"type": "array", "items": ref("TimelineRow")}},
                    ["interval", "of", "data"]),
    "Key": obj({"id": I, "name": S, "scope": {"enum": ["write", "admin"]}, "prefix": S,
                "created_at": TS, "revoked_at": nullable(TS), "key": S},
               ["id", "name", "scope", "prefix", "created_at"]),
    "KeyInput": obj({"name": S, "scope": {"enum": ["write", "admin"]}}, ["name", "scope"]),
    "OrganizationInput": nullable(obj({"name": S, "parent": {
        "oneOf": [S, ref("OrganizationInput")]}}, ["name"], extra=True)),
    "QuoteInput": obj({
        "text": S, "kind": {"enum": ["direct", "indirect"]}, "start": nullable(I),
        "end": nullable(I), "official": {"oneOf": [S, obj({"name": S}, ["name"], extra=True)]},
        "title": OPT_S, "organization": {"oneOf": [S, ref("OrganizationInput")]}},
        ["text", "official"], extra=True),
    "ArticleInput": obj({
        "slug": S, "title": S, "published": S, "source": OPT_S, "url": OPT_S,
        "language": S, "summary": OPT_S, "body": S,
        "themes": {"type": "array", "items": {"oneOf": [S, obj({"slug": S, "name": S},
                                                              ["slug"], extra=True)]}},
        "quotes": {"type": "array", "items": ref("QuoteInput")},
        "id": {}, "created_at": {}, "updated_at": {}, "officials": {}},
        ["title", "published", "body"]),
    "ThemeInput": obj({"slug": S, "name": S,
                       "description": dict(OPT_S, description="null: an empty text"),
                       "keywords": {"type": ["array", "null"], "items": S,
                                    "description": "null: no phrases"}}),
    "OfficialPatch": obj({"name": S, "title": OPT_S,
                          "organization": {"oneOf": [S, ref("OrganizationInput")]}}),
    "MergeInput": obj({"from": {
        "type": "array", "items": {"oneOf": [S, I]}, "minItems": 1, "maxItems": 32,
        "description": "the officials (ids or slugs) to merge into this one; "
                       "one named more than once is merged once"}}, ["from"]),
    "ImportResult": obj({
        "inserted": I, "updated": I, "unchanged": I, "failed": I,
        "results": {"type": "array", "items": obj({
            "record": {"type": "integer",
                       "description": "the record's place in the body, from 1"},
            "line": {"type": "integer", "description": "the line the record starts on"},
            "status": {"enum": ["inserted", "updated", "unchanged", "failed"]},
            "id": I, "error": S, "errors": {"type": "array"}}, ["record", "line", "status"])},
        "results_truncated": B},
        ["inserted", "updated", "unchanged", "failed", "results"]),
    "Status": obj({"status": S}, ["status"]),
}


def envelope(item):
    return obj({"data": {"type": "array", "items": ref(item)},
                "next_cursor": OPT_S, "total": I}, ["data", "next_cursor"])


def q(name, schema, desc, required=False, where="query"):
    p = {"name": name, "in": where, "schema": schema, "description": desc}
    if required:
        p["required"] = True
    if where == "query" and name in ("theme", "official", "organization", "source",
                                     "language"):
        p["style"] = "form"
        p["explode"] = True
    return p


PATH_ID = q("id", S, "integer id or slug", True, "path")
PATH_SLUG = q("slug", S, "the theme's slug", True, "path")
LIMIT = q("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
          "items per page")
CURSOR = q("cursor", S, "next_cursor of the previous page (opaque, signed)")
FIELDS = q("fields", S, "comma list of top-level fields to return")
COUNT = q("count", B, "add the exact total")
SINCE = q("updated_since", TS,
          "only rows created or changed at or after this time (an offset's + may be left "
          "unescaped; an article also changes when a theme link is added or removed, or "
          "its quotes move to another official)")
FORMAT = q("format", {"enum": ["json", "csv", "ndjson"]},
           "representation (else from Accept)")
FILTERS = {
    "theme": q("theme", S, "theme slug; repeat or comma-separate for OR"),
    "official": q("official", S, "official id or slug; OR when repeated"),
    "organization": q("organization", S,
                      "organization id or slug, with its departments at any depth; OR when "
                      "repeated"),
    "source": q("source", S, "publication, without the case of ASCII letters; OR when "
                         "repeated"),
    "language": q("language", S, "BCP 47 tag, whole, without case; OR when repeated"),
    "from": q("from", DATE, "published on or after"),
    "to": q("to", DATE, "published on or before"),
    "q": q("q", S, "full-text query: words, \"phrases\", -excluded, a OR b, prefix*"),
}
ARTICLE_FILTERS = list(FILTERS.values())


def sort(values, default):
    allowed = [v for s in values for v in (s, "-" + s)]
    return q("sort", {"enum": allowed, "default": default},
             "sort key; - in front for descending")


def problem(desc, headers=None):
    p = {"description": desc,
         "content": {"application/problem+json": {"schema": ref("Problem")}}}
    if headers:
        p["headers"] = headers
    return p


RETRY = {"Retry-After": {"description": "seconds to wait before trying again",
                         "schema": {"type": "integer"}}}


ERRORS = {
    "400": problem("a bad parameter or body (errors lists each)"),
    "404": problem("no such object"),
    "405": problem("the path does not take this method"),
    "500": problem("a fault of the server"),
}
LIST_ERRORS = dict(ERRORS, **{"406": problem("Accept allows none of the formats")})
WRITE_ERRORS = dict(ERRORS, **{
    "401": problem("no API key, or an unknown or revoked one"),
    "403": problem("the key's scope does not allow this"),
    "413": problem("the body is too large"),
    "415": problem("the body's media type is not taken"),
    "503": problem("the database is busy (another writer held it for 5 s) or "
                   "unavailable", RETRY),
})
# writes to an object that GET shows: If-Match / If-None-Match on its ETag
IF_MATCH = q("If-Match", S, "ETags (or *) of the representation the write expects, as a "
             "GET without parameters gave them (plain or gzip); another state is a 412",
             where="header")
IF_NONE_MATCH = q("If-None-Match", S, "ETags (or *) the representation must not have",
                  where="header")
CONDITIONS = [IF_MATCH, IF_NONE_MATCH]
COND_WRITE_ERRORS = dict(WRITE_ERRORS, **{
    "412": problem("If-Match names none of the current representation's ETags, or "
                   "If-None-Match names it")})


def json_ok(schema, desc="OK", code="200", headers=None):
    r = {"description": desc, "content": {"application/json": {"schema": schema}}}
    if headers:
        r["headers"] = headers
    return {code: r}


LINK = {"Link": {"description": "the next page: <url>; rel=\"next\"",
                 "schema": S},
        "ETag": {"description": "validator for If-None-Match", "schema": S}}


def list_ok(item):
    return {"200": {
        "description": "a page of the list",
        "headers": LINK,
        "content": {"application/json": {"schema": envelope(item)},
                    "text/csv": {"schema": S},
                    "application/x-ndjson": {"schema": S}}},
        "304": {"description": "not modified (If-None-Match)"}}


def rows_ok(schema):
    return {"200": {"description": "OK",
                    "content": {"application/json": {"schema": schema},
                                "text/csv": {"schema": S},
                                "application/x-ndjson": {"schema": S}}},
            "304": {"description": "not modified (If-None-Match)"}}


def op(summary, params, responses, tag, body=None, security=None):
    o = {"summary": summary, "tags": [tag], "parameters": params,
         "responses": responses}
    if body is not None:
        o["requestBody"] = body
    if security is not None:
        o["security"] = [{"bearer": []}]
        o["x-scope"] = security
    return o


def body(schema, types=("application/json",)):
    return {"required": True, "content": {t: {"schema": schema} for t in types}}


def list_op(summary, item, sorts, default, filters, tag, extra=()):
    params = [LIMIT, CURSOR, sort(sorts, default), FIELDS, COUNT, SINCE, FORMAT]
    params += [FILTERS[f] for f in filters] + list(extra)
    return op(summary, params, dict(list_ok(item), **LIST_ERRORS), tag)


INCLUDE = q("include", S, "comma list of related objects to embed: body, themes, quotes, "
            "officials")
EXTRACT = q("extract", B, "find quotes and themes in the text (default true)")
A = "articles"
PATHS = {
    "/": {"get": op("the web page", [], {"200": {"description": "HTML",
                                                 "content": {"text/html": {"schema": S}}}},
                    "web")},
    "/ui/{file}": {"get": op("a file of the web page", [q("file", S, "file name", True,
                                                          "path")],
                             {"200": {"description": "the file",
                                      "content": {"*/*": {"schema": S}}},
                              "404": problem("no such file")}, "web")},
    "/v1": {"get": op("index of the API", [], json_ok(obj({}, extra=True)), "meta")},
    "/healthz": {"get": op("liveness", [], json_ok(ref("Status")), "meta")},
    "/readyz": {"get": op("readiness: database reachable and migrated", [],
                          dict(json_ok(ref("Status")),
                               **{"503": problem("not ready", RETRY)}), "meta")},
    "/metrics": {"get": op("Prometheus metrics", [], {"200": {
        "description": "text exposition format",
        "content": {"text/plain": {"schema": S}}}}, "meta")},
    "/v1/openapi.json": {"get": op("this description", [],
                                   json_ok(obj({}, extra=True)), "meta")},
    "/v1/articles": {
        "get": list_op("list articles", "Article", ["published", "title", "id",
                                                     "updated_at"], "-published",
                       FILTERS.keys(), A, [INCLUDE]),
        "post": op("create an article", [EXTRACT],
                   dict(json_ok(ref("Article"), "created", "201",
                                {"Location": {"schema": S}}),
                        **WRITE_ERRORS, **{"409": problem("the article exists, or its slug is another's")}),
                   A, body(ref("ArticleInput")), "write")},
    "/v1/articles/{id}": {
        "get": op("one article with body, themes and quotes", [PATH_ID, FIELDS, INCLUDE],
                  dict(json_ok(ref("Article")),
                       **{"304": {"description": "not modified"}}, **ERRORS), A),
        "put": op("replace an article", [PATH_ID, EXTRACT] + CONDITIONS,
                  dict(json_ok(ref("Article")), **COND_WRITE_ERRORS,
                       **{"409": problem("another article has the url or the slug")}),
                  A, body(ref("ArticleInput")), "write"),
        "patch": op("change an article (JSON merge patch, RFC 7396)",
                    [PATH_ID, EXTRACT] + CONDITIONS,
                    dict(json_ok(ref("Article")), **COND_WRITE_ERRORS,
                         **{"409": problem("another article has the url or the slug")}),
                    A, body(obj({}, extra=True), ("application/merge-patch+json",
                                                  "application/json")), "write"),
        "delete": op("delete an article and its quotes", [PATH_ID] + CONDITIONS,
                     dict({"204": {"description": "deleted"}}, **COND_WRITE_ERRORS), A,
                     None, "write")},
    "/v1/import": {"post": op(
        "import articles in bulk", [EXTRACT],
        dict(json_ok(ref("ImportResult")), **WRITE_ERRORS), A,
        {"required": True, "content": {
            "application/x-ndjson": {"schema": S}, "text/plain": {"schema": S},
            "application/json": {"schema": {"type": "array",
                                            "items": ref("ArticleInput")}}}},
        "write")},
    "/v1/themes": {
        "get": list_op("list themes", "Theme", ["slug", "name", "article_count", "id",
                                                "updated_at"], "slug", [], "themes"),
        "post": op("add a theme to the catalog", [],
                   dict(json_ok(ref("Theme"), "created", "201", {"Location": {"schema": S}}),
                        **WRITE_ERRORS, **{"409": problem("the theme exists")}),
                   "themes", body(ref("ThemeInput")), "write")},
    "/v1/themes/{slug}": {
        "get": op("one theme", [PATH_SLUG, FIELDS], dict(json_ok(ref("Theme")), **ERRORS),
                  "themes"),
        "patch": op("change a theme (merge patch)", [PATH_SLUG] + CONDITIONS,
                    dict(json_ok(ref("Theme")), **COND_WRITE_ERRORS), "themes",
                    body(ref("ThemeInput"), ("application/merge-patch+json",
                                             "application/json")), "write"),
        "delete": op("delete a theme and its links", [PATH_SLUG] + CONDITIONS,
                     dict({"204": {"description": "deleted"}}, **COND_WRITE_ERRORS),
                     "themes",
                     None, "write")},
    "/v1/themes/{slug}/retag": {"post": op(
        "tag every article again with this theme's keywords", [PATH_SLUG],
        dict(json_ok(obj({"theme": S, "tagged": I}, ["theme", "tagged"])), **WRITE_ERRORS),
        "themes", None, "write")},
    "/v1/officials": {"get": list_op(
        "list officials", "Official", ["name", "quote_count", "article_count", "last_seen",
                                       "id", "updated_at"], "name",
        ["organization", "theme", "from", "to"], "officials")},
    "/v1/officials/{id}": {
        "get": op("one official", [PATH_ID, FIELDS], dict(json_ok(ref("Official")), **ERRORS),
                  "officials"),
        "patch": op("correct an official's name, title or organization",
                    [PATH_ID] + CONDITIONS,
                    dict(json_ok(ref("Official")), **COND_WRITE_ERRORS,
                         **{"409": problem("another official has that name")}),
                    "officials", body(ref("OfficialPatch"),
                                      ("application/merge-patch+json", "application/json")),
                    "write")},
    "/v1/officials/{id}/merge": {"post": op(
        "merge duplicates into this official", [PATH_ID],
        dict(json_ok(ref("Official")), **WRITE_ERRORS), "officials", body(ref("MergeInput")),
        "write")},
    "/v1/officials/{id}/quotes": {"get": list_op(
        "an official's quotes, newest first", "Quote", ["published", "id", "updated_at"],
        "-published", ["organization", "theme", "source", "language", "from", "to", "q"],
        "officials", [PATH_ID])},
    "/v1/organizations": {"get": list_op(
        "list organizations", "Organization", ["name", "official_count", "id", "updated_at"],
        "name", [], "organizations")},
    "/v1/organizations/{id}": {"get": op(
        "one organization with its officials and departments", [PATH_ID, FIELDS],
        dict(json_ok(ref("Organization")), **ERRORS), "organizations")},
    "/v1/quotes": {"get": list_op(
        "list quotes", "Quote", ["published", "id", "updated_at"], "-published",
        ["official", "organization", "theme", "source", "language", "from", "to", "q"],
        "quotes")},
    "/v1/search": {"get": list_op(
        "full-text search of articles, ranked, with snippets", "Article",
        ["relevance", "published", "id"], "relevance", FILTERS.keys(), "search",
        [INCLUDE, q("highlight_start", S, "marker before matches (default <mark>, with the text "
                               "escaped for HTML; with markers of your own the snippet is "
                               "plain text)"),
         q("highlight_end", S, "marker after matches (default </mark>)")])},
    "/v1/facets": {"get": op(
        "article counts per value of a field",
        [q("field", {"enum": ["theme", "official", "organization", "source", "language",
                              "year", "month"]},
           "what to count by; each count is the total of the article list filtered by"
           " that value", True),
         q("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20},
           "values to return"), SINCE, FORMAT] + ARTICLE_FILTERS,
        dict(rows_ok(ref("Facets")), **LIST_ERRORS), "dashboards")},
    "/v1/timeline": {"get": op(
        "article or quote counts per period, empty periods filled",
        [q("interval", {"enum": ["day", "week", "month", "year"], "default": "month"},
           "period length"),
         q("of", {"enum": ["articles", "quotes"], "default": "articles"}, "what to count"),
         SINCE, FORMAT] + ARTICLE_FILTERS,
        dict(rows_ok(ref("Timeline")), **LIST_ERRORS), "dashboards")},
    "/v1/export/{table}": {"get": op(
        "a whole table, streamed",
        [q("table", {"enum": ["articles", "themes", "officials", "organizations",
                              "quotes"]}, "the table", True, "path"), FORMAT],
        dict(rows_ok({"type": "array", "items": obj({}, extra=True)}), **LIST_ERRORS),
        "dashboards")},
    "/v1/keys": {
        "get": op("list API keys, all on one page", [], dict(json_ok(obj(
            {"data": {"type": "array", "items": ref("Key")}, "next_cursor": {"type": "null"}},
            ["data", "next_cursor"])), **WRITE_ERRORS),
            "keys", None, "admin"),
        "post": op("create an API key; the key is shown only in this answer", [],
                   dict(json_ok(ref("Key"), "created", "201", {"Location": {"schema": S}}),
                        **WRITE_ERRORS), "keys", body(ref("KeyInput")), "admin")},
    "/v1/keys/{id}": {
        "get": op("one API key as the list shows it (never the key itself), revoked ones "
                  "too", [q("id", I, "the key's id", True, "path")],
                  dict(json_ok(ref("Key")), **WRITE_ERRORS), "keys", None, "admin"),
        "delete": op(
            "revoke an API key", [q("id", I, "the key's id", True, "path")],
            dict({"204": {"description": "revoked"}}, **WRITE_ERRORS), "keys", None,
            "admin")},
}

DOC = {
    "openapi": "3.1.0",
    "info": {
        "title": "gazette",
        "version": "1",
        "summary": "policy articles, their themes, the officials quoted in them, and what "
                   "they said",
        "description": "Every GET also answers HEAD and carries a strong ETag; "
                       "If-None-Match gives 304; writes to an object take If-Match. Bodies are gzip-compressed when the "
                       "client accepts it. Writes need Authorization: Bearer <API key> "
                       "(x-scope names the scope). Errors are RFC 9457 problem details. "
                       "Every path answers OPTIONS, and CORS preflights for the origins "
                       "the server allows.",
        "license": {"name": "MIT", "identifier": "MIT"},
    },
    "servers": [{"url": "/"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "an API key from gazette keys "
                                                      "create"}},
    },
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "docs", "openapi.json")
    with open(out, "w") as f:
        json.dump(DOC, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
