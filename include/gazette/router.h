/* router.h - the table of routes: path patterns, methods and handlers. */
#ifndef GAZETTE_ROUTER_H
#define GAZETTE_ROUTER_H

#include "gazette/http.h"

struct route {
    const char *pattern; /* "/v1/articles/{id}": a {name} matches one segment */
    unsigned methods;    /* enum method bits; GET implies HEAD */
    handler_fn *handler;
};

/* Finds the route for rq->method and rq->path and stores the values of its
 * wildcards in rq->args.  ERR_NOT_FOUND when no pattern matches the path;
 * ERR_METHOD when patterns match but not for this method (*allow then has
 * the methods that would be). */
enum err router_match(struct req *rq, handler_fn **out, unsigned *allow);

/* Every route, for documentation checks. */
const struct route *router_routes(size_t *n);

/* "GET, HEAD, POST" for a method mask, into b. */
void router_allow_text(struct buf *b, unsigned methods);

#endif
