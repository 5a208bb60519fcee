/* reader.c - records from a stream in the raw text format, NDJSON or a
 * JSON array, read incrementally so that memory stays bounded by one
 * record whatever the size of the input. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazette/buf.h"
#include "gazette/ingest.h"
#include "gazette/xalloc.h"

struct ingest_reader {
    FILE *f;
    char *name;
    enum ingest_format fmt;
    long line;       /* lines consumed */
    uint64_t offset; /* bytes consumed */
    char *lbuf;      /* getline's buffer */
    size_t lcap;
    bool have_pending; /* text: a header line read ahead */
    struct buf pending;
    long pending_line;
    int state; /* json: 0 before '[', 1 inside, 2 done, 3 objects one after
                  another (no '['), 4 after ']' */
    bool eof;
};

int
ingest_format_parse(const char *name)
{
    static const char *const names[] = {"auto", "text", "ndjson", "json"};

    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static enum ingest_format
format_from_name(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (dot == NULL)
        return FMT_AUTO;
    if (strcasecmp(dot, ".ndjson") == 0 || strcasecmp(dot, ".jsonl") == 0)
        return FMT_NDJSON;
    if (strcasecmp(dot, ".json") == 0)
        return FMT_JSON;
    if (strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".text") == 0)
        return FMT_TEXT;
    return FMT_AUTO;
}

static enum ingest_format
format_from_content(FILE *f)
{
    int c;

    while ((c = getc(f)) != EOF && isspace(c))
        ; /* leading blanks are given back below only as far as one byte */
    if (c == EOF)
        return FMT_NDJSON;
    ungetc(c, f);
    if (c == '[')
        return FMT_JSON;
    if (c == '{')
        return FMT_NDJSON;
    return FMT_TEXT;
}

/* Consumes a UTF-8 byte order mark at the start of f, which editors on
 * some systems write before any text (JSON's RFC 8259 lets a reader ignore
 * it); true if there was one. */
static bool
skip_bom(FILE *f)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    int got[3], n = 0;

    while (n < 3 && (got[n] = getc(f)) == bom[n])
        n++;
    if (n == 3)
        return true;
    if (got[n] != EOF)
        ungetc(got[n], f);
    while (n > 0) /* a partial mark: given back (glibc keeps several) */
        ungetc(got[--n], f);
    return false;
}

struct ingest_reader *
ingest_reader_new(FILE *f, const char *name, enum ingest_format fmt)
{
    struct ingest_reader *r = xcalloc(1, sizeof(*r));

    r->f = f;
    r->name = xstrdup(name);
    if (skip_bom(f))
        r->offset = 3;
    if (fmt == FMT_AUTO)
        fmt = format_from_name(name);
    if (fmt == FMT_AUTO)
        fmt = format_from_content(f);
    r->fmt = fmt;
    buf_init(&r->pending);
    return r;
}

void
ingest_reader_free(struct ingest_reader *r)
{
    if (r == NULL)
        return;
    free(r->lbuf);
    free(r->name);
    buf_release(&r->pending);
    free(r);
}

uint64_t
ingest_offset(const struct ingest_reader *r)
{
    return r->offset;
}

void
ingest_reader_set_line(struct ingest_reader *r, long base)
{
    r->line = base;
}

/* Reads one line; returns its length without the newline, or -1 at EOF. */
static ssize_t
read_line(struct ingest_reader *r)
{
    ssize_t n = getline(&r->lbuf, &r->lcap, r->f);

    if (n < 0)
        return -1;
    r->line++;
    r->offset += (uint64_t)n;
    if (n > 0 && r->lbuf[n - 1] == '\n')
        n--;
    if (n > 0 && r->lbuf[n - 1] == '\r')
        n--;
    r->lbuf[n] = '\0';
    return n;
}

static enum err
io_error(struct ingest_reader *r, struct err_info *ei)
{
    return err_set(ei, ERR_IO, "reading %s failed", r->name);
}

static json_t *
decode_object(const char *text, size_t len, struct err_info *ei)
{
    json_error_t jerr;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);

    if (v == NULL) {
        err_set(ei, ERR_INVALID, "invalid JSON: %s (column %d)", json_error_said(&jerr),
                jerr.column);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        err_set(ei, ERR_INVALID, "a record must be a JSON object");
        return NULL;
    }
    return v;
}

static enum err
next_ndjson(struct ingest_reader *r, json_t **out, long *line, struct err_info *ei)
{
    ssize_t n;

    while ((n = read_line(r)) >= 0) {
        const char *p = r->lbuf;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            continue;
        *line = r->line;
        if ((size_t)n > INGEST_MAX_LINE)
            return err_set(ei, ERR_INVALID, "the line is longer than %u bytes",
                           INGEST_MAX_LINE);
        *out = decode_object(r->lbuf, (size_t)n, ei);
        return *out != NULL ? ERR_OK : ei->code;
    }
    if (ferror(r->f))
        return io_error(r, ei);
    return ERR_OK;
}

