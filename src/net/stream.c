/* Buffered streams (stream.h): the read buffer filled by a level-triggered
 * reader, the read calls, the write buffer emptied by a writer, closing.
 *
 * Lifetime. A stream is referenced by its owner (the user, or the server
 * while the handler runs), by every call in progress (a task waiting in
 * readline keeps it alive when another task closes it), and by a
 * background flush. It is freed when the last one lets go.
 *
 * Reading follows asyncio's transport/protocol split: the reader callback
 * reads whatever arrived into the buffer and wakes the one waiting call,
 * which then copies from the buffer. The reader stays registered while
 * the buffer is under the limit, so a ping-pong costs no epoll_ctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "stream_internal.h"

#define QAIO__READ_CHUNK (64 * 1024)

typedef struct {
    uint8_t *data;
    size_t start, len, cap;
} buffer;

struct qaio_stream {
    qaio_loop *loop;
    int fd;
    int refs;
    bool is_socket;
    bool readable;      /* not a pipe's write end */
    bool closed;        /* the owner closed it: calls fail with ECLOSED */
    bool server_owned;  /* the server, not close(), drops the owner's ref */
    bool reading;       /* the reader is registered */
    bool writing;       /* the writer is registered */
    bool flushing;      /* a background flush holds a reference */
    bool eof;           /* the peer closed its side */
    bool eof_pending;   /* write_eof once the buffer is flushed */
    int rerr, werr;     /* sticky socket errors */
    buffer r, w;
    size_t limit, high, low;
    qaio__waiter *rwait, *wwait; /* the read and the drain waiting, in their frames */
    qaio_future *flushed;
    qaio_handle linger;
    qaio__orphan orphan; /* while flushing: abandoned if the loop closes */
};

static void on_readable(void *arg);
static void on_writable(void *arg);

/* --- buffers ------------------------------------------------------------- */

static void buf_consume(buffer *b, size_t n)
{
    b->start += n;
    b->len -= n;
    if (b->len == 0)
        b->start = 0;
}

/* Makes at least `want` bytes free after the data. */
static int buf_reserve(buffer *b, size_t want)
{
    if (b->cap - b->start - b->len >= want)
        return 0;
    if (b->start > 0) {
        memmove(b->data, b->data + b->start, b->len);
        b->start = 0;
        if (b->cap - b->len >= want)
            return 0;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < want)
        cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d)
        return QAIO_ENOMEM;
    b->data = d;
    b->cap = cap;
    return 0;
}

