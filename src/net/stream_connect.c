/* Connecting (stream.h): name resolution on the executor, non-blocking
 * connect with a deadline, Unix sockets, and peer addresses as text. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "qaio/executor.h"
#include "stream_internal.h"

/* --- waiting for an fd ---------------------------------------------------- */

typedef struct {
    qaio_loop *loop;
    int fd, which;
    qaio__waiter ready;
} fd_wait;

static void on_fd_ready(void *arg)
{
    fd_wait *w = arg;
    if (w->which == QAIO__IO_READ)
        qaio_remove_reader(w->loop, w->fd);
    else
        qaio_remove_writer(w->loop, w->fd);
    qaio__waiter_serve(&w->ready, 0, NULL);
}

int qaio__wait_fd(qaio_loop *loop, int fd, int which, int64_t deadline)
{
    fd_wait w = {loop, fd, which, {0}};
    /* Once: the event ends the watch without a system call, and a stream
     * made of fd next reuses the registration. The event can only fire
     * from the loop, which runs once the waiter below waits. */
    int err = qaio__io_add_once(loop, fd, which, on_fd_ready, &w);
    if (err)
        return err;
    if ((err = qaio__waiter_init(&w.ready, loop, NULL)) == 0)
        err = qaio__waiter_wait(&w.ready, deadline, false, NULL);
    /* The watcher points into this frame: it must not outlive it. */
    if (which == QAIO__IO_READ)
        qaio_remove_reader(loop, fd);
    else
        qaio_remove_writer(loop, fd);
    return err;
}

/* --- resolving ------------------------------------------------------------ */

typedef struct {
    char *host;
    char port[8];
} lookup;

/* On a worker thread. It owns the request (the executor always runs it). */
static int resolve_job(void *arg, void **out)
{
    lookup *q = arg;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_ADDRCONFIG};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(q->host, q->port, &hints, &res);
    int sys_err = errno;
    free(q->host);
    free(q);
    if (rc != 0)
        return rc == EAI_MEMORY ? QAIO_ENOMEM : rc == EAI_SYSTEM ? -sys_err : QAIO_ENOENT;
    *out = res;
    return 0;
}

static void free_addrinfo(void *res) { freeaddrinfo(res); }

/* A numeric address needs no thread: it is the common case for instruments. */
static bool numeric(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *len = sizeof *in4;
        return true;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *len = sizeof *in6;
        return true;
    }
    return false;
}

/* --- connecting ----------------------------------------------------------- */

/* Whether a connect() that said EINPROGRESS has already ended (connected
 * or failed: SO_ERROR tells which). Over loopback the handshake completes
 * inside connect(), which still says EINPROGRESS; finding the socket
 * writable at once spares the watch, a loop pass and a task switch, at the
 * price of one poll() on a connection that does have to wait. */
static bool connect_ended(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    return poll(&p, 1, 0) == 1;
}

/* One attempt: a connected, non-blocking fd, or an error. */
static int connect_one(qaio_loop *loop, const struct sockaddr *sa, socklen_t len,
                       int64_t deadline, int *out)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int err = 0;
    if (connect(fd, sa, len) != 0) {
        if (errno != EINPROGRESS)
            err = -errno;
        else if (connect_ended(fd) ||
                 (err = qaio__wait_fd(loop, fd, QAIO__IO_WRITE, deadline)) == 0) {
            int soerr = 0;
            socklen_t l = sizeof soerr;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l);
            err = soerr ? -soerr : 0;
        }
    }
    if (err) {
        close(fd);
        return err;
    }
    if (sa->sa_family != AF_UNIX) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    *out = fd;
    return 0;
}

static int finish(qaio_loop *loop, int fd, qaio_stream **out)
{
    int err = qaio__stream_new(loop, fd, true, out);
    if (err)
        close(fd);
    return err;
}

int qaio_open_connection(qaio_loop *loop, const char *host, int port, double timeout_s,
                         qaio_stream **out)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    int64_t deadline = qaio__deadline(timeout_s);
    if (!host || !out || port < 1 || port > 65535 || deadline < 0)
        return QAIO_EINVAL;
    int fd = -1;
    struct sockaddr_storage ss;
    socklen_t len;
    if (numeric(host, port, &ss, &len)) {
        if ((err = connect_one(loop, (struct sockaddr *)&ss, len, deadline, &fd)) != 0)
            return err;
        return finish(loop, fd, out);
    }
    lookup *q = calloc(1, sizeof *q);
    if (!q || !(q->host = strdup(host))) {
        free(q);
        return QAIO_ENOMEM;
    }
    snprintf(q->port, sizeof q->port, "%d", port);
    qaio_future *f = qaio_executor_call(loop, resolve_job, q, free_addrinfo);
    if (!f) {
        free(q->host);
        free(q);
        return -errno;
    }
    struct addrinfo *res = NULL;
    err = qaio__await_until(f, deadline, (void **)&res);
    /* Each address in turn; the first error is the one worth reporting
     * (a refused IPv6 ::1 after a refused 127.0.0.1 says nothing new). */
    int first = 0;
    for (struct addrinfo *ai = err ? NULL : res; ai; ai = ai->ai_next) {
        int e = connect_one(loop, ai->ai_addr, ai->ai_addrlen, deadline, &fd);
        if (e == 0)
            break;
        if (!first)
            first = e;
        if (e == QAIO_ETIMEDOUT || e == QAIO_ECANCELED)
            break;
    }
    qaio_future_unref(f); /* frees res */
    if (err)
        return err;
    if (fd < 0)
        return first ? first : QAIO_ENOENT;
    return finish(loop, fd, out);
}

int qaio_open_unix_connection(qaio_loop *loop, const char *path, double timeout_s,
                              qaio_stream **out)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    int64_t deadline = qaio__deadline(timeout_s);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (!path || !out || deadline < 0 || !*path || strlen(path) >= sizeof sun.sun_path)
        return QAIO_EINVAL;
    strcpy(sun.sun_path, path);
    int fd;
    if ((err = connect_one(loop, (struct sockaddr *)&sun, sizeof sun, deadline, &fd)) != 0)
        return err;
    return finish(loop, fd, out);
}

/* --- addresses ------------------------------------------------------------- */

int qaio_stream_peer_address(const qaio_stream *s, char *buf, size_t cap)
{
    int fd = qaio_stream_fd(s);
    if (fd < 0)
        return fd;
    if (!buf || cap == 0)
        return QAIO_EINVAL;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[INET6_ADDRSTRLEN];
    int n;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) {
        n = snprintf(buf, cap, "fd %d", fd);
    } else if (ss.ss_family == AF_INET) {
        struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &in4->sin_addr, host, sizeof host);
        n = snprintf(buf, cap, "%s:%d", host, ntohs(in4->sin_port));
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        n = snprintf(buf, cap, "[%s]:%d", host, ntohs(in6->sin6_port));
    } else if (ss.ss_family == AF_UNIX) {
        struct sockaddr_un *un = (struct sockaddr_un *)&ss;
        size_t plen = len > offsetof(struct sockaddr_un, sun_path)
                          ? strnlen(un->sun_path, len - offsetof(struct sockaddr_un, sun_path))
                          : 0;
        n = snprintf(buf, cap, "%.*s", (int)plen, un->sun_path);
    } else {
        n = snprintf(buf, cap, "fd %d", fd);
    }
    return n < 0 ? QAIO_EINVAL : (size_t)n >= cap ? QAIO_EMSGSIZE : n;
}
