/* Watching a child for its exit. Three mechanisms, all ending in reap() on
 * the loop thread: a pidfd watched like any other fd; an executor job
 * blocking in waitid(WNOWAIT), which leaves the zombie in place so that
 * the pid stays ours until the loop thread reaps it (no pidfd: old
 * kernels, QAIO_PIDFD=0); and, once the loop is closed, a detached thread
 * blocked in waitpid (asyncio's threaded child watcher), so the child
 * never stays a zombie. qaio__child_watch picks between the first two.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "qaio/executor.h"
#include "process_internal.h"

static int to_returncode(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return -WTERMSIG(st);
    return st;
}

void qaio__child_unwatch(qaio_process *p)
{
    if (p->pidfd >= 0) {
        qaio_remove_reader(p->loop, p->pidfd);
        close(p->pidfd);
        p->pidfd = -1;
    }
    if (p->job) {
        /* Still blocked in waitid: it ends when the child exits, and its
         * result is then dropped. */
        qaio_future_unref(p->job);
        p->job = NULL;
    }
}

static void record_exit(qaio_process *p, pid_t r, int st)
{
    qaio__child_unwatch(p);
    if (r == p->pid) {
        p->state = EXITED;
        p->wstatus = st;
        p->returncode = to_returncode(st);
    } else {
        p->state = LOST; /* someone else reaped it */
    }
}

/* waitpid, resumed after a signal. */
static pid_t wait_child(pid_t pid, int *st, int flags)
{
    pid_t r;
    do
        r = waitpid(pid, st, flags);
    while (r < 0 && errno == EINTR);
    return r;
}

/* The last resort when nothing can tell us about the exit (out of memory
 * for the watcher): kill the child and collect it now, blocking. */
void qaio__child_collect_now(qaio_process *p)
{
    int st = 0;
    kill(p->pid, SIGKILL);
    pid_t r = wait_child(p->pid, &st, 0);
    record_exit(p, r, st);
}

/* Collects the child if it exited, and completes the waits. */
static void reap(qaio_process *p, bool job_failed)
{
    int st = 0;
    pid_t r = wait_child(p->pid, &st, WNOHANG);
    if (r == 0 && !job_failed) {
        /* Still running (a spurious wakeup, or a job that returned early):
         * keep or restart the watch. */
        if (p->pidfd < 0 && !p->job && qaio__child_watch(p) != 0)
            qaio__child_collect_now(p);
        else
            return;
    } else {
        record_exit(p, r, st);
    }
    if (p->freed) {
        qaio__orphan_remove(p->loop, &p->orphan);
        free(p);
        return;
    }
    qaio__process_wake_waiters(p, 0);
}

static void *reaper_thread(void *arg)
{
    wait_child((pid_t)(intptr_t)arg, NULL, 0);
    return NULL;
}

/* The loop is closed and p's child may still run: nothing of the loop
 * will ever reap it, so a thread of its own does. Frees p. */
void qaio__child_abandon(qaio_process *p)
{
    qaio__child_unwatch(p); /* closes the pidfd; the closed loop drops its watcher */
    if (wait_child(p->pid, NULL, WNOHANG) == 0) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 64 * 1024);
        /* Without a thread (out of resources) it ends as a zombie. */
        pthread_create(&t, &attr, reaper_thread, (void *)(intptr_t)p->pid);
        pthread_attr_destroy(&attr);
    }
    free(p);
}

/* The loop closes while the child of a freed process runs. */
void qaio__child_abandoned(qaio__orphan *o)
{
    qaio__child_abandon((qaio_process *)((char *)o - offsetof(qaio_process, orphan)));
}

static void on_pidfd_readable(void *arg) { reap(arg, false); }

static void on_job_done(qaio_future *job, void *arg)
{
    qaio_process *p = arg;
    bool failed = qaio_future_error(job) != 0;
    qaio_future_unref(p->job);
    p->job = NULL;
    reap(p, failed);
}

/* Runs on an executor thread: waits for the child's exit without reaping
 * it, so its pid cannot be recycled before the loop thread reaps it. */
static int waitid_job(void *arg, void **out)
{
    siginfo_t si;
    int rc;
    do
        rc = waitid(P_PID, (id_t)(intptr_t)arg, &si, WEXITED | WNOWAIT);
    while (rc < 0 && errno == EINTR);
    *out = NULL;
    /* ECHILD: reaped elsewhere (the reaper thread of a closed loop); reap()
     * finds that out itself, and an error nobody reads would be logged. */
    return rc < 0 && errno != ECHILD ? -errno : 0;
}

static bool pidfd_wanted(void)
{
    const char *v = getenv("QAIO_PIDFD");
    return !v || strcmp(v, "0") != 0;
}

/* Starts watching for the child's exit: a pidfd in the loop, else an
 * executor job. 0 or a negative error (then nothing watches). */
int qaio__child_watch(qaio_process *p)
{
#ifdef SYS_pidfd_open
    if (pidfd_wanted()) {
        int fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
        if (fd >= 0) {
            if (qaio_add_reader(p->loop, fd, on_pidfd_readable, p) == 0) {
                p->pidfd = fd;
                return 0;
            }
            close(fd);
        }
    }
#endif
    p->job = qaio_executor_call(p->loop, waitid_job, (void *)(intptr_t)p->pid, NULL);
    if (!p->job)
        return errno ? -errno : QAIO_ENOMEM;
    int err = qaio_future_add_done_callback(p->job, on_job_done, p);
    if (err) {
        qaio_future_unref(p->job);
        p->job = NULL;
    }
    return err;
}