static enum err
next_text(struct ingest_reader *r, json_t **out, long *line, struct err_info *ei)
{
    struct buf text;
    ssize_t n;
    bool started = r->have_pending;

    buf_init(&text);
    if (r->have_pending) {
        buf_add(&text, r->pending.data, r->pending.len);
        buf_addc(&text, '\n');
        *line = r->pending_line;
        r->have_pending = false;
    }
    while ((n = read_line(r)) >= 0) {
        if (raw_is_header(r->lbuf, (size_t)n)) {
            if (started) {
                buf_reset(&r->pending);
                buf_add(&r->pending, r->lbuf, (size_t)n);
                r->pending_line = r->line;
                r->have_pending = true;
                break;
            }
            started = true;
            *line = r->line;
        } else if (!started) {
            bool blank = true;

            for (ssize_t i = 0; i < n && blank; i++)
                blank = isspace((unsigned char)r->lbuf[i]);
            if (blank)
                continue;
            started = true; /* text without a header: reported by raw_parse */
            *line = r->line;
        }
        if (text.len + (size_t)n > ARTICLE_MAX_BODY + ARTICLE_MAX_TITLE) {
            buf_release(&text);
            /* skip to the next header so that reading can go on */
            while ((n = read_line(r)) >= 0) {
                if (raw_is_header(r->lbuf, (size_t)n)) {
                    buf_reset(&r->pending);
                    buf_add(&r->pending, r->lbuf, (size_t)n);
                    r->pending_line = r->line;
                    r->have_pending = true;
                    break;
                }
            }
            return err_set(ei, ERR_INVALID, "the article is longer than %u bytes",
                           ARTICLE_MAX_BODY);
        }
        buf_add(&text, r->lbuf, (size_t)n);
        buf_addc(&text, '\n');
    }
    if (n < 0 && ferror(r->f)) {
        buf_release(&text);
        return io_error(r, ei);
    }
    if (started)
        *out = raw_parse(text.data, text.len, ei);
    buf_release(&text);
    return started && *out == NULL ? ei->code : ERR_OK;
}

static int
get_byte(struct ingest_reader *r)
{
    int c = getc(r->f);

    if (c != EOF) {
        r->offset++;
        if (c == '\n')
            r->line++;
    }
    return c;
}

static int
skip_space(struct ingest_reader *r)
{
    int c;

    while ((c = get_byte(r)) != EOF && isspace(c))
        ;
    return c;
}

/* Copies one array element, whose first byte is c, into text, tracking
 * nesting and strings only as far as needed to find where it ends.
 * Returns the first byte after it that is not blank: ',' or ']' for a
 * well-formed array, EOF at the end of the input.  With alone (objects
 * one after another, no array), stops after the value's closing brace,
 * returning it. */
static int
scan_value(struct ingest_reader *r, int c, struct buf *text, bool *too_long, bool alone)
{
    bool in_string = false, escape = false;
    int depth = 0;

    for (; c != EOF; c = get_byte(r)) {
        if (!in_string && depth == 0) {
            if (c == ',' || c == ']')
                return c;
            if (isspace(c))
                continue;
        }
        if (text->len <= INGEST_MAX_LINE)
            buf_addc(text, (char)c);
        else
            *too_long = true;
        if (in_string) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            if (alone && depth == 0)
                return c;
        }
    }
    return EOF;
}

static enum err
next_json(struct ingest_reader *r, json_t **out, long *line, struct err_info *ei)
{
    struct buf text;
    bool too_long = false, alone;
    int c;

    if (r->state == 2)
        return ERR_OK;
    c = skip_space(r);
    *line = r->line + 1;
    if (r->state == 4) {
        /* what follows the array's end must be blank */
        r->state = 2;
        return c == EOF
                   ? ERR_OK
                   : err_set(ei, ERR_INVALID, "text after the end of the JSON array");
    }
    if (r->state == 0) {
        r->state = 1;
        if (c == EOF) {
            r->state = 2;
            return ERR_OK;
        }
        if (c == '{') {
            /* objects rather than an array of them: one, or one after
             * another (NDJSON in a file named .json) */
            r->state = 3;
        } else if (c != '[') {
            r->state = 2;
            return err_set(ei, ERR_INVALID, "a JSON import must be an array of objects");
        } else {
            c = skip_space(r);
            *line = r->line + 1;
            if (c == ']') {
                r->state = 4;
                return next_json(r, out, line, ei);
            }
        }
    }
    alone = r->state == 3;
    if (c == EOF) {
        r->state = 2;
        if (alone && !ferror(r->f))
            return ERR_OK;
        return ferror(r->f) ? io_error(r, ei)
                            : err_set(ei, ERR_INVALID, "the JSON array is not closed");
    }
    if (alone && c != '{') {
        /* not an object: the rest of its line goes, the next may be one */
        while (c != '\n' && c != EOF)
            c = get_byte(r);
        return err_set(ei, ERR_INVALID,
                       "a JSON import must be objects, or an array of them");
    }
    buf_init(&text);
    c = scan_value(r, c, &text, &too_long, alone);
    if (alone) {
        if (c == EOF)
            r->state = 2; /* not closed: said by the decoder below */
    } else if (c == ']') {
        r->state = 4;
    } else if (c != ',') {
        r->state = 2;
        buf_release(&text);
        return err_set(ei, ERR_INVALID, "the JSON array is not closed");
    }
    if (too_long) {
        buf_release(&text);
        return err_set(ei, ERR_INVALID, "the record is longer than %u bytes",
                       INGEST_MAX_LINE);
    }
    *out = decode_object(text.data, text.len, ei);
    buf_release(&text);
    return *out != NULL ? ERR_OK : ei->code;
}

enum err
ingest_next(struct ingest_reader *r, json_t **out, long *line, struct err_info *ei)
{
    *out = NULL;
    *line = r->line + 1;
    switch (r->fmt) {
    case FMT_NDJSON:
        return next_ndjson(r, out, line, ei);
    case FMT_JSON:
        return next_json(r, out, line, ei);
    default:
        return next_text(r, out, line, ei);
    }
}
