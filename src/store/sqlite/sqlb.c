/* sqlb.c - SQL built from fixed fragments, with every value from a
 * request bound as a numbered parameter. */
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "sqlite.h"

void
sqlb_init(struct sqlb *q)
{
    buf_init(&q->sql);
    q->n = 0;
    q->dense = 0;
}

void
sqlb_release(struct sqlb *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->v[i].text);
    buf_release(&q->sql);
}

/* Appends a parameter placeholder bound to a copy of text. */
void
sqlb_text(struct sqlb *q, const char *text)
{
    /* the number of filters is bounded by struct filter, so this holds */
    if (q->n >= SQLB_MAX_BINDS)
        abort();
    q->v[q->n].kind = BIND_TEXT;
    q->v[q->n].text = xstrdup(text);
    q->n++;
    buf_addf(&q->sql, "?%d", q->n);
}

void
sqlb_real(struct sqlb *q, double d)
{
    if (q->n >= SQLB_MAX_BINDS)
        abort();
    q->v[q->n].kind = BIND_REAL;
    q->v[q->n].d = d;
    q->v[q->n].text = NULL;
    q->n++;
    buf_addf(&q->sql, "?%d", q->n);
}

void
sqlb_int(struct sqlb *q, int64_t i)
{
    if (q->n >= SQLB_MAX_BINDS)
        abort();
    q->v[q->n].kind = BIND_INT;
    q->v[q->n].i = i;
    q->v[q->n].text = NULL;
    q->n++;
    buf_addf(&q->sql, "?%d", q->n);
}

/* Appends a placeholder bound to the JSON text of v (stolen). */
void
sqlb_json(struct sqlb *q, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT);

    sqlb_text(q, text != NULL ? text : "[]");
    free(text);
    json_decref(v);
}

void
sqlb_bind(const struct sqlb *q, sqlite3_stmt *st)
{
    for (int i = 0; i < q->n; i++) {
        if (q->v[i].kind == BIND_INT)
            sqlite3_bind_int64(st, i + 1, q->v[i].i);
        else if (q->v[i].kind == BIND_REAL)
            sqlite3_bind_double(st, i + 1, q->v[i].d);
        else
            sqlite3_bind_text(st, i + 1, q->v[i].text, -1, SQLITE_STATIC);
    }
}

/* "(SELECT id FROM table WHERE slug IN (...) OR id IN (...))": the rows of
 * table named by the values, each an id or a slug.  table is a constant. */
void
sqlb_ident_one(struct sqlb *q, const char *table, const char *value)
{
    int64_t id;

    if (all_digits(value) && parse_int64(value, &id)) {
        buf_addf(&q->sql, "(SELECT id FROM %s WHERE id = ", table);
        sqlb_int(q, id);
    } else {
        buf_addf(&q->sql, "(SELECT id FROM %s WHERE slug = ", table);
        sqlb_text(q, value);
    }
    buf_adds(&q->sql, ")");
}

void
sqlb_ident_set(struct sqlb *q, const char *table, const struct strlist *l)
{
    json_t *slugs = json_array(), *ids = json_array();

    for (size_t i = 0; i < l->n; i++) {
        int64_t id;

        if (all_digits(l->v[i]) && parse_int64(l->v[i], &id))
            json_array_append_new(ids, json_integer(id));
        else
            json_array_append_new(slugs, json_string(l->v[i]));
    }
    buf_addf(&q->sql, "(SELECT id FROM %s WHERE slug IN (SELECT value FROM json_each(",
             table);
    sqlb_json(q, slugs);
    buf_adds(&q->sql, ")) OR id IN (SELECT value FROM json_each(");
    sqlb_json(q, ids);
    buf_adds(&q->sql, ")))");
}

/* Organizations named by the values, and their departments, down to
 * the departments of departments (UNION: each once, whatever the links). */
void
sqlb_org_set(struct sqlb *q, const struct strlist *l)
{
    buf_adds(&q->sql, "(WITH RECURSIVE sub(id) AS (SELECT id FROM organizations"
                      " WHERE id IN ");
    sqlb_ident_set(q, "organizations", l);
    buf_adds(&q->sql, " UNION SELECT o.id FROM organizations o JOIN sub"
                      " ON o.parent_id = sub.id) SELECT id FROM sub)");
}

void
sqlb_strlist(struct sqlb *q, const struct strlist *l)
{
    if (l->n == 1) { /* "IN (?)" lets the planner use an index in order */
        buf_addc(&q->sql, '(');
        sqlb_text(q, l->v[0]);
        buf_addc(&q->sql, ')');
        return;
    }
    json_t *a = json_array();

    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_string(l->v[i]));
    buf_adds(&q->sql, "(SELECT value FROM json_each(");
    sqlb_json(q, a);
    buf_adds(&q->sql, "))");
}

/* Renders a parsed full-text query in FTS5's syntax: every term a quoted
 * string (quotes doubled), so no user text is read as an operator. */
static void
fts_term(struct buf *b, const struct tq_term *t)
{
    buf_addc(b, '"');
    for (const char *c = t->text; *c != '\0'; c++) {
        if (*c == '"')
            buf_addc(b, '"');
        buf_addc(b, *c);
    }
    buf_addc(b, '"');
    if (t->prefix)
        buf_adds(b, " *");
}

void
fts_render(struct buf *b, const struct text_query *tq)
{
    bool any_neg = false;

    buf_addc(b, '(');
    for (int g = 0; g < tq->ngroups; g++) {
        bool first = true;

        buf_adds(b, g == 0 ? "(" : " AND (");
        for (size_t i = 0; i < tq->n; i++) {
            if (tq->terms[i].negated || tq->terms[i].group != g)
                continue;
            if (!first)
                buf_adds(b, " OR ");
            first = false;
            fts_term(b, &tq->terms[i]);
        }
        buf_addc(b, ')');
    }
    buf_addc(b, ')');
    for (size_t i = 0; i < tq->n; i++) {
        if (!tq->terms[i].negated)
            continue;
        buf_adds(b, any_neg ? " OR " : " NOT (");
        any_neg = true;
        fts_term(b, &tq->terms[i]);
    }
    if (any_neg)
        buf_addc(b, ')');
}

/* Appends a placeholder bound to the FTS5 form of tq. */
void
sqlb_match(struct sqlb *q, const struct text_query *tq)
{
    struct buf b;

    buf_init(&b);
    fts_render(&b, tq);
    sqlb_text(q, b.data);
    buf_release(&b);
}

bool
filter_is_empty(const struct filter *f)
{
    return f->theme.n == 0 && f->official.n == 0 && f->organization.n == 0 &&
           f->source.n == 0 && f->language.n == 0 && f->from == NULL && f->to == NULL &&
           f->q == NULL && f->updated_since[0] == '\0';
}
