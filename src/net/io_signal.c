/* Unix signal handlers (io.h): the self-pipe trick. The C handler only sets
 * a pending flag and writes one byte to the owning loop's pipe (both
 * async-signal-safe); the pipe's reader runs the user's callbacks in an
 * ordinary loop turn.
 *
 * A loop's pipe stays open until the process ends, even after the loop
 * closes (loops themselves are never freed): a handler running on another
 * thread may have read the write end's number just before its signal was
 * removed, and must never write into a file that reused that number.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "io_internal.h"

struct qaio__signals {
    int rfd, wfd;
    struct {
        qaio_cb cb;
        void *arg;
    } handler[NSIG];
};

/* Process-wide, because dispositions are. owner and saved: under lock.
 * wfd holds the owner's pipe write end plus one (0: not handled). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static qaio_loop *owner[NSIG];
static struct sigaction saved[NSIG];
static atomic_int wfd[NSIG];
static atomic_bool pending[NSIG];

static void on_signal(int signo)
{
    int saved_errno = errno;
    atomic_store(&pending[signo], true);
    int fd = atomic_load(&wfd[signo]) - 1;
    if (fd >= 0) {
        char byte = (char)signo;
        /* A full pipe already holds a wakeup: the flag is what counts. */
        ssize_t rc = write(fd, &byte, 1);
        (void)rc;
    }
    errno = saved_errno;
}

static void on_pipe_readable(void *arg)
{
    qaio_loop *loop = arg;
    qaio__io *io = qaio__loop_layer(loop, QAIO__LAYER_IO);
    char buf[64];
    while (read(io->signals->rfd, buf, sizeof buf) > 0)
        ;
    for (int signo = 1; signo < NSIG; signo++) {
        /* Re-read each time: a callback may remove handlers. */
        qaio__signals *s = io->signals;
        if (s->handler[signo].cb && atomic_exchange(&pending[signo], false))
            s->handler[signo].cb(s->handler[signo].arg);
    }
}

static qaio__signals *signals_get(qaio_loop *loop)
{
    qaio__io *io = qaio__io_get(loop);
    if (!io)
        return NULL;
    if (io->signals)
        return io->signals;
    qaio__signals *s = calloc(1, sizeof *s);
    int fds[2];
    if (!s || pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
        free(s);
        return NULL;
    }
    s->rfd = fds[0];
    s->wfd = fds[1];
    if (qaio_add_reader(loop, s->rfd, on_pipe_readable, loop) != 0) {
        close(fds[0]);
        close(fds[1]);
        free(s);
        return NULL;
    }
    io->signals = s;
    return s;
}

int qaio_add_signal_handler(qaio_loop *loop, int signo, qaio_cb cb, void *arg)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP || !cb)
        return QAIO_EINVAL;
    qaio__signals *s = signals_get(loop);
    if (!s)
        return QAIO_ENOMEM;
    pthread_mutex_lock(&lock);
    if (owner[signo] && owner[signo] != loop) {
        pthread_mutex_unlock(&lock);
        return QAIO_EBUSY;
    }
    s->handler[signo].cb = cb;
    s->handler[signo].arg = arg;
    if (!owner[signo]) {
        struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
        sigemptyset(&sa.sa_mask);
        atomic_store(&pending[signo], false);
        atomic_store(&wfd[signo], s->wfd + 1);
        if (sigaction(signo, &sa, &saved[signo]) != 0) {
            err = -errno;
            atomic_store(&wfd[signo], 0);
            s->handler[signo].cb = NULL;
        } else {
            owner[signo] = loop;
        }
    }
    pthread_mutex_unlock(&lock);
    return err;
}

/* Gives signo back to its previous disposition. Under lock. */
static void release(qaio_loop *loop, int signo)
{
    sigaction(signo, &saved[signo], NULL);
    owner[signo] = NULL;
    atomic_store(&wfd[signo], 0);
    atomic_store(&pending[signo], false);
    qaio__io *io = qaio__loop_layer(loop, QAIO__LAYER_IO);
    io->signals->handler[signo].cb = NULL;
}

int qaio_remove_signal_handler(qaio_loop *loop, int signo)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (signo <= 0 || signo >= NSIG)
        return QAIO_EINVAL;
    int removed = 0;
    pthread_mutex_lock(&lock);
    if (owner[signo] == loop) {
        release(loop, signo);
        removed = 1;
    }
    pthread_mutex_unlock(&lock);
    return removed;
}

void qaio__signals_free(qaio_loop *loop)
{
    qaio__io *io = qaio__loop_layer(loop, QAIO__LAYER_IO);
    if (!io || !io->signals)
        return;
    pthread_mutex_lock(&lock);
    for (int signo = 1; signo < NSIG; signo++)
        if (owner[signo] == loop)
            release(loop, signo);
    pthread_mutex_unlock(&lock);
    /* The pipe itself stays open: see the comment at the top. */
    free(io->signals);
    io->signals = NULL;
}
