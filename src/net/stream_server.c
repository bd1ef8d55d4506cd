/* Servers (stream.h): a listening socket watched by the loop, a task per
 * accepted connection, and a close that waits for every handler.
 *
 * The connection's stream is released by a done-callback of its task, not
 * by the task itself: a task cancelled before it started never runs its
 * function, and its stream must still be closed. The server counts its
 * connections down in the same callback, so when qaio_server_close sees
 * the count reach zero nothing of a connection is left.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "qaio/task.h"
#include "stream_internal.h"

#define QAIO__ACCEPT_BATCH 64
#define QAIO__ACCEPT_RETRY_S 0.1

typedef struct conn {
    qaio_server *srv;
    qaio_stream *stream;
    qaio_future *task;
    struct conn *prev, *next;
} conn;

struct qaio_server {
    qaio_loop *loop;
    int fd, port;
    bool tcp;
    qaio_conn_fn handler;
    void *arg;
    conn *conns;           /* handlers not yet done */
    int live;
    qaio_future *idle;     /* completed when live drops to 0 while closing */
    qaio_handle retry;     /* accepting resumes after running out of fds */
    char *unix_path;
};

static void on_acceptable(void *arg);

/* Errors that say the peer went away, not that the handler is wrong. */
static bool connection_error(int err)
{
    return err == QAIO_ECANCELED || err == QAIO_ECONNRESET || err == QAIO_EPIPE ||
           err == QAIO_ECLOSED || err == QAIO_ETIMEDOUT || err == QAIO_ECONNABORTED;
}

static int conn_main(void *arg, qaio_future *self)
{
    (void)self;
    conn *c = arg;
    if (!c->srv)
        return QAIO_ECANCELED; /* its server was abandoned with the loop */
    int err = c->srv->handler(c->stream, c->srv->arg);
    if (err < 0 && !connection_error(err)) {
        char peer[128] = "?";
        qaio_stream_peer_address(c->stream, peer, sizeof peer);
        qaio__log("connection handler for %s failed: %s", peer, qaio_strerror(err));
    }
    return 0; /* one connection's failure is not the server's */
}

static void conn_done(qaio_future *task, void *arg)
{
    (void)task;
    conn *c = arg;
    qaio_server *srv = c->srv;
    qaio__stream_release(c->stream);
    qaio_future_unref(c->task);
    if (!srv) {
        free(c);
        return;
    }
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
    if (--srv->live == 0 && srv->idle && !qaio_future_done(srv->idle))
        qaio_future_set_result(srv->idle, NULL, NULL);
}

static void start_conn(qaio_server *srv, int fd)
{
    if (srv->tcp) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    conn *c = calloc(1, sizeof *c);
    qaio_stream *s = NULL;
    if (!c || qaio__stream_new(srv->loop, fd, true, &s) != 0) {
        free(c);
        close(fd);
        return;
    }
    qaio__stream_set_server_owned(s);
    c->srv = srv;
    c->stream = s;
    c->task = qaio_spawn_named(srv->loop, "connection", 0, conn_main, c);
    if (!c->task || qaio_future_add_done_callback(c->task, conn_done, c) != 0) {
        if (c->task) {
            qaio_future_cancel(c->task);
            qaio_future_unref(c->task);
        }
        qaio__stream_release(s);
        free(c);
        return;
    }
    c->next = srv->conns;
    if (c->next)
        c->next->prev = c;
    srv->conns = c;
    srv->live++;
}

static void resume_accepting(void *arg)
{
    qaio_server *srv = arg;
    srv->retry = 0;
    qaio_add_reader(srv->loop, srv->fd, on_acceptable, srv);
}

static void on_acceptable(void *arg)
{
    qaio_server *srv = arg;
    for (int i = 0; i < QAIO__ACCEPT_BATCH; i++) {
        int fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            start_conn(srv, fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            /* The pending connection stays in the backlog; polling again
             * at once would spin. */
            qaio__log("server on port %d cannot accept: %s; retrying in %g s", srv->port,
                      strerror(errno), QAIO__ACCEPT_RETRY_S);
            qaio_remove_reader(srv->loop, srv->fd);
            srv->retry = qaio_call_later(srv->loop, QAIO__ACCEPT_RETRY_S, resume_accepting, srv);
        }
        return;
    }
}

