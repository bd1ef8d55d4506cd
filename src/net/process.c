/* A process's API (process.h): its waits, signals and freeing. Spawning is
 * process_spawn.c, exit watching process_watch.c, communicate
 * process_communicate.c.
 *
 * Signals are sent from the loop thread only, so they can never race the
 * reaping. A process freed while its child runs stays allocated, streams
 * closed, as the child's watcher; the reaping frees it. If the loop closes
 * first, the watch moves to a thread of its own (process_watch.c).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "process_internal.h"

static int outcome(const qaio_process *p, int *returncode)
{
    if (p->state == LOST)
        return QAIO_ECHILD;
    if (returncode)
        *returncode = p->returncode;
    return 0;
}

void qaio__process_wake_waiters(qaio_process *p, int err)
{
    while (p->waiters) {
        waiter *w = p->waiters;
        p->waiters = w->next;
        if (w->next)
            w->next->prev = NULL;
        w->linked = false;
        w->err = err ? err : outcome(p, &w->returncode);
        qaio_future_set_result(w->fut, NULL, NULL);
    }
}

void qaio__process_close_streams(qaio_process *p)
{
    for (int i = 0; i < 3; i++) {
        qaio_stream_close(p->stdio[i]);
        p->stdio[i] = NULL;
    }
}

static int check(const qaio_process *p)
{
    return p ? qaio__check_loop(p->loop) : QAIO_EINVAL;
}

qaio_stream *qaio_process_stdin(const qaio_process *p) { return p ? p->stdio[0] : NULL; }
qaio_stream *qaio_process_stdout(const qaio_process *p) { return p ? p->stdio[1] : NULL; }
qaio_stream *qaio_process_stderr(const qaio_process *p) { return p ? p->stdio[2] : NULL; }

pid_t qaio_process_pid(const qaio_process *p) { return p ? p->pid : QAIO_EINVAL; }

int qaio_process_wait(qaio_process *p, double timeout_s, int *returncode)
{
    int err = check(p);
    if (err)
        return err;
    if (isnan(timeout_s))
        return QAIO_EINVAL;
    if (p->state != RUNNING)
        return outcome(p, returncode);
    waiter w = {.fut = qaio_future_new(p->loop), .linked = true};
    if (!w.fut)
        return errno ? -errno : QAIO_ENOMEM;
    w.next = p->waiters;
    if (w.next)
        w.next->prev = &w;
    p->waiters = &w;
    err = qaio_future_result_timeout(w.fut, timeout_s, NULL);
    if (w.linked) {
        /* Timed out, cancelled or the loop closed: p is still alive,
         * since exit and free unlink every waiter. */
        if (w.prev)
            w.prev->next = w.next;
        else
            p->waiters = w.next;
        if (w.next)
            w.next->prev = w.prev;
    } else {
        err = w.err;
        if (!err && returncode)
            *returncode = w.returncode;
    }
    qaio_future_unref(w.fut);
    return err;
}

int qaio_process_returncode(const qaio_process *p, int *returncode, int *wstatus)
{
    int err = check(p);
    if (err)
        return err;
    if (p->state == RUNNING)
        return QAIO_EAGAIN;
    if (p->state == EXITED && wstatus)
        *wstatus = p->wstatus;
    return outcome(p, returncode);
}

int qaio_process_send_signal(qaio_process *p, int signo)
{
    int err = check(p);
    if (err)
        return err;
    if (signo < 0 || signo >= NSIG)
        return QAIO_EINVAL;
    if (p->state != RUNNING)
        return QAIO_ESRCH;
    int rc;
#ifdef SYS_pidfd_send_signal
    if (p->pidfd >= 0)
        rc = (int)syscall(SYS_pidfd_send_signal, p->pidfd, signo, NULL, 0);
    else
#endif
        rc = kill(p->pid, signo);
    return rc == 0 ? 0 : -errno;
}

int qaio_process_terminate(qaio_process *p) { return qaio_process_send_signal(p, SIGTERM); }
int qaio_process_kill(qaio_process *p) { return qaio_process_send_signal(p, SIGKILL); }

int qaio_process_free(qaio_process *p)
{
    if (!p)
        return 0;
    int err = qaio__check_loop(p->loop);
    if (err == QAIO_EWRONGTHREAD)
        return err;
    if (p->communicating)
        return QAIO_EBUSY;
    qaio__process_close_streams(p);
    qaio__process_wake_waiters(p, QAIO_ECLOSED);
    if (p->state == RUNNING) {
        if (err != 0) {
            qaio__child_abandon(p); /* freed after its loop closed */
            return 0;
        }
        p->freed = true; /* reap() frees it */
        p->orphan.abandon = qaio__child_abandoned;
        qaio__orphan_add(p->loop, &p->orphan); /* ENOMEM: a zombie at loop close */
        return 0;
    }
    qaio__child_unwatch(p);
    free(p);
    return 0;
}
