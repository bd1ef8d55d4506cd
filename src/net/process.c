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
#include <stdint.h>
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
    /* The outcome travels in the waiter, so a waiter never touches a
     * process another task may have freed meanwhile. */
    int returncode = 0;
    if (!err)
        err = outcome(p, &returncode);
    qaio__waiter *w;
    while ((w = qaio__waitq_pop(&p->waiters)) != NULL)
        qaio__waiter_serve(w, err, (void *)(intptr_t)returncode);
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
    qaio__waiter w;
    if ((err = qaio__waiter_init(&w, p->loop, p)) != 0)
        return err;
    qaio__waitq_push(&p->waiters, &w, NULL);
    void *served = NULL;
    err = qaio__waiter_wait(&w, qaio__deadline(timeout_s), false, &served);
    if (!err && returncode)
        *returncode = (int)(intptr_t)served;
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
    qaio__waitq_fail_all(&p->waiters, QAIO_ECLOSED);
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
