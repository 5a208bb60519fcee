/* extract.c - extract_article(): checks the text, runs the stages of
 * internal.h over it and writes what they found as JSON. */
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

/* s, or NULL when it is longer than a stored name or title may be: a run
 * of words that long ("deputydeputy...") is no name, and an article with it
 * could not be stored, exported and imported again. */
static const char *
short_text(const char *s)
{
    return s != NULL && strlen(s) <= ARTICLE_MAX_SHORT ? s : NULL;
}

/* {"name", "parent": {"name", "parent": null} | null}, or null. */
static json_t *
org_json(const char *name, const char *parent)
{
    name = short_text(name);
    parent = short_text(parent);
    if (name == NULL)
        return json_null();
    return json_pack("{s:s, s:o}", "name", name, "parent",
                     parent != NULL ? json_pack("{s:s, s:n}", "name", parent, "parent")
                                    : json_null());
}

static json_t *
quotes_json(const struct found *f)
{
    json_t *arr = json_array();

    for (size_t k = 0; k < f->stmts.n; k++) {
        const struct stmt *s = &f->stmts.s[k];
        const struct entity *e = &f->people.ent[s->entity];

        if (short_text(e->name) == NULL)
            continue; /* no speaker that could be stored */
        json_array_append_new(
            arr, json_pack("{s:s%, s:s, s:I, s:I, s:{s:s}, s:s?, s:o}", "text",
                           f->doc.text + s->b0, s->b1 - s->b0, "kind",
                           s->direct ? "direct" : "indirect", "start", (json_int_t)s->c0,
                           "end", (json_int_t)s->c1, "official", "name", e->name, "title",
                           short_text(e->role.title), "organization",
                           org_json(e->role.org, e->role.parent)));
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

        if (short_text(o->name) == NULL)
            continue;
        json_array_append_new(
            arr,
            json_pack("{s:s, s:o}", "name", o->name, "parent",
                      parent != NULL ? json_pack("{s:s}", "name", parent) : json_null()));
    }
    return arr;
}

json_t *
extract_article(const struct extract_catalog *cat, const char *title, const char *body,
                size_t body_len, struct err_info *ei)
{
    struct found f;
    json_t *out;

    if (body == NULL && body_len > 0) {
        err_set(ei, ERR_INVALID, "body is missing");
        return NULL;
    }
    if (body_len > 0 && !utf8_valid(body, body_len)) {
        err_set(ei, ERR_INVALID, "body is not valid UTF-8 text (or contains a NUL byte)");
        return NULL;
    }
    if (title != NULL && !utf8_valid(title, strlen(title))) {
        err_set(ei, ERR_INVALID, "title is not valid UTF-8 text");
        return NULL;
    }
    if (body == NULL)
        body = "";
    memset(&f, 0, sizeof(f));
    found_run(&f, body, body_len);
    out = json_pack("{s:o, s:o, s:o}", "quotes", quotes_json(&f), "organizations",
                    orgs_json(&f), "themes", themes_match(cat, title, body, body_len));
    found_release(&f);
    if (out == NULL)
        err_set(ei, ERR_INVALID, "could not build the extraction result");
    return out;
}
