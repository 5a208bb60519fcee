/* list.c - list and object requests shared by every resource: parameter
 * whitelists, filters, keyset cursors, projections and the envelope. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/cursor.h"
#include "gazette/xalloc.h"

static const struct {
    const char *name;
    enum sort_key key;
} sort_names[] = {
    {"id", SORT_ID},
    {"published", SORT_PUBLISHED},
    {"title", SORT_TITLE},
    {"slug", SORT_SLUG},
    {"name", SORT_NAME},
    {"updated_at", SORT_UPDATED},
    {"article_count", SORT_ARTICLE_COUNT},
    {"quote_count", SORT_QUOTE_COUNT},
    {"official_count", SORT_OFFICIAL_COUNT},
    {"last_seen", SORT_LAST_SEEN},
    {"relevance", SORT_RELEVANCE},
};

/* Parameters every list takes, and the filters by their bit. */
static const char *const list_params[] = {"limit",         "cursor",  "sort",
                                          "fields",        "include", "count",
                                          "updated_since", "format",  NULL};
static const struct {
    const char *name;
    unsigned bit;
} filter_params[] = {
    {"theme", F_THEME},
    {"official", F_OFFICIAL},
    {"organization", F_ORGANIZATION},
    {"source", F_SOURCE},
    {"language", F_LANGUAGE},
    {"from", F_FROM},
    {"to", F_TO},
    {"q", F_Q},
};

void
api_query_release(struct api_query *p)
{
    for (size_t i = 0; i < p->nowned; i++)
        free(p->owned[i]);
    json_decref(p->pg.after);
    text_query_release(&p->tq);
}

