/* normalize.c - checks an article record field by field and brings it
 * into the one shape the store takes.  Every complaint names its field. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/ingest.h"
#include "gazette/util.h"

/* Fields a record may have.  id, created_at and updated_at are accepted
 * (a record exported by gazette has them) and ignored. */
static const char *const known_fields[] = {
    "id",   "slug",    "title",  "published", "source",     "url",        "language",
    "body", "summary", "themes", "quotes",    "created_at", "updated_at", "officials",
};

static bool
is_known(const char *key)
{
    for (size_t i = 0; i < sizeof(known_fields) / sizeof(known_fields[0]); i++)
        if (strcmp(key, known_fields[i]) == 0)
            return true;
    return false;
}

/* A string field: NULL and no complaint when absent or null (unless
 * required); trimmed copies are not made, the value must come trimmed. */
static const char *
get_string(const json_t *in, const char *key, const char *field, bool required,
           size_t max, struct err_info *ei)
{
    const json_t *v = json_object_get(in, key);
    const char *s;

    if (v == NULL || json_is_null(v)) {
        if (required)
            err_field(ei, field, "%s is required", field);
        return NULL;
    }
    if (!json_is_string(v)) {
        err_field(ei, field, "%s must be a string", field);
        return NULL;
    }
    s = json_string_value(v);
    if (json_string_length(v) != strlen(s)) {
        err_field(ei, field, "%s must not contain NUL characters", field);
        return NULL;
    }
    if (json_string_length(v) > max) {
        err_field(ei, field, "%s is longer than %zu bytes", field, max);
        return NULL;
    }
    return s;
}