static void buf_free(buffer *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* --- lifetime ------------------------------------------------------------ */

static bool loop_open(const qaio_stream *s) { return qaio__check_loop(s->loop) == 0; }

static void stop_watching(qaio_stream *s)
{
    if (loop_open(s) && s->fd >= 0) {
        if (s->reading)
            qaio_remove_reader(s->loop, s->fd);
        if (s->writing)
            qaio_remove_writer(s->loop, s->fd);
    }
    s->reading = s->writing = false;
}

static void close_fd(qaio_stream *s)
{
    stop_watching(s);
    if (s->fd >= 0 && loop_open(s))
        qaio__io_forget(s->loop, s->fd);
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

static void unref(qaio_stream *s)
{
    if (--s->refs > 0)
        return;
    close_fd(s);
    if (s->linger)
        qaio_cancel(s->loop, s->linger);
    buf_free(&s->r);
    buf_free(&s->w);
    free(s);
}

/* The start of every call: NULL, thread and closed checks, then a
 * reference for the call's duration. */
static int enter(qaio_stream *s)
{
    if (!s)
        return QAIO_EINVAL;
    int err = qaio__check_loop(s->loop);
    if (err)
        return err;
    if (s->closed)
        return QAIO_ECLOSED;
    s->refs++;
    return 0;
}

static void wake(qaio__waiter *w)
{
    if (w)
        qaio__waiter_serve(w, 0, NULL);
}

/* Waits in *slot, which the callbacks serve. Only one call may wait in a
 * slot at a time. */
static int wait_slot(qaio_stream *s, qaio__waiter **slot, int64_t deadline)
{
    if (*slot)
        return QAIO_EBUSY;
    qaio__waiter w;
    int err = qaio__waiter_init(&w, s->loop, s);
    if (err)
        return err;
    *slot = &w;
    err = qaio__waiter_wait(&w, deadline, false, NULL);
    *slot = NULL;
    if (!err && s->closed)
        err = QAIO_ECLOSED;
    return err;
}

int qaio__stream_new(qaio_loop *loop, int fd, bool socket_fd, qaio_stream **out)
{
    qaio_stream *s = calloc(1, sizeof *s);
    if (!s)
        return QAIO_ENOMEM;
    s->loop = loop;
    s->fd = fd;
    s->refs = 1;
    /* Sockets qaio made itself need no probing (two syscalls an accept). */
    if (socket_fd) {
        s->is_socket = s->readable = true;
    } else {
        int type;
        socklen_t len = sizeof type;
        s->is_socket = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
        s->readable = (fcntl(fd, F_GETFL) & O_ACCMODE) != O_WRONLY;
    }
    s->limit = QAIO_STREAM_LIMIT;
    s->high = QAIO_STREAM_HIGH_WATER;
    s->low = QAIO_STREAM_LOW_WATER;
    /* A connection qaio made starts reading at its first read call: one
     * that is never read (a server's handler that only writes, a client
     * that only connects) then costs no epoll_ctl at all, and the kernel
     * keeps what arrives meanwhile. An fd from elsewhere is watched at once,
     * which also checks that it can be polled (a regular file cannot); it
     * reads from the start, and a write-only one is unwatched again. */
    if (!socket_fd) {
        int err = s->readable ? qaio_add_reader(loop, fd, on_readable, s)
                              : qaio_add_writer(loop, fd, on_writable, s);
        if (err) {
            free(s);
            return err;
        }
        if (s->readable)
            s->reading = true;
        else
            qaio_remove_writer(loop, fd);
    }
    *out = s;
    return 0;
}

int qaio_stream_open_fd(qaio_loop *loop, int fd, qaio_stream **out)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (fd < 0 || !out)
        return QAIO_EINVAL;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return QAIO_EBADF;
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        return -errno;
    fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    return qaio__stream_new(loop, fd, false, out);
}

void qaio__stream_set_server_owned(qaio_stream *s) { s->server_owned = true; }

/* --- reading ------------------------------------------------------------- */

static void start_reading(qaio_stream *s)
{
    if (s->reading || !s->readable || s->eof || s->rerr || s->closed || s->fd < 0 ||
        s->r.len >= s->limit)
        return;
    int err = qaio_add_reader(s->loop, s->fd, on_readable, s);
    if (err)
        s->rerr = err;
    else
        s->reading = true;
}

static void stop_reading(qaio_stream *s)
{
    if (s->reading && loop_open(s))
        qaio_remove_reader(s->loop, s->fd);
    s->reading = false;
}

static void on_readable(void *arg)
{
    qaio_stream *s = arg;
    if (s->r.len >= s->limit) {
        stop_reading(s);
        return;
    }
    size_t room = s->limit - s->r.len;
    if (room > QAIO__READ_CHUNK)
        room = QAIO__READ_CHUNK;
    if (buf_reserve(&s->r, room) != 0) {
        s->rerr = QAIO_ENOMEM;
        stop_reading(s);
        wake(s->rwait);
        return;
    }
    ssize_t n = read(s->fd, s->r.data + s->r.start + s->r.len, room);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n > 0) {
        s->r.len += (size_t)n;
        if (s->r.len >= s->limit)
            stop_reading(s); /* until the data is consumed */
    } else {
        if (n == 0)
            s->eof = true;
        else
            s->rerr = -errno;
        stop_reading(s);
    }
    wake(s->rwait);
}

static void consume(qaio_stream *s, size_t n)
{
    buf_consume(&s->r, n);
    start_reading(s);
}

/* Why a read that needs more data cannot have it, or 0 to wait. */
static int read_blocked(qaio_stream *s)
{
    if (!s->readable)
        return QAIO_EBADF;
    if (s->rerr)
        return s->rerr;
    return s->eof ? QAIO_EPIPE : 0;
}

static int wait_data(qaio_stream *s, int64_t deadline)
{
    start_reading(s);
    return wait_slot(s, &s->rwait, deadline);
}

ssize_t qaio_stream_read(qaio_stream *s, void *buf, size_t n, double timeout_s)
{
    int err = enter(s);
    if (err)
        return err;
    ssize_t ret;
    int64_t deadline = qaio__deadline(timeout_s);
    if (!buf || n == 0 || n > SSIZE_MAX || deadline < 0) {
        ret = QAIO_EINVAL;
        goto out;
    }
    for (;;) {
        if (s->r.len > 0) {
            size_t k = n < s->r.len ? n : s->r.len;
            memcpy(buf, s->r.data + s->r.start, k);
            consume(s, k);
            ret = (ssize_t)k;
            break;
        }
        if ((ret = read_blocked(s)) != 0) {
            if (ret == QAIO_EPIPE)
                ret = 0;
            break;
        }
        if ((ret = wait_data(s, deadline)) != 0)
            break;
    }
out:
    unref(s);
    return ret;
}

