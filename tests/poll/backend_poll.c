/* A second implementation of the backend seam (src/qt/backend.h) on
 * poll(2), for the test builds that run the core and the io layer with no
 * Qt event loop. One pipe carries the wakeups (the only call from other
 * threads), one deadline stands for the timer source, and a nested run
 * polls until it is quit. Not part of the library. */
#include "qt/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd, events;
} watched_fd;

struct qaio__backend {
    qaio_loop *loop;
    int wake[2];        /* pipe: read end, write end */
    bool yield;         /* report QAIO__EV_YIELD before sleeping again */
    int64_t deadline;   /* the timer source; INT64_MAX: disarmed */
    watched_fd *fds;
    size_t nfds, cap;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int qaio__backend_new(qaio_loop *loop, qaio__backend **out)
{
    qaio__backend *b = calloc(1, sizeof *b);
    if (!b)
        return QAIO_ENOMEM;
    if (pipe2(b->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        free(b);
        return QAIO_ENOMEM;
    }
    b->loop = loop;
    b->deadline = INT64_MAX;
    *out = b;
    return 0;
}

void qaio__backend_free(qaio__backend *b)
{
    if (!b)
        return;
    close(b->wake[0]);
    close(b->wake[1]);
    free(b->fds);
    free(b);
}

void qaio__backend_wakeup(qaio__backend *b)
{
    char c = 1;
    /* A full pipe already holds a wakeup. */
    while (write(b->wake[1], &c, 1) < 0 && errno == EINTR) {
    }
}

void qaio__backend_yield(qaio__backend *b) { b->yield = true; }

void qaio__backend_arm_timer(qaio__backend *b, int64_t deadline_ns) { b->deadline = deadline_ns; }

static watched_fd *find(qaio__backend *b, int fd)
{
    for (size_t i = 0; i < b->nfds; i++)
        if (b->fds[i].fd == fd)
            return &b->fds[i];
    return NULL;
}

int qaio__backend_watch(qaio__backend *b, int fd, int events)
{
    watched_fd *w = find(b, fd);
    if (events == 0) {
        if (w)
            *w = b->fds[--b->nfds];
        return 0;
    }
    if (!w) {
        if (b->nfds == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 16;
            watched_fd *fds = realloc(b->fds, cap * sizeof *fds);
            if (!fds)
                return QAIO_ENOMEM;
            b->fds = fds;
            b->cap = cap;
        }
        w = &b->fds[b->nfds++];
        w->fd = fd;
    }
    w->events = events;
    return 0;
}

/* Still watched for `which`? A callback may have stopped it. */
static bool wants(qaio__backend *b, int fd, int which)
{
    watched_fd *w = find(b, fd);
    return w && (w->events & which);
}

/* One iteration: sleep until something is due, then report it. */
static void poll_once(qaio__backend *b)
{
    qaio_loop *loop = b->loop;
    int timeout = -1;
    if (b->yield) {
        timeout = 0;
    } else if (b->deadline != INT64_MAX) {
        int64_t wait = b->deadline - now_ns();
        timeout = wait <= 0 ? 0 : wait >= (int64_t)INT_MAX * 1000000 ? INT_MAX
                                                                     : (int)((wait + 999999) / 1000000);
    }
    if (timeout != 0) {
        qaio__loop_on_event(loop, QAIO__EV_IDLE, -1, 0);
        if (b->yield)
            timeout = 0;
    }
    size_t n = b->nfds;
    struct pollfd *p = malloc((n + 1) * sizeof *p);
    if (!p)
        abort(); /* a test build: out of memory is not worth a path */
    p[0] = (struct pollfd){.fd = b->wake[0], .events = POLLIN};
    for (size_t i = 0; i < n; i++)
        p[i + 1] = (struct pollfd){
            .fd = b->fds[i].fd,
            .events = (short)((b->fds[i].events & QAIO__IO_READ ? POLLIN : 0) |
                              (b->fds[i].events & QAIO__IO_WRITE ? POLLOUT : 0)),
        };
    int rc = poll(p, n + 1, timeout);
    if (rc < 0)
        rc = 0; /* EINTR: report what is due by the clock */
    if (b->yield) {
        b->yield = false;
        qaio__loop_on_event(loop, QAIO__EV_YIELD, -1, 0);
    }
    if (b->deadline != INT64_MAX && b->deadline <= now_ns()) {
        b->deadline = INT64_MAX; /* one-shot, as the Qt timer source */
        qaio__loop_on_event(loop, QAIO__EV_TIMER, -1, 0);
    }
    if (p[0].revents) {
        char buf[64];
        while (read(b->wake[0], buf, sizeof buf) > 0) {
        }
        qaio__loop_on_event(loop, QAIO__EV_WAKEUP, -1, 0);
    }
    for (size_t i = 1; i <= n; i++) {
        short r = p[i].revents;
        if (r & (POLLNVAL))
            continue;
        /* As a QSocketNotifier does: an error or hang-up wakes both. */
        if ((r & (POLLIN | POLLERR | POLLHUP)) && wants(b, p[i].fd, QAIO__IO_READ))
            qaio__loop_on_event(loop, QAIO__EV_FD, p[i].fd, QAIO__IO_READ);
        if ((r & (POLLOUT | POLLERR | POLLHUP)) && wants(b, p[i].fd, QAIO__IO_WRITE))
            qaio__loop_on_event(loop, QAIO__EV_FD, p[i].fd, QAIO__IO_WRITE);
    }
    free(p);
}

void qaio__backend_exec(qaio__backend *b, qaio__run *run)
{
    if (run->quit)
        return; /* quit before exec */
    run->impl = b;
    while (!run->quit)
        poll_once(b);
    run->impl = NULL;
}

void qaio__backend_quit(qaio__run *run) { run->quit = 1; }