static bool
listed(const char *const *list, const char *s)
{
    for (; list != NULL && *list != NULL; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static void
join(struct buf *b, const char *const *list)
{
    for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
        if (i > 0)
            buf_adds(b, ", ");
        buf_adds(b, list[i]);
    }
}

static unsigned
filter_bit(const char *name)
{
    for (size_t i = 0; i < sizeof(filter_params) / sizeof(filter_params[0]); i++)
        if (strcmp(filter_params[i].name, name) == 0)
            return filter_params[i].bit;
    return 0;
}

/* Complains about every parameter the request may not have. */
void
api_check_names(struct req *rq, const char *const *allowed, unsigned filters)
{
    for (size_t i = 0; i < rq->nparams; i++) {
        const char *name = rq->params[i].name;
        struct buf b;

        if (listed(allowed, name) || (filter_bit(name) & filters))
            continue;
        buf_init(&b);
        join(&b, allowed);
        for (size_t k = 0; k < sizeof(filter_params) / sizeof(filter_params[0]); k++)
            if (filters & filter_params[k].bit)
                buf_addf(&b, "%s%s", b.len ? ", " : "", filter_params[k].name);
        err_field(&rq->ei, name, "unknown parameter \"%.40s\"; allowed: %s", name,
                  b.len ? b.data : "none");
        buf_release(&b);
    }
}

/* A parameter that may appear once. */
const char *
api_single(struct req *rq, const char *name)
{
    const char *v = NULL;

    for (size_t i = 0; i < rq->nparams; i++) {
        if (strcmp(rq->params[i].name, name) != 0)
            continue;
        if (v != NULL) {
            err_field(&rq->ei, name, "%s may be given only once", name);
            return NULL;
        }
        v = rq->params[i].value;
    }
    return v;
}

/* Splits every value of parameter name at commas into l (OR'd values). */
static void
multi(struct req *rq, struct api_query *p, const char *name, struct strlist *l)
{
    for (size_t i = 0; i < rq->nparams; i++) {
        char *copy, *tok, *save = NULL;

        if (strcmp(rq->params[i].name, name) != 0)
            continue;
        copy = xstrdup(rq->params[i].value);
        p->owned[p->nowned++] = copy;
        for (tok = strtok_r(copy, ",", &save); tok != NULL;
             tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ')
                tok++;
            size_t n = strlen(tok);
            while (n > 0 && tok[n - 1] == ' ')
                tok[--n] = '\0';
            if (n == 0)
                continue;
            if (l->n == FILTER_MAX_VALUES) {
                err_field(&rq->ei, name, "%s takes at most %d values", name,
                          FILTER_MAX_VALUES);
                return;
            }
            l->v[l->n++] = tok;
        }
    }
}

/* Splits a comma list parameter and checks each name against allowed. */
static void
name_list(struct req *rq, struct api_query *p, const char *param,
          const char *const *allowed, const char **out, size_t max, size_t *n)
{
    const char *v = api_single(rq, param);
    char *copy, *tok, *save = NULL;

    *n = 0;
    if (v == NULL)
        return;
    copy = xstrdup(v);
    p->owned[p->nowned++] = copy;
    for (tok = strtok_r(copy, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*tok == '\0')
            continue;
        if (!listed(allowed, tok)) {
            struct buf b;

            buf_init(&b);
            join(&b, allowed);
            err_field(&rq->ei, param, "%s: unknown name \"%.40s\"; allowed: %s", param,
                      tok, b.len ? b.data : "none");
            buf_release(&b);
            continue;
        }
        if (*n < max)
            out[(*n)++] = tok;
    }
}

static void
parse_sort(struct req *rq, const struct list_rules *rules, struct page *pg)
{
    const char *v = api_single(rq, "sort"), *name;
    struct buf b;

    if (v == NULL)
        v = rules->default_sort;
    pg->desc = v[0] == '-';
    name = pg->desc ? v + 1 : v;
    if (listed(rules->sorts, name)) {
        for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
            if (strcmp(sort_names[i].name, name) == 0)
                pg->sort = sort_names[i].key;
        return;
    }
    buf_init(&b);
    join(&b, rules->sorts);
    err_field(
        &rq->ei, "sort",
        "sort must be one of %s, with - in front for descending order; not \"%.40s\"",
        b.data, v);
    buf_release(&b);
}

void
api_parse_int(struct req *rq, const char *name, int min, int max, int dflt, int *out)
{
    const char *v = api_single(rq, name);
    int64_t n;

    *out = dflt;
    if (v == NULL)
        return;
    if (!parse_int64(v, &n) || n < min || n > max)
        err_field(&rq->ei, name, "%s must be an integer between %d and %d", name, min,
                  max);
    else
        *out = (int)n;
}

static void
parse_bool(struct req *rq, const char *name, bool *out)
{
    const char *v = api_single(rq, name);

    *out = false;
    if (v == NULL)
        return;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = true;
    else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
        err_field(&rq->ei, name, "%s must be true or false", name);
}

static void
parse_date(struct req *rq, const char *name, const char **out)
{
    const char *v = api_single(rq, name);

    *out = NULL;
    if (v == NULL)
        return;
    if (!date_valid(v))
        err_field(&rq->ei, name, "%s must be a date written YYYY-MM-DD, not \"%.40s\"",
                  name, v);
    else
        *out = v;
}

/* Reads an updated_since timestamp.  A "+" in a query string stands for
 * a space, so 2024-01-31T12:00:00+01:00 typed into a URL as it is arrives
 * with a space where its offset's sign was: that space is taken for "+". */
static bool
since_parse(const char *v, char out[TIMESTAMP_LEN])
{
    size_t n = strlen(v);
    char fixed[64];

    if (n > 16 && n < sizeof(fixed) && v[n - 6] == ' ' && v[n - 3] == ':') {
        memcpy(fixed, v, n + 1);
        fixed[n - 6] = '+';
        return timestamp_normalize(fixed, out);
    }
    return timestamp_normalize(v, out);
}

void
api_parse_filters(struct req *rq, struct api_query *p, unsigned allowed)
{
    struct filter *f = &p->f;
    const char *since = api_single(rq, "updated_since");

    if (allowed & F_THEME)
        multi(rq, p, "theme", &f->theme);
    if (allowed & F_OFFICIAL)
        multi(rq, p, "official", &f->official);
    if (allowed & F_ORGANIZATION)
        multi(rq, p, "organization", &f->organization);
    if (allowed & F_SOURCE)
        multi(rq, p, "source", &f->source);
    if (allowed & F_LANGUAGE)
        multi(rq, p, "language", &f->language);
    if (allowed & F_FROM)
        parse_date(rq, "from", &f->from);
    if (allowed & F_TO)
        parse_date(rq, "to", &f->to);
    if (f->from != NULL && f->to != NULL && strcmp(f->from, f->to) > 0)
        err_field(&rq->ei, "from", "from (%s) is after to (%s)", f->from, f->to);
    if (allowed & F_Q) {
        p->qtext = api_single(rq, "q");
        if (p->qtext != NULL &&
            text_query_parse(p->qtext, "q", &p->tq, &rq->ei) == ERR_OK)
            f->q = &p->tq;
    }
    if (since != NULL && !since_parse(since, f->updated_since))
        err_field(&rq->ei, "updated_since",
                  "updated_since must be an RFC 3339 timestamp such as "
                  "2024-01-31T12:00:00Z, not \"%.40s\"",
                  since);
}

/* A canonical text of everything that decides which rows a list has and
 * in which order, so that a cursor only works for the query it came from. */
static void
scope_text(struct buf *b, const struct list_rules *rules, const struct api_query *p)
{
    const struct strlist *lists[] = {&p->f.theme, &p->f.official, &p->f.organization,
                                     &p->f.source, &p->f.language};

    buf_addf(b, "%s|%d|%d", rules->name, (int)p->pg.sort, (int)p->pg.desc);
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        buf_addc(b, '|');
        for (size_t k = 0; k < lists[i]->n; k++)
            buf_addf(b, "%s\x1f", lists[i]->v[k]);
    }
    buf_addf(b, "|%s|%s|%s|%s", p->f.from ? p->f.from : "", p->f.to ? p->f.to : "",
             p->qtext ? p->qtext : "", p->f.updated_since);
}

