/* fd watching (io.h). One table of watchers indexed by fd; on Linux one
 * level-triggered epoll set, whose own fd is the only one Qt watches.
 *
 * An event carries the watcher's generation next to its fd: a watcher
 * removed (and perhaps re-added for a new file that got the same number)
 * while a batch is being dispatched must not receive the old file's events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif
#include "io_internal.h"

#define QAIO__EPOLL_BATCH 256

static qaio__io *io_of(qaio_loop *loop) { return qaio__loop_layer(loop, QAIO__LAYER_IO); }

int qaio__orphan_add(qaio_loop *loop, qaio__orphan *o)
{
    qaio__io *io = qaio__io_get(loop);
    if (!io)
        return QAIO_ENOMEM;
    o->prev = NULL;
    o->next = io->orphans;
    if (io->orphans)
        io->orphans->prev = o;
    io->orphans = o;
    return 0;
}

void qaio__orphan_remove(qaio_loop *loop, qaio__orphan *o)
{
    qaio__io *io = io_of(loop);
    if (o->prev)
        o->prev->next = o->next;
    else if (io && io->orphans == o)
        io->orphans = o->next;
    if (o->next)
        o->next->prev = o->prev;
    o->prev = o->next = NULL;
}

static void io_free(qaio_loop *loop)
{
    qaio__io *io = io_of(loop);
    /* Nothing will run their callbacks again: they let go now. */
    while (io->orphans) {
        qaio__orphan *o = io->orphans;
        qaio__orphan_remove(loop, o);
        o->abandon(o);
    }
    qaio__signals_free(loop);
    if (io->epfd >= 0)
        close(io->epfd);
    free(io->watch);
    free(io);
    qaio__loop_attach(loop, QAIO__LAYER_IO, NULL, NULL);
}

static bool use_epoll(void)
{
#ifdef __linux__
    const char *kind = getenv("QAIO_IO");
    return !kind || strcmp(kind, "notifier") != 0;
#else
    return false;
#endif
}

static void fd_ready(qaio_loop *loop, int fd, int events);

/* Closing the loop abandons the orphans and frees the io state; the backend
 * reports ready fds here. */
static const qaio__layer io_layer = {NULL, io_free, fd_ready};

qaio__io *qaio__io_get(qaio_loop *loop)
{
    qaio__io *cur = io_of(loop);
    if (cur)
        return cur;
    qaio__io *io = calloc(1, sizeof *io);
    if (!io)
        return NULL;
    io->epfd = -1;
#ifdef __linux__
    if (use_epoll()) {
        io->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (io->epfd < 0 || qaio__loop_watch_fd(loop, io->epfd, QAIO__IO_READ) != 0) {
            if (io->epfd >= 0)
                close(io->epfd);
            free(io);
            return NULL;
        }
    }
#endif
    qaio__loop_attach(loop, QAIO__LAYER_IO, &io_layer, io);
    return io;
}

static int grow(qaio__io *io, int fd)
{
    if (fd < io->cap)
        return 0;
    int cap = io->cap ? io->cap : 64;
    while (cap <= fd)
        cap *= 2;
    qaio__watch *w = realloc(io->watch, (size_t)cap * sizeof *w);
    if (!w)
        return QAIO_ENOMEM;
    memset(w + io->cap, 0, (size_t)(cap - io->cap) * sizeof *w);
    io->watch = w;
    io->cap = cap;
    return 0;
}

/* Tells the kernel (or the backend) the fd's new interest set. */
static int apply(qaio_loop *loop, qaio__io *io, int fd, int events)
{
    qaio__watch *w = &io->watch[fd];
    if (io->epfd < 0) {
        /* Qt would only warn about a closed fd, and then never report it. */
        if (events && fcntl(fd, F_GETFD) < 0)
            return QAIO_EBADF;
        return qaio__loop_watch_fd(loop, fd, events);
    }
#ifdef __linux__
    struct epoll_event ev = {
        .events = (events & QAIO__IO_READ ? EPOLLIN : 0) | (events & QAIO__IO_WRITE ? EPOLLOUT : 0) |
                  (w->once ? EPOLLONESHOT : 0),
        .data.u64 = (uint64_t)w->gen << 32 | (uint32_t)fd,
    };
    int op = events == 0 ? EPOLL_CTL_DEL : w->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = epoll_ctl(io->epfd, op, fd, &ev);
    /* The fd may have been closed and its number reused behind our back
     * (the kernel then dropped it from the set), or registered by an
     * earlier watcher of a file now closed: retry with the other op. */
    if (rc < 0 && errno == ENOENT && op == EPOLL_CTL_MOD)
        rc = epoll_ctl(io->epfd, EPOLL_CTL_ADD, fd, &ev);
    else if (rc < 0 && errno == EEXIST && op == EPOLL_CTL_ADD)
        rc = epoll_ctl(io->epfd, EPOLL_CTL_MOD, fd, &ev);
    if (op == EPOLL_CTL_DEL)
        return 0; /* already gone with a closed fd: nothing to undo */
    if (rc < 0)
        return errno == EPERM ? QAIO_ENOTSUP : errno == EBADF ? QAIO_EBADF
               : errno == ENOMEM || errno == ENOSPC ? QAIO_ENOMEM : -errno;
    return 0;
#else
    (void)w;
    return QAIO_ENOSYS;
#endif
}

/* Linux never hands out an fd at or above 2^30 (fs.nr_open's ceiling); the
 * watch table's growth, doubling an int, relies on it. */
#define QAIO__FD_LIMIT (1 << 30)