static bool
blank(const char *s)
{
    for (; *s != '\0'; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* Copies s without leading and trailing white space. */
static json_t *
trimmed(const char *s)
{
    size_t n;

    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return json_stringn(s, n);
}

static bool
language_valid(const char *s)
{
    /* BCP 47 in its common forms: "en", "zh-Hans", "pt-BR", "es-419" */
    size_t n = 0;

    while (isalpha((unsigned char)s[n]))
        n++;
    if (n < 2 || n > 8)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        n = 0;
        while (isalnum((unsigned char)s[n]))
            n++;
        if (n < 1 || n > 8)
            return false;
        s += n;
    }
    return *s == '\0';
}

/* A valid tag in BCP 47's conventional case, in place: the language in
 * lower case, a script in title case ("Hans"), a region in upper case
 * ("BR"); from a singleton ("x-", "u-") on, lower case. */
static void
language_case(char *s)
{
    bool first = true, tail = false;

    while (*s != '\0') {
        size_t n = strcspn(s, "-");

        tail = tail || n == 1;
        for (size_t i = 0; i < n; i++) {
            bool upper = !first && !tail && (n == 2 || (n == 4 && i == 0));

            s[i] = (char)(upper ? toupper((unsigned char)s[i])
                                : tolower((unsigned char)s[i]));
        }
        first = false;
        s += n;
        if (*s == '-')
            s++;
    }
}

static bool
url_valid(const char *s)
{
    if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
        return false;
    for (; *s != '\0'; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return false;
    return true;
}

bool
slug_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 120 || all_digits(s) || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (; *s != '\0'; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
            return false;
    return true;
}

/* The first paragraph of body, for a summary: trimmed, as a given summary
 * is, so that normalizing a normalized record changes nothing. */
static json_t *
first_paragraph(const char *body)
{
    const char *end;
    size_t n;

    while (isspace((unsigned char)*body))
        body++;
    end = strstr(body, "\n\n");
    n = end != NULL ? (size_t)(end - body) : strlen(body);
    if (n > ARTICLE_MAX_SUMMARY) {
        n = ARTICLE_MAX_SUMMARY;
        while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
            n--; /* do not cut a character in two */
    }
    while (n > 0 && isspace((unsigned char)body[n - 1]))
        n--;
    return json_stringn(body, n);
}

static json_t *
norm_themes(const json_t *in, struct err_info *ei)
{
    json_t *out = json_array(), *v;
    char field[48];
    size_t i;

    if (!json_is_array(in)) {
        err_field(ei, "themes", "themes must be an array of theme slugs or objects");
        return out;
    }
    if (json_array_size(in) > ARTICLE_MAX_THEMES) {
        err_field(ei, "themes", "an article can have at most %d themes",
                  ARTICLE_MAX_THEMES);
        return out;
    }
    json_array_foreach (in, i, v) {
        const char *slug = NULL, *name = NULL;
        json_t *t;

        snprintf(field, sizeof(field), "themes[%zu]", i);
        if (json_is_string(v)) {
            slug = json_string_value(v);
        } else if (json_is_object(v)) {
            slug = get_string(v, "slug", field, true, ARTICLE_MAX_SHORT, ei);
            name = get_string(v, "name", field, false, ARTICLE_MAX_SHORT, ei);
        } else {
            err_field(ei, field, "%s must be a slug or an object with a slug", field);
            continue;
        }
        if (slug == NULL)
            continue;
        if (!slug_valid(slug)) {
            err_field(ei, field, "%s: \"%.40s\" is not a slug (a-z, 0-9 and -)", field,
                      slug);
            continue;
        }
        t = json_pack("{s:s}", "slug", slug);
        if (name != NULL && !blank(name))
            json_object_set_new(t, "name", trimmed(name));
        if (json_is_object(v)) {
            json_t *m = json_object_get(v, "matches"),
                   *score = json_object_get(v, "score");

            if (json_is_array(m))
                json_object_set(t, "matches", m);
            if (json_is_number(score))
                json_object_set(t, "score", score);
        }
        json_array_append_new(out, t);
    }
    return out;
}

/* {"name", "parent"} from a name string or such an object, or null. */
static json_t *
norm_org(const json_t *v, const char *field, int depth, struct err_info *ei)
{
    char sub[64];
    const char *name;
    json_t *parent;

    if (v == NULL || json_is_null(v))
        return json_null();
    if (json_is_string(v)) {
        name = json_string_value(v);
        if (strlen(name) > ARTICLE_MAX_SHORT) {
            err_field(ei, field, "%s is longer than %d bytes", field, ARTICLE_MAX_SHORT);
            return json_null();
        }
        return blank(name) ? json_null()
                           : json_pack("{s:o, s:n}", "name", trimmed(name), "parent");
    }
    if (!json_is_object(v)) {
        err_field(ei, field, "%s must be a name or an object with a name", field);
        return json_null();
    }
    snprintf(sub, sizeof(sub), "%s.name", field);
    name = get_string(v, "name", sub, true, ARTICLE_MAX_SHORT, ei);
    if (name == NULL || blank(name))
        return json_null();
    snprintf(sub, sizeof(sub), "%s.parent", field);
    if (depth >= 4) {
        err_field(ei, sub, "organizations nest at most 4 deep");
        return json_null();
    }
    parent = norm_org(json_object_get(v, "parent"), sub, depth + 1, ei);
    return json_pack("{s:o, s:o}", "name", trimmed(name), "parent", parent);
}

json_t *
organization_normalize(const json_t *v, const char *field, struct err_info *ei)
{
    return norm_org(v, field, 0, ei);
}

static json_t *
norm_quote(const json_t *v, size_t i, const char *body, size_t body_chars,
           struct err_info *ei)
{
    const json_t *official, *start, *end;
    const char *text, *kind, *name = NULL, *title, *at;
    char field[48], sub[64];
    json_t *q;

    snprintf(field, sizeof(field), "quotes[%zu]", i);
    if (!json_is_object(v)) {
        err_field(ei, field, "%s must be an object", field);
        return NULL;
    }
    snprintf(sub, sizeof(sub), "%s.text", field);
    text = get_string(v, "text", sub, true, ARTICLE_MAX_BODY, ei);
    snprintf(sub, sizeof(sub), "%s.kind", field);
    kind = get_string(v, "kind", sub, false, 20, ei);
    if (kind == NULL)
        kind = "direct";
    else if (strcmp(kind, "direct") != 0 && strcmp(kind, "indirect") != 0)
        err_field(ei, sub, "%s must be \"direct\" or \"indirect\"", sub);
    official = json_object_get(v, "official");
    snprintf(sub, sizeof(sub), "%s.official", field);
    if (json_is_string(official))
        name = json_string_value(official);
    else if (json_is_object(official))
        name = json_string_value(json_object_get(official, "name"));
    if (name == NULL || blank(name) || strlen(name) > ARTICLE_MAX_SHORT) {
        err_field(ei, sub,
                  "%s must be a name, or an object with a name, of at most %d bytes", sub,
                  ARTICLE_MAX_SHORT);
        return NULL;
    }
    snprintf(sub, sizeof(sub), "%s.title", field);
    title = get_string(v, "title", sub, false, ARTICLE_MAX_SHORT, ei);
    start = json_object_get(v, "start");
    end = json_object_get(v, "end");
    snprintf(sub, sizeof(sub), "%s.start", field);
    if ((start != NULL && !json_is_null(start) && !json_is_integer(start)) ||
        (end != NULL && !json_is_null(end) && !json_is_integer(end)))
        err_field(ei, sub, "%s: start and end must be integers", field);
    else if (json_is_integer(start) != json_is_integer(end))
        err_field(ei, sub, "%s: start and end go together", field);
    else if (json_is_integer(start) &&
             (json_integer_value(start) < 0 ||
              json_integer_value(end) < json_integer_value(start) ||
              (size_t)json_integer_value(end) > body_chars))
        err_field(ei, sub, "%s: start and end must lie within the body (0..%zu)", field,
                  body_chars);
    if (text == NULL || ei->code != ERR_OK)
        return NULL;
    if (blank(text)) {
        snprintf(sub, sizeof(sub), "%s.text", field);
        err_field(ei, sub, "%s is empty", sub);
        return NULL;
    }
    snprintf(sub, sizeof(sub), "%s.organization", field);
    q = json_pack("{s:s, s:s, s:{s:o}, s:o, s:o}", "text", text, "kind", kind, "official",
                  "name", trimmed(name), "title",
                  title != NULL && !blank(title) ? trimmed(title) : json_null(),
                  "organization",
                  norm_org(json_object_get(v, "organization"), sub, 0, ei));
    if (json_is_integer(start)) {
        json_object_set(q, "start", (json_t *)start);
        json_object_set(q, "end", (json_t *)end);
    } else if ((at = strstr(body, text)) != NULL) {
        /* words given without their place, found as they are in the body:
         * the first place they are (in characters, as the offsets count) */
        size_t c0 = utf8_count(body, (size_t)(at - body));

        json_object_set_new(q, "start", json_integer((json_int_t)c0));
        json_object_set_new(
            q, "end", json_integer((json_int_t)(c0 + utf8_count(text, strlen(text)))));
    }
    return q;
}

static json_t *
norm_quotes(const json_t *in, const char *body, struct err_info *ei)
{
    json_t *out = json_array(), *v;
    size_t i, chars = utf8_count(body, strlen(body));

    if (!json_is_array(in)) {
        err_field(ei, "quotes", "quotes must be an array of objects");
        return out;
    }
    if (json_array_size(in) > ARTICLE_MAX_QUOTES) {
        err_field(ei, "quotes", "an article can have at most %d quotes",
                  ARTICLE_MAX_QUOTES);
        return out;
    }
    json_array_foreach (in, i, v) {
        json_t *q = norm_quote(v, i, body, chars, ei);

        if (q != NULL)
            json_array_append_new(out, q);
    }
    return out;
}

json_t *
article_normalize(const json_t *in, struct err_info *ei)
{
    const char *title, *published, *body, *source, *url, *language, *summary, *slug;
    char date[TIMESTAMP_LEN];
    const char *key;
    json_t *v, *out, *themes = NULL, *quotes = NULL;

    if (!json_is_object(in)) {
        err_set(ei, ERR_INVALID, "an article must be a JSON object");
        return NULL;
    }
    json_object_foreach ((json_t *)in, key, v) {
        if (!is_known(key))
            err_field(ei, key,
                      "unknown field \"%.40s\"; an article has slug, title, published, "
                      "source, url, language, summary, body, themes and quotes",
                      key);
    }
    v = json_object_get(in, "id");
    if (v != NULL && !json_is_integer(v) && !json_is_string(v) && !json_is_null(v))
        err_field(ei, "id", "id must be an integer or a string");
    title = get_string(in, "title", "title", true, ARTICLE_MAX_TITLE, ei);
    if (title != NULL && blank(title))
        err_field(ei, "title", "title is empty");
    published = get_string(in, "published", "published", true, 40, ei);
    if (published != NULL) {
        if (date_valid(published)) {
            strcpy(date, published);
        } else if (timestamp_normalize(published, date)) {
            date[10] = '\0'; /* a date-time stands for its UTC date */
        } else {
            err_field(ei, "published",
                      "published must be a date written YYYY-MM-DD, not \"%.40s\"",
                      published);
            published = NULL;
        }
    }
    body = get_string(in, "body", "body", true, ARTICLE_MAX_BODY, ei);
    if (body != NULL && blank(body))
        err_field(ei, "body", "body is empty");
    source = get_string(in, "source", "source", false, ARTICLE_MAX_SHORT, ei);
    url = get_string(in, "url", "url", false, ARTICLE_MAX_URL, ei);
    if (url != NULL && !url_valid(url))
        err_field(ei, "url", "url must be an http or https address without spaces");
    language = get_string(in, "language", "language", false, 35, ei);
    if (language != NULL && !language_valid(language))
        err_field(ei, "language", "language must be a BCP 47 tag such as en or zh-Hans");
    summary = get_string(in, "summary", "summary", false, ARTICLE_MAX_SUMMARY, ei);
    slug = get_string(in, "slug", "slug", false, 120, ei);
    if (slug != NULL && !slug_valid(slug))
        err_field(ei, "slug",
                  "slug must be lower-case letters, digits and inner hyphens, "
                  "not only digits");
    /* the themes and quotes are checked whatever else is wrong, so that a
     * record's mistakes are all told at once (quotes only against a body
     * to point into) */
    if ((v = json_object_get(in, "themes")) != NULL && !json_is_null(v))
        themes = norm_themes(v, ei);
    if (body != NULL && (v = json_object_get(in, "quotes")) != NULL && !json_is_null(v))
        quotes = norm_quotes(v, body, ei);
    if (ei->code != ERR_OK) {
        json_decref(themes);
        json_decref(quotes);
        return NULL;
    }

    /* the body is kept exactly, since quote offsets point into it */
    out = json_pack("{s:o, s:s, s:s}", "title", trimmed(title), "published", date, "body",
                    body);
    body = json_string_value(json_object_get(out, "body"));
    json_object_set_new(out, "summary",
                        summary != NULL && !blank(summary) ? trimmed(summary)
                                                           : first_paragraph(body));
    json_object_set_new(out, "source",
                        source != NULL && !blank(source) ? trimmed(source) : json_null());
    json_object_set_new(out, "url", url != NULL ? json_string(url) : json_null());
    char tag[36] = "en"; /* get_string() above holds it to 35 bytes */

    if (language != NULL) {
        snprintf(tag, sizeof(tag), "%s", language);
        language_case(tag);
    }
    json_object_set_new(out, "language", json_string(tag));
    if (slug != NULL)
        json_object_set_new(out, "slug", json_string(slug));
    if (themes != NULL)
        json_object_set_new(out, "themes", themes);
    if (quotes != NULL)
        json_object_set_new(out, "quotes", quotes);
    return out;
}