static bool
has_field(const struct api_query *p, const char *name)
{
    for (size_t i = 0; i < p->nfields; i++)
        if (strcmp(p->fields[i], name) == 0)
            return true;
    return false;
}

static unsigned
include_bit(const char *name)
{
    if (strcmp(name, "body") == 0)
        return INC_BODY;
    if (strcmp(name, "themes") == 0)
        return INC_THEMES;
    if (strcmp(name, "quotes") == 0)
        return INC_QUOTES;
    if (strcmp(name, "officials") == 0)
        return INC_OFFICIALS;
    return 0;
}

static void
parse_shape(struct req *rq, struct api_query *p, const struct list_rules *rules,
            unsigned base)
{
    const char *inc[8];
    size_t ninc;

    p->pg.include = base;
    name_list(rq, p, "include", rules->includes, inc, 8, &ninc);
    for (size_t i = 0; i < ninc; i++)
        p->pg.include |= include_bit(inc[i]);
    name_list(rq, p, "fields", rules->fields, p->fields, 32, &p->nfields);
    /* asking for an embeddable field is asking to embed it */
    for (size_t i = 0; i < p->nfields; i++)
        if (listed(rules->includes, p->fields[i]))
            p->pg.include |= include_bit(p->fields[i]);
}

/* Keeps only the requested top-level fields of obj. */
static void
project(json_t *obj, const struct api_query *p)
{
    const char *key;
    json_t *v;
    void *tmp;

    if (p->nfields == 0 || !json_is_object(obj))
        return;
    json_object_foreach_safe (obj, tmp, key, v) {
        if (!has_field(p, key))
            json_object_del(obj, key);
    }
}

/* The URL of the next page: this request's path and parameters, with the
 * cursor replaced. */
static void
next_link(struct buf *b, const struct req *rq, const char *cursor)
{
    static const char unreserved[] = "-._~";

    buf_adds(b, rq->path);
    buf_addc(b, '?');
    for (size_t i = 0; i < rq->nparams; i++) {
        if (strcmp(rq->params[i].name, "cursor") == 0)
            continue;
        for (int part = 0; part < 2; part++) {
            const unsigned char *s =
                (const unsigned char *)(part == 0 ? rq->params[i].name
                                                  : rq->params[i].value);

            for (; *s != '\0'; s++) {
                if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                    (*s >= '0' && *s <= '9') || strchr(unreserved, *s) != NULL)
                    buf_addc(b, (char)*s);
                else
                    buf_addf(b, "%%%02X", *s);
            }
            buf_addc(b, part == 0 ? '=' : '&');
        }
    }
    buf_addf(b, "cursor=%s", cursor);
}

/* Nested objects, spread over one CSV column per field. */
static const struct {
    const char *field;
    const char *sub[7];
} nested[] = {
    {"organization", {"id", "slug", "name", "parent.id", "parent.slug", "parent.name"}},
    {"parent", {"id", "slug", "name"}},
    {"official", {"id", "slug", "name"}},
    {"article", {"id", "slug", "title", "published"}},
};

static void
add_columns(json_t *cols, const char *field)
{
    for (size_t i = 0; i < sizeof(nested) / sizeof(nested[0]); i++) {
        if (strcmp(nested[i].field, field) != 0)
            continue;
        for (size_t k = 0; nested[i].sub[k] != NULL; k++) {
            struct buf b;

            buf_init(&b);
            buf_addf(&b, "%s.%s", field, nested[i].sub[k]);
            json_array_append_new(cols, json_string(b.data));
            buf_release(&b);
        }
        return;
    }
    json_array_append_new(cols, json_string(field));
}

json_t *
api_csv_columns(const struct list_rules *rules, const struct api_query *aq)
{
    json_t *cols = json_array();

    if (aq->nfields > 0) {
        for (size_t i = 0; i < aq->nfields; i++)
            add_columns(cols, aq->fields[i]);
        return cols;
    }
    for (size_t i = 0; rules->fields[i] != NULL; i++) {
        const char *f = rules->fields[i];

        if (listed(rules->single_only, f) ||
            (listed(rules->includes, f) && !(aq->pg.include & include_bit(f))))
            continue;
        add_columns(cols, f);
    }
    return cols;
}