static int add(qaio_loop *loop, int fd, int which, qaio_cb cb, void *arg, bool once)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (fd < 0 || !cb)
        return QAIO_EINVAL;
    if (fd >= QAIO__FD_LIMIT)
        return QAIO_EBADF;
    qaio__io *io = qaio__io_get(loop);
    if (!io)
        return QAIO_ENOMEM;
    if ((err = grow(io, fd)) != 0)
        return err;
    qaio__watch *w = &io->watch[fd];
    int events = w->events | which;
    bool was_once = w->once;
    w->once = once && events == which;
    /* Applied even when unchanged: if the fd number was closed and reused
     * behind our back, this puts the new file in the set. */
    if ((err = apply(loop, io, fd, events)) != 0) {
        w->once = was_once;
        return err;
    }
    w->registered = true;
    w->events = events;
    if (which == QAIO__IO_READ) {
        w->rcb = cb;
        w->rarg = arg;
    } else {
        w->wcb = cb;
        w->warg = arg;
    }
    return 0;
}

static int del(qaio_loop *loop, int fd, int which)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (fd < 0)
        return QAIO_EINVAL;
    qaio__io *io = io_of(loop);
    if (!io || fd >= io->cap || !(io->watch[fd].events & which))
        return 0;
    qaio__watch *w = &io->watch[fd];
    int events = w->events & ~which;
    apply(loop, io, fd, events); /* only removal: cannot fail usefully */
    w->events = events;
    if (which == QAIO__IO_READ)
        w->rcb = NULL;
    else
        w->wcb = NULL;
    if (events == 0) {
        w->registered = false;
        w->gen++;
    }
    return 1;
}

int qaio_add_reader(qaio_loop *loop, int fd, qaio_cb cb, void *arg)
{
    return add(loop, fd, QAIO__IO_READ, cb, arg, false);
}

int qaio_add_writer(qaio_loop *loop, int fd, qaio_cb cb, void *arg)
{
    return add(loop, fd, QAIO__IO_WRITE, cb, arg, false);
}

int qaio__io_add_once(qaio_loop *loop, int fd, int which, qaio_cb cb, void *arg)
{
    return add(loop, fd, which, cb, arg, true);
}

/* A once-watcher's event arrived: it ends before its callback runs. The
 * kernel disarmed it, so the fd stays registered and no call is needed
 * (without epoll, the backend is told). */
static void end_once(qaio_loop *loop, qaio__io *io, int fd)
{
    qaio__watch *w = &io->watch[fd];
    if (io->epfd < 0)
        apply(loop, io, fd, 0);
    w->once = false;
    w->events = 0;
    w->rcb = w->wcb = NULL;
    w->registered = io->epfd >= 0;
    w->gen++;
}

void qaio__io_forget(qaio_loop *loop, int fd)
{
    qaio__io *io = io_of(loop);
    if (io && fd >= 0 && fd < io->cap && io->watch[fd].events == 0)
        io->watch[fd].registered = false;
}

int qaio_remove_reader(qaio_loop *loop, int fd) { return del(loop, fd, QAIO__IO_READ); }

int qaio_remove_writer(qaio_loop *loop, int fd) { return del(loop, fd, QAIO__IO_WRITE); }

/* Runs the callbacks of one ready fd. Each is looked up afresh: the reader
 * may have removed or replaced the writer, or the loop may have closed. */
static void dispatch_fd(qaio_loop *loop, int fd, uint32_t gen, int ready)
{
    qaio__io *io = io_of(loop);
    if (!io || fd >= io->cap || io->watch[fd].gen != gen)
        return;
    qaio__watch *w = &io->watch[fd];
    if (w->once) {
        qaio_cb cb = w->rcb ? w->rcb : w->wcb;
        void *arg = w->rcb ? w->rarg : w->warg;
        end_once(loop, io, fd);
        cb(arg);
        return;
    }
    if ((ready & QAIO__IO_READ) && w->rcb)
        w->rcb(w->rarg);
    io = io_of(loop);
    if (!io || fd >= io->cap)
        return;
    w = &io->watch[fd];
    if ((ready & QAIO__IO_WRITE) && w->wcb && w->gen == gen)
        w->wcb(w->warg);
}

#ifdef __linux__
static void epoll_batch(qaio_loop *loop, void *arg)
{
    int epfd = *(int *)arg;
    struct epoll_event evs[QAIO__EPOLL_BATCH];
    int n = epoll_wait(epfd, evs, QAIO__EPOLL_BATCH, 0);
    for (int i = 0; i < n; i++) {
        uint32_t e = evs[i].events;
        /* As selectors does: an error or hang-up wakes both directions. */
        int ready = (e & (EPOLLIN | EPOLLERR | EPOLLHUP) ? QAIO__IO_READ : 0) |
                    (e & (EPOLLOUT | EPOLLERR | EPOLLHUP) ? QAIO__IO_WRITE : 0);
        dispatch_fd(loop, (int)(uint32_t)evs[i].data.u64, (uint32_t)(evs[i].data.u64 >> 32), ready);
    }
}
#endif

struct single_event {
    int fd, which;
};

static void single_batch(qaio_loop *loop, void *arg)
{
    struct single_event *ev = arg;
    qaio__io *io = io_of(loop);
    if (io && ev->fd < io->cap)
        dispatch_fd(loop, ev->fd, io->watch[ev->fd].gen, ev->which);
}

static void fd_ready(qaio_loop *loop, int fd, int events)
{
    qaio__io *io = io_of(loop);
    if (!io)
        return;
#ifdef __linux__
    if (fd == io->epfd) {
        int epfd = io->epfd;
        qaio__loop_run_io(loop, epoll_batch, &epfd);
        return;
    }
#endif
    struct single_event ev = {fd, events};
    qaio__loop_run_io(loop, single_batch, &ev);
}
