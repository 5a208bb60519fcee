/* web.c - the browser page: files of web/ compiled into the binary,
 * served at / (index.html) and /ui/{file}. */
#include <string.h>

#include "common.h"
#include "gazette/embedded.h"
#include "gazette/xalloc.h"

static const char *
media_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".json", "application/json"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
    };
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static enum err
send_file(struct req *rq, struct resp *rs, const char *name)
{
    for (size_t i = 0; i < gazette_web_count; i++) {
        const struct embedded_file *f = &gazette_web[i];

        if (strcmp(f->name, name) != 0)
            continue;
        rs->text = xstrndup(f->data, f->len);
        rs->text_len = f->len;
        rs->content_type = media_type(name);
        /* the page uses no other origin: forbid any, and framing */
        resp_header(rs, "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    "frame-ancestors 'none'");
        resp_header(rs, "X-Content-Type-Options", "nosniff");
        return ERR_OK;
    }
    return err_set(&rq->ei, ERR_NOT_FOUND, "there is nothing at %s", rq->path);
}

enum err
api_web_index(struct req *rq, struct resp *rs)
{
    return send_file(rq, rs, "index.html");
}

enum err
api_web_file(struct req *rq, struct resp *rs)
{
    return send_file(rq, rs, rq->args[0]);
}