/* Checks the names of a list's parameters: those of every list, the
 * list's own, and its filters. */
static void
check_list_names(struct req *rq, const struct list_rules *rules)
{
    const char *allowed[24];
    size_t n = 0;

    for (size_t i = 0; list_params[i] != NULL; i++)
        allowed[n++] = list_params[i];
    for (size_t i = 0; rules->extra_params != NULL && rules->extra_params[i] != NULL; i++)
        if (n < 23)
            allowed[n++] = rules->extra_params[i];
    allowed[n] = NULL;
    api_check_names(rq, allowed, rules->filters);
}

static void
parse_marks(struct req *rq, struct page *pg)
{
    pg->mark_start = api_single(rq, "highlight_start");
    pg->mark_end = api_single(rq, "highlight_end");
    if (pg->mark_start != NULL && strlen(pg->mark_start) > 32)
        err_field(&rq->ei, "highlight_start", "highlight_start is longer than 32 bytes");
    if (pg->mark_end != NULL && strlen(pg->mark_end) > 32)
        err_field(&rq->ei, "highlight_end", "highlight_end is longer than 32 bytes");
}

enum err
api_list(struct req *rq, struct resp *rs, const struct list_rules *rules,
         const struct filter *fixed)
{
    unsigned char key[32];
    struct api_query p;
    const char *cursor;
    json_t *result = NULL, *data, *item;
    enum err rc;
    size_t i;

    memset(&p, 0, sizeof(p));
    check_list_names(rq, rules);
    req_format(rq, &p.format);
    api_parse_int(rq, "limit", 1, 100, 20, &p.pg.limit);
    parse_sort(rq, rules, &p.pg);
    parse_bool(rq, "count", &p.pg.count);
    api_parse_filters(rq, &p, rules->filters);
    if (fixed != NULL && fixed->official.n > 0)
        p.f.official = fixed->official;
    parse_shape(rq, &p, rules, rules->list_include);
    parse_marks(rq, &p.pg);
    if (rules->q_required && p.qtext == NULL && rq->ei.code == ERR_OK)
        err_field(&rq->ei, "q", "q is required: the words to search for");
    cursor = api_single(rq, "cursor");
    if (rq->ei.code != ERR_OK)
        goto out;
    if (store_secret(rq->store, key, &rq->ei) != ERR_OK)
        goto out;
    if (cursor != NULL) {
        struct buf scope;

        buf_init(&scope);
        scope_text(&scope, rules, &p);
        p.pg.after = cursor_decode(key, scope.data, cursor, &rq->ei);
        buf_release(&scope);
        if (p.pg.after == NULL)
            goto out;
    }
    if (store_list(rq->store, rules->res, &p.f, &p.pg, &result, &rq->ei) != ERR_OK)
        goto out;
    data = json_object_get(result, "data");
    json_array_foreach (data, i, item) {
        project(item, &p);
    }
    json_t *next = json_object_get(result, "next");
    if (json_is_array(next)) {
        struct buf scope, link;
        char *text;

        buf_init(&scope);
        buf_init(&link);
        scope_text(&scope, rules, &p);
        text = cursor_encode(key, scope.data, next);
        next_link(&link, rq, text);
        resp_header(rs, "Link", "<%s>; rel=\"next\"", link.data);
        json_object_set_new(result, "next_cursor", json_string(text));
        free(text);
        buf_release(&scope);
        buf_release(&link);
    } else {
        json_object_set_new(result, "next_cursor", json_null());
    }
    json_object_del(result, "next");
    if (p.pg.count) { /* keep "total" last, as documented */
        json_t *total = json_incref(json_object_get(result, "total"));

        json_object_del(result, "total");
        json_object_set_new(result, "total", total);
    }
    rs->body = result;
    rs->format = p.format;
    if (p.format == OUT_CSV)
        rs->columns = api_csv_columns(rules, &p);
    result = NULL;
out:
    rc = rq->ei.code;
    json_decref(result);
    api_query_release(&p);
    return rc;
}

enum err
api_get(struct req *rq, struct resp *rs, const struct list_rules *rules,
        const char *ident)
{
    static const char *const get_params[] = {"fields", "include", NULL};
    struct api_query p;
    json_t *obj = NULL;

    memset(&p, 0, sizeof(p));
    api_check_names(rq, get_params, 0);
    parse_shape(rq, &p, rules, 0);
    if (rq->ei.code == ERR_OK &&
        store_get(rq->store, rules->res, ident, p.pg.include, &obj, &rq->ei) == ERR_OK) {
        project(obj, &p);
        rs->body = obj;
    }
    api_query_release(&p);
    return rq->ei.code;
}