ssize_t qaio_stream_readexactly(qaio_stream *s, void *buf, size_t n, double timeout_s)
{
    int err = enter(s);
    if (err)
        return err;
    ssize_t ret;
    int64_t deadline = qaio__deadline(timeout_s);
    if ((!buf && n > 0) || n > SSIZE_MAX || deadline < 0) {
        ret = QAIO_EINVAL;
        goto out;
    }
    /* A unit that fits under the limit is taken whole or not at all, so a
     * timeout or an early end of stream loses nothing; a bigger one goes
     * through to buf as it arrives. */
    while (n <= s->limit && s->r.len < n) {
        if ((ret = read_blocked(s)) != 0 || (ret = wait_data(s, deadline)) != 0)
            goto out;
    }
    size_t got = 0;
    for (;;) {
        size_t k = n - got < s->r.len ? n - got : s->r.len;
        if (k) {
            memcpy((char *)buf + got, s->r.data + s->r.start, k);
            consume(s, k);
        }
        got += k;
        if (got == n) {
            ret = (ssize_t)n;
            break;
        }
        if ((ret = read_blocked(s)) != 0 || (ret = wait_data(s, deadline)) != 0)
            break;
    }
out:
    unref(s);
    return ret;
}

/* Finds sep in the buffer, starting where the last scan could not have
 * seen a whole separator. Returns the length through sep, or 0. */
static size_t find_sep(const qaio_stream *s, const void *sep, size_t seplen, size_t *scanned)
{
    if (s->r.len == 0)
        return 0;
    size_t from = *scanned >= seplen ? *scanned - seplen + 1 : 0;
    const uint8_t *data = s->r.data + s->r.start;
    const uint8_t *hit = s->r.len > from ? memmem(data + from, s->r.len - from, sep, seplen) : NULL;
    *scanned = s->r.len;
    return hit ? (size_t)(hit - data) + seplen : 0;
}

/* readuntil, with the end of stream handed back as QAIO_EPIPE. */
static ssize_t read_until(qaio_stream *s, const void *sep, size_t seplen, void *buf, size_t cap,
                          int64_t deadline)
{
    size_t scanned = 0;
    for (;;) {
        size_t len = find_sep(s, sep, seplen, &scanned);
        if (len) {
            if (len > cap)
                return QAIO_EMSGSIZE;
            memcpy(buf, s->r.data + s->r.start, len);
            consume(s, len);
            return (ssize_t)len;
        }
        /* The separator has to come after what is buffered. */
        if (s->r.len >= cap || s->r.len >= s->limit)
            return QAIO_EMSGSIZE;
        int err = read_blocked(s);
        if (err || (err = wait_data(s, deadline)) != 0)
            return err;
    }
}

ssize_t qaio_stream_readuntil(qaio_stream *s, const void *sep, size_t seplen, void *buf,
                              size_t cap, double timeout_s)
{
    int err = enter(s);
    if (err)
        return err;
    int64_t deadline = qaio__deadline(timeout_s);
    ssize_t ret = !sep || seplen == 0 || !buf || cap == 0 || cap > SSIZE_MAX || deadline < 0
                      ? QAIO_EINVAL
                      : read_until(s, sep, seplen, buf, cap, deadline);
    unref(s);
    return ret;
}

ssize_t qaio_stream_readline(qaio_stream *s, char *buf, size_t cap, double timeout_s)
{
    int err = enter(s);
    if (err)
        return err;
    int64_t deadline = qaio__deadline(timeout_s);
    ssize_t ret;
    if (!buf || cap < 2 || cap > SSIZE_MAX || deadline < 0) {
        ret = QAIO_EINVAL;
    } else {
        ret = read_until(s, "\n", 1, buf, cap - 1, deadline);
        if (ret == QAIO_EPIPE && s->eof && !s->rerr) {
            /* The last line has no terminator: hand it over as it is. */
            ret = s->r.len < cap ? (ssize_t)s->r.len : QAIO_EMSGSIZE;
            if (ret > 0) {
                memcpy(buf, s->r.data + s->r.start, s->r.len);
                consume(s, s->r.len);
            }
        }
        if (ret >= 0)
            buf[ret] = '\0';
    }
    unref(s);
    return ret;
}