/* Binds and listens on a fresh socket, then starts accepting. */
static int listen_on(qaio_loop *loop, const struct sockaddr *sa, socklen_t len,
                     qaio_conn_fn handler, void *arg, qaio_server **out)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    if (sa->sa_family != AF_UNIX)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (sa->sa_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    qaio_server *srv = calloc(1, sizeof *srv);
    int err = 0;
    if (!srv)
        err = QAIO_ENOMEM;
    else if (bind(fd, sa, len) != 0 || listen(fd, SOMAXCONN) != 0)
        err = -errno;
    if (!err) {
        srv->loop = loop;
        srv->fd = fd;
        srv->tcp = sa->sa_family != AF_UNIX;
        srv->handler = handler;
        srv->arg = arg;
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        getsockname(fd, (struct sockaddr *)&bound, &blen);
        if (bound.ss_family == AF_INET)
            srv->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
        else if (bound.ss_family == AF_INET6)
            srv->port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
        err = qaio_add_reader(loop, fd, on_acceptable, srv);
    }
    if (err) {
        close(fd);
        free(srv);
        return err;
    }
    *out = srv;
    return 0;
}

int qaio_start_server(qaio_loop *loop, const char *host, int port, qaio_conn_fn handler,
                      void *arg, qaio_server **out)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (!handler || !out || port < 0 || port > 65535)
        return QAIO_EINVAL;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host ? host : "127.0.0.1", service, &hints, &res);
    if (rc != 0)
        return rc == EAI_MEMORY ? QAIO_ENOMEM : QAIO_ENOENT;
    err = QAIO_ENOENT;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
        if ((err = listen_on(loop, ai->ai_addr, ai->ai_addrlen, handler, arg, out)) == 0)
            break;
    freeaddrinfo(res);
    return err;
}

int qaio_start_unix_server(qaio_loop *loop, const char *path, qaio_conn_fn handler, void *arg,
                           qaio_server **out)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (!path || !*path || !handler || !out || strlen(path) >= sizeof sun.sun_path)
        return QAIO_EINVAL;
    strcpy(sun.sun_path, path);
    /* A socket file nobody listens on is a leftover of a crashed server. */
    struct stat st;
    if (lstat(path, &st) == 0) {
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool stale = S_ISSOCK(st.st_mode) && probe >= 0 &&
                     connect(probe, (struct sockaddr *)&sun, sizeof sun) != 0 &&
                     errno == ECONNREFUSED;
        if (probe >= 0)
            close(probe);
        if (!stale)
            return QAIO_EADDRINUSE;
        unlink(path);
    }
    char *copy = strdup(path);
    if (!copy)
        return QAIO_ENOMEM;
    if ((err = listen_on(loop, (struct sockaddr *)&sun, sizeof sun, handler, arg, out)) != 0) {
        free(copy);
        return err;
    }
    (*out)->unix_path = copy;
    return 0;
}

int qaio_server_port(const qaio_server *srv) { return srv ? srv->port : QAIO_EINVAL; }

int qaio_server_connections(const qaio_server *srv)
{
    int err = srv ? qaio__check_loop(srv->loop) : QAIO_EINVAL;
    return err ? err : srv->live;
}

int qaio_server_close(qaio_server *srv)
{
    if (!srv)
        return QAIO_EINVAL;
    int err = qaio__check_loop(srv->loop);
    if (err == QAIO_EWRONGTHREAD)
        return err;
    qaio_future *self = qaio_current_task();
    for (conn *c = srv->conns; c; c = c->next)
        if (c->task == self)
            return QAIO_EDEADLK; /* a handler would wait for itself */
    if (!err) {
        qaio_remove_reader(srv->loop, srv->fd);
        if (srv->retry)
            qaio_cancel(srv->loop, srv->retry);
    }
    close(srv->fd);
    if (srv->unix_path)
        unlink(srv->unix_path);
    /* Cancel the handlers and wait for every one, shielded from our own
     * cancellation: their arg may be freed as soon as we return. */
    for (conn *c = srv->conns; c; c = c->next)
        qaio_future_cancel(c->task);
    while (!err && srv->live > 0) {
        if (!srv->idle || qaio_future_done(srv->idle)) {
            qaio_future_unref(srv->idle);
            if (!(srv->idle = qaio_future_new(srv->loop)))
                break;
        }
        if (qaio__wait_done(srv->idle) != 0)
            break;
    }
    /* Only a closed loop leaves handlers behind; they must not find srv. */
    for (conn *c = srv->conns; c; c = c->next)
        c->srv = NULL;
    qaio_future_unref(srv->idle);
    free(srv->unix_path);
    free(srv);
    return 0;
}
