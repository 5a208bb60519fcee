/* extract.c - extract_article(): checks the text, runs the stages of
 * internal.h over it and writes what they found as JSON;
 * extract_themes(): the themes stage alone. */
#include <string.h>

#include "gazette/extract.h"
#include "gazette/ingest.h"
#include "gazette/util.h"
#include "internal.h"

/* Everything found in one article; released together. */
struct found {
    struct doc doc;
    struct acronyms acr;
    struct names names;
    struct people people;
    struct stmts stmts;
    struct orgs orgs;
};

static void
found_run(struct found *f, const char *body, size_t len)
{
    doc_init(&f->doc, body, len);
    acronyms_scan(&f->acr, &f->doc);
    names_scan(&f->names, &f->doc, &f->acr);
    people_build(&f->people, &f->names, &f->doc);
    quotes_find(&f->stmts, &f->doc, &f->names, &f->people);
    orgs_collect(&f->orgs, &f->doc, &f->acr, &f->people);
}

static void
found_release(struct found *f)
{
    orgs_release(&f->orgs);
    stmts_release(&f->stmts);
    people_release(&f->people);
    names_release(&f->names);
    acronyms_release(&f->acr);
    doc_release(&f->doc);
}

/* The result is built with jansson's constructors rather than
 * json_pack(), whose format parsing cost as much as a stage of the
 * extraction.  Every string comes from the body (checked to be UTF-8, cut
 * at code-point boundaries) or from the word lists, so the constructors
 * that skip the UTF-8 check are safe here. */

/* s, or NULL when it is longer than a stored name or title may be: a run
 * of words that long ("deputydeputy...") is no name, and an article with it
 * could not be stored, exported and imported again. */
static const char *
short_text(const char *s)
{
    return s != NULL && strlen(s) <= ARTICLE_MAX_SHORT ? s : NULL;
}

static json_t *
str_json(const char *s)
{
    return s != NULL ? json_string_nocheck(s) : json_null();
}

/* {"name": name} with more members to come. */
static json_t *
named_json(const char *name)
{
    json_t *o = json_object();

    json_object_set_new_nocheck(o, "name", json_string_nocheck(name));
    return o;
}

/* {"name", "parent": {"name", "parent": null} | null}, or null. */
static json_t *
org_json(const char *name, const char *parent)
{
    json_t *o, *p = json_null();

    name = short_text(name);
    parent = short_text(parent);
    if (name == NULL)
        return json_null();
    if (parent != NULL) {
        p = named_json(parent);
        json_object_set_new_nocheck(p, "parent", json_null());
    }
    o = named_json(name);
    json_object_set_new_nocheck(o, "parent", p);
    return o;
}

static json_t *
quote_json(const struct found *f, const struct stmt *s)
{
    const struct entity *e = &f->people.ent[s->entity];
    json_t *q = json_object();

    json_object_set_new_nocheck(q, "text",
                                json_stringn_nocheck(f->doc.text + s->b0, s->b1 - s->b0));
    json_object_set_new_nocheck(q, "kind",
                                json_string_nocheck(s->direct ? "direct" : "indirect"));
    json_object_set_new_nocheck(q, "start", json_integer((json_int_t)s->c0));
    json_object_set_new_nocheck(q, "end", json_integer((json_int_t)s->c1));
    json_object_set_new_nocheck(q, "official", named_json(e->name));
    json_object_set_new_nocheck(q, "title", str_json(short_text(e->role.title)));
    json_object_set_new_nocheck(q, "organization", org_json(e->role.org, e->role.parent));
    return q;
}

static json_t *
quotes_json(const struct found *f)
{
    json_t *arr = json_array();

    for (size_t k = 0; k < f->stmts.n; k++) {
        const struct stmt *s = &f->stmts.s[k];

        if (short_text(f->people.ent[s->entity].name) == NULL)
            continue; /* no speaker that could be stored */
        json_array_append_new(arr, quote_json(f, s));
    }
    return arr;
}

static json_t *
orgs_json(const struct found *f)
{
    json_t *arr = json_array();

    for (size_t k = 0; k < f->orgs.n; k++) {
        const struct org *o = &f->orgs.o[k];
        const char *parent = short_text(o->parent);
        json_t *j;

        if (short_text(o->name) == NULL)
            continue;
        j = named_json(o->name);
        json_object_set_new_nocheck(j, "parent",
                                    parent != NULL ? named_json(parent) : json_null());
        json_array_append_new(arr, j);
    }
    return arr;
}

/* Whether title (may be NULL) and body are text extraction can read;
 * sets ei when not. */
static bool
text_ok(const char *title, const char *body, size_t body_len, struct err_info *ei)
{
    if (body == NULL && body_len > 0) {
        err_set(ei, ERR_INVALID, "body is missing");
        return false;
    }
    if (body_len > 0 && !utf8_valid(body, body_len)) {
        err_set(ei, ERR_INVALID, "body is not valid UTF-8 text (or contains a NUL byte)");
        return false;
    }
    if (title != NULL && !utf8_valid(title, strlen(title))) {
        err_set(ei, ERR_INVALID, "title is not valid UTF-8 text");
        return false;
    }
    return true;
}

json_t *
extract_themes(const struct extract_catalog *cat, const char *title, const char *body,
               size_t body_len, struct err_info *ei)
{
    if (!text_ok(title, body, body_len, ei))
        return NULL;
    return themes_match(cat, title, body != NULL ? body : "", body_len);
}

json_t *
extract_article(const struct extract_catalog *cat, const char *title, const char *body,
                size_t body_len, struct err_info *ei)
{
    struct found f;
    json_t *out;

    if (!text_ok(title, body, body_len, ei))
        return NULL;
    if (body == NULL)
        body = "";
    memset(&f, 0, sizeof(f));
    found_run(&f, body, body_len);
    out = json_object();
    json_object_set_new_nocheck(out, "quotes", quotes_json(&f));
    json_object_set_new_nocheck(out, "organizations", orgs_json(&f));
    json_object_set_new_nocheck(out, "themes", themes_match(cat, title, body, body_len));
    found_release(&f);
    if (out == NULL)
        err_set(ei, ERR_INVALID, "could not build the extraction result");
    return out;
}