ssize_t qaio_stream_buffered(const qaio_stream *s)
{
    int err = s ? qaio__check_loop(s->loop) : QAIO_EINVAL;
    return err ? err : (ssize_t)s->r.len;
}

int qaio_stream_set_limit(qaio_stream *s, size_t limit)
{
    int err = enter(s);
    if (err)
        return err;
    if (limit == 0) {
        err = QAIO_EINVAL;
    } else {
        s->limit = limit;
        if (s->r.len >= limit)
            stop_reading(s);
        else
            start_reading(s);
    }
    unref(s);
    return err;
}

/* --- writing ------------------------------------------------------------- */

/* write(2) to a pipe whose reader is gone raises SIGPIPE, which kills the
 * process by default. Block it for the call, and swallow the one this
 * write raised (unless one was already pending for someone else). */
static ssize_t pipe_write(int fd, const void *buf, size_t n)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t k = write(fd, buf, n);
    int saved = errno;
    if (k < 0 && saved == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return k;
}

/* Hands what the kernel takes to it: the count, or a qaio error. */
static ssize_t send_some(qaio_stream *s, const void *buf, size_t n)
{
    ssize_t k = s->is_socket ? send(s->fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT)
                             : pipe_write(s->fd, buf, n);
    if (k >= 0)
        return k;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return 0;
    return -errno;
}

static void shutdown_write(qaio_stream *s)
{
    s->eof_pending = false;
    if (s->is_socket) {
        shutdown(s->fd, SHUT_WR);
    } else if (!s->readable) {
        close_fd(s); /* a pipe's write end: closing is its end of stream */
    }
}

static void finish_flush(qaio_stream *s);

static void write_failed(qaio_stream *s, int err)
{
    s->werr = err;
    buf_free(&s->w);
    if (s->writing && loop_open(s))
        qaio_remove_writer(s->loop, s->fd);
    s->writing = false;
    wake(s->wwait);
    if (s->flushing)
        finish_flush(s);
}

static void on_writable(void *arg)
{
    qaio_stream *s = arg;
    ssize_t k = send_some(s, s->w.data + s->w.start, s->w.len);
    if (k < 0) {
        write_failed(s, (int)k);
        return;
    }
    buf_consume(&s->w, (size_t)k);
    if (s->w.len == 0) {
        qaio_remove_writer(s->loop, s->fd);
        s->writing = false;
        if (s->eof_pending)
            shutdown_write(s);
    }
    if (s->w.len <= s->low)
        wake(s->wwait);
    if (s->w.len == 0 && s->flushing)
        finish_flush(s);
}

int qaio_stream_write(qaio_stream *s, const void *buf, size_t n)
{
    int err = enter(s);
    if (err)
        return err;
    if (!buf && n > 0)
        err = QAIO_EINVAL;
    else if (s->werr)
        err = s->werr;
    else if (s->eof_pending || s->fd < 0)
        err = QAIO_EPIPE; /* after write_eof */
    if (err || n == 0)
        goto out;
    size_t sent = 0;
    if (s->w.len == 0) {
        ssize_t k = send_some(s, buf, n);
        if (k < 0) {
            write_failed(s, (int)k);
            err = (int)k;
            goto out;
        }
        sent = (size_t)k;
    }
    if (sent < n) {
        if ((err = buf_reserve(&s->w, n - sent)) != 0)
            goto out;
        memcpy(s->w.data + s->w.start + s->w.len, (const char *)buf + sent, n - sent);
        s->w.len += n - sent;
        if (!s->writing) {
            if ((err = qaio_add_writer(s->loop, s->fd, on_writable, s)) != 0)
                goto out;
            s->writing = true;
        }
    }
out:
    unref(s);
    return err;
}

int qaio_stream_drain(qaio_stream *s, double timeout_s)
{
    int err = enter(s);
    if (err)
        return err;
    int64_t deadline = qaio__deadline(timeout_s);
    if (deadline < 0)
        err = QAIO_EINVAL;
    else if (s->w.len > s->high)
        while (!s->werr && s->w.len > s->low && (err = wait_slot(s, &s->wwait, deadline)) == 0)
            ;
    if (!err)
        err = s->werr;
    unref(s);
    return err;
}

