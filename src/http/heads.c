/* heads.c - a connection waiting for a request must send the request's
 * head (its request line and headers) within the timeout, however it
 * trickles it.  libmicrohttpd's own timeout counts only idle time, so a
 * client sending a byte a second would hold a connection, and a slot of
 * --max-connections, for as long as it liked.
 *
 * Each connection is listed from its start to its close with the time its
 * head is due (none while a request is being answered).  A thread looks
 * at the list twice a second and shuts down the sockets past due:
 * libmicrohttpd then sees the connection end and closes it itself.  The
 * list's lock is held while a socket is shut down, and libmicrohttpd
 * reports a connection closed (taking it off the list under that lock)
 * before it closes the socket, so a socket shut down is always the
 * connection's own. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "gazette/xalloc.h"
#include "internal.h"

struct waiting {
    int fd;
    _Atomic int64_t due_us; /* 0: not waiting for a head */
    struct waiting *prev, *next;
};

struct heads {
    int64_t timeout_us;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct waiting *list;
    bool stop;
    pthread_t thread;
};

static void *
watch(void *p)
{
    struct heads *h = p;

    pthread_mutex_lock(&h->lock);
    while (!h->stop) {
        struct timespec until;
        int64_t now = now_us();

        for (struct waiting *w = h->list; w != NULL; w = w->next) {
            int64_t due = atomic_load(&w->due_us);

            if (due != 0 && now > due) {
                shutdown(w->fd, SHUT_RDWR);
                atomic_store(&w->due_us, 0);
            }
        }
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500 * 1000 * 1000;
        if (until.tv_nsec >= 1000 * 1000 * 1000) {
            until.tv_sec++;
            until.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&h->wake, &h->lock, &until);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

struct heads *
heads_new(unsigned timeout_s)
{
    struct heads *h = xcalloc(1, sizeof(*h));

    h->timeout_us = (int64_t)timeout_s * 1000 * 1000;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->wake, NULL);
    if (pthread_create(&h->thread, NULL, watch, h) != 0) {
        pthread_cond_destroy(&h->wake);
        pthread_mutex_destroy(&h->lock);
        free(h);
        return NULL;
    }
    return h;
}

void
heads_free(struct heads *h)
{
    if (h == NULL)
        return;
    pthread_mutex_lock(&h->lock);
    h->stop = true;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->thread, NULL);
    while (h->list != NULL) { /* connections the daemon did not report closed */
        struct waiting *w = h->list;

        h->list = w->next;
        free(w);
    }
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

void
heads_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                    enum MHD_ConnectionNotificationCode code)
{
    struct heads *h = cls;
    struct waiting *w = *socket_context;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

        w = xcalloc(1, sizeof(*w));
        w->fd = info != NULL ? info->connect_fd : -1;
        atomic_init(&w->due_us, w->fd >= 0 ? now_us() + h->timeout_us : 0);
        pthread_mutex_lock(&h->lock);
        w->next = h->list;
        if (h->list != NULL)
            h->list->prev = w;
        h->list = w;
        pthread_mutex_unlock(&h->lock);
        *socket_context = w;
    } else if (w != NULL) {
        pthread_mutex_lock(&h->lock);
        if (w->prev != NULL)
            w->prev->next = w->next;
        else
            h->list = w->next;
        if (w->next != NULL)
            w->next->prev = w->prev;
        pthread_mutex_unlock(&h->lock);
        free(w);
        *socket_context = NULL;
    }
}

static struct waiting *
waiting_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return info != NULL ? info->socket_context : NULL;
}

void
heads_arrived(struct MHD_Connection *conn)
{
    struct waiting *w = waiting_of(conn);

    if (w != NULL)
        atomic_store(&w->due_us, 0);
}

void
heads_awaited(struct heads *h, struct MHD_Connection *conn)
{
    struct waiting *w = waiting_of(conn);

    if (w != NULL && w->fd >= 0)
        atomic_store(&w->due_us, now_us() + h->timeout_us);
}
