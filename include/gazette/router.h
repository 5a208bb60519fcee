/* router.h - the table of routes: path patterns, methods and handlers. */
#ifndef GAZETTE_ROUTER_H
#define GAZETTE_ROUTER_H

#include "gazette/http.h"

/* Runs when a request's headers have arrived, before its body: may set
 * rq->sink to take the body as it streams in. */
typedef enum err prepare_fn(struct req *rq);

struct route {
    const char *pattern; /* "/v1/articles/{id}": a {name} matches one segment */
    unsigned methods;    /* enum method bits; GET implies HEAD */
    handler_fn *handler;
    const char *scope;             /* API key scope needed, or NULL: public */
    const char *const *body_types; /* media types of a body it takes, or NULL */
    prepare_fn *prepare;
    bool cached; /* answers to GET may be kept until the data changes */
};

/* Finds the route for rq->method and rq->path and stores the values of its
 * wildcards in rq->args.  ERR_NOT_FOUND when no pattern matches the path;
 * ERR_METHOD when patterns match but not for this method (*allow then has
 * the methods that would be). */
enum err router_match(struct req *rq, const struct route **out, unsigned *allow);

/* The route with r's pattern that takes method, or NULL: the GET beside a
 * write, say. */
const struct route *router_sibling(const struct route *r, unsigned method);

/* Every route, for documentation checks. */
const struct route *router_routes(size_t *n);

/* "GET, HEAD, POST" for a method mask, into b. */
void router_allow_text(struct buf *b, unsigned methods);

#endif