int qaio_stream_set_write_limits(qaio_stream *s, size_t high, size_t low)
{
    int err = enter(s);
    if (err)
        return err;
    if (low > high) {
        err = QAIO_EINVAL;
    } else {
        s->high = high;
        s->low = low;
    }
    unref(s);
    return err;
}

ssize_t qaio_stream_write_buffered(const qaio_stream *s)
{
    int err = s ? qaio__check_loop(s->loop) : QAIO_EINVAL;
    return err ? err : (ssize_t)s->w.len;
}

int qaio_stream_write_eof(qaio_stream *s)
{
    int err = enter(s);
    if (err)
        return err;
    if (s->werr)
        err = s->werr;
    else if (s->w.len > 0)
        s->eof_pending = true;
    else if (s->fd >= 0)
        shutdown_write(s);
    unref(s);
    return err;
}

/* --- closing ------------------------------------------------------------- */

static void on_linger(void *arg)
{
    qaio_stream *s = arg;
    s->linger = 0;
    write_failed(s, QAIO_ETIMEDOUT);
}

static void finish_flush(qaio_stream *s)
{
    qaio__orphan_remove(s->loop, &s->orphan);
    s->flushing = false;
    if (s->linger) {
        qaio_cancel(s->loop, s->linger);
        s->linger = 0;
    }
    close_fd(s);
    if (s->flushed && !qaio_future_done(s->flushed)) {
        if (s->werr)
            qaio_future_set_error(s->flushed, s->werr, NULL);
        else
            qaio_future_set_result(s->flushed, NULL, NULL);
    }
    unref(s);
}

/* The loop closed during the flush: the unsent rest is dropped, the fd
 * closed (the peer sees the end of the stream) and s freed. */
static void abandon_flush(qaio__orphan *o)
{
    qaio_stream *s = (qaio_stream *)((char *)o - offsetof(qaio_stream, orphan));
    s->linger = 0; /* the closing loop frees its timers */
    finish_flush(s);
}

/* Marks s closed, wakes the calls waiting on it, and starts the flush. */
static void close_stream(qaio_stream *s)
{
    s->closed = true;
    stop_reading(s);
    wake(s->rwait);
    wake(s->wwait);
    if (s->w.len > 0 && !s->werr && s->fd >= 0 && loop_open(s)) {
        s->flushing = true;
        s->refs++;
        s->linger = qaio_call_later(s->loop, QAIO_STREAM_LINGER_S, on_linger, s);
        s->orphan.abandon = abandon_flush;
        qaio__orphan_add(s->loop, &s->orphan); /* s watches its fd: never fails */
    } else {
        close_fd(s);
    }
}

int qaio_stream_close(qaio_stream *s)
{
    if (!s)
        return 0;
    if (qaio__check_loop(s->loop) == QAIO_EWRONGTHREAD)
        return QAIO_EWRONGTHREAD;
    if (s->closed)
        return 0; /* a server's connection closed by its handler */
    close_stream(s);
    if (!s->server_owned)
        unref(s);
    return 0;
}

void qaio__stream_release(qaio_stream *s)
{
    if (!s->closed)
        close_stream(s);
    unref(s);
}

int qaio_stream_wait_closed(qaio_stream *s, double timeout_s)
{
    if (!s)
        return QAIO_EINVAL;
    if (qaio__check_loop(s->loop) == QAIO_EWRONGTHREAD)
        return QAIO_EWRONGTHREAD;
    int64_t deadline = qaio__deadline(timeout_s);
    if (deadline < 0)
        return QAIO_EINVAL; /* NaN: nothing happened, s is still open */
    s->refs++;
    if (!s->closed && s->w.len > 0 && !s->werr)
        s->flushed = qaio_future_new(s->loop);
    qaio_stream_close(s);
    int err = 0;
    if (s->flushed) {
        qaio_future *flushed = s->flushed;
        err = qaio__await_until(flushed, deadline, NULL);
        s->flushed = NULL;
        if (err && s->flushing)
            write_failed(s, err); /* give up: drop the rest, close */
        qaio_future_unref(flushed);
    } else {
        err = s->werr;
    }
    unref(s);
    return err;
}

/* --- information --------------------------------------------------------- */

int qaio_stream_fd(const qaio_stream *s)
{
    int err = s ? qaio__check_loop(s->loop) : QAIO_EINVAL;
    if (err)
        return err;
    return s->fd >= 0 ? s->fd : QAIO_ECLOSED;
}
