/* Subprocesses and pipes (process.h).
 *
 * A child is started with posix_spawnp: glibc's runs the child on a vfork'd
 * stack and reports exec failures to the caller, so a missing program is an
 * error of the spawn call. The fds the child gets are first moved to >= 3
 * and made close-on-exec in the parent, so the dup2 actions into 0..2 can
 * never overwrite one another, and nothing but 0..2 crosses the exec.
 *
 * Exit detection has two ways, both ending in reap() on the loop thread:
 * a pidfd watched like any other fd, or an executor job blocking in
 * waitid(WNOWAIT), which leaves the zombie in place so that the pid stays
 * ours until the loop thread reaps it. Signals are sent from the loop
 * thread only, so they can never race the reaping.
 *
 * A process freed while its child runs stays allocated, streams closed,
 * as the child's watcher; reap() frees it. If the loop closes first, the
 * watch moves to a detached thread blocked in waitpid (asyncio's threaded
 * child watcher), so the child never stays a zombie and p is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "qaio/executor.h"
#include "qaio/process.h"
#include "qaio/task.h"
#include "io_internal.h"

extern char **environ;

enum { RUNNING, EXITED, LOST };

/* A qaio_process_wait in progress; lives on the waiter's stack. Whoever
 * completes it unlinks it and leaves the outcome here, so the waiter never
 * touches a process another task may have freed meanwhile. */
typedef struct waiter {
    struct waiter *prev, *next;
    qaio_future *fut;
    bool linked;
    int err, returncode;
} waiter;

struct qaio_process {
    qaio_loop *loop;
    pid_t pid;
    int state;
    int wstatus, returncode;
    int pidfd;           /* -1: watched by an executor job instead */
    qaio_future *job;    /* the executor's waitid job, while it runs */
    qaio_stream *stdio[3];
    waiter *waiters;
    bool communicating;
    bool freed;          /* the owner let go; reap() frees */
    qaio__orphan orphan; /* while freed: abandoned if the loop closes */
};

static int watch_exit(qaio_process *p);

/* --- waiting and reaping ---------------------------------------------------- */

static int to_returncode(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return -WTERMSIG(st);
    return st;
}

static int outcome(const qaio_process *p, int *returncode)
{
    if (p->state == LOST)
        return QAIO_ECHILD;
    if (returncode)
        *returncode = p->returncode;
    return 0;
}

static void wake_waiters(qaio_process *p, int err)
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

static void stop_watching(qaio_process *p)
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
    stop_watching(p);
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
static void collect_now(qaio_process *p)
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
        if (p->pidfd < 0 && !p->job && watch_exit(p) != 0)
            collect_now(p);
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
    wake_waiters(p, 0);
}

static void *reaper_thread(void *arg)
{
    wait_child((pid_t)(intptr_t)arg, NULL, 0);
    return NULL;
}

/* The loop is closed and p's child may still run: nothing of the loop
 * will ever reap it, so a thread of its own does. Frees p. */
static void reap_without_loop(qaio_process *p)
{
    stop_watching(p); /* closes the pidfd; the closed loop drops its watcher */
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
static void abandon_child(qaio__orphan *o)
{
    reap_without_loop((qaio_process *)((char *)o - offsetof(qaio_process, orphan)));
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
static int watch_exit(qaio_process *p)
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

/* --- spawning --------------------------------------------------------------- */

/* Moves fd to >= 3 (close-on-exec), so dup2 into 0..2 cannot clobber it. */
static int above_stdio(int fd)
{
    if (fd < 0 || fd > 2)
        return fd;
    int d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int e = errno;
    close(fd);
    errno = e;
    return d;
}

/* Makes the fd the child gets as fd i (>= 3, close-on-exec, ours to close),
 * and for a pipe the parent's stream. *child is -1 when the child keeps the
 * parent's fd (inherit) or gets its stdout (QAIO_STDIO_STDOUT). */
static int stdio_prepare(qaio_process *p, int i, const qaio_stdio *io, int *child)
{
    *child = -1;
    switch (io->mode) {
    case QAIO_STDIO_INHERIT:
    case QAIO_STDIO_STDOUT:
        return 0;
    case QAIO_STDIO_DEVNULL:
        *child = above_stdio(open("/dev/null", O_RDWR | O_CLOEXEC));
        return *child < 0 ? -errno : 0;
    case QAIO_STDIO_FD:
        *child = fcntl(io->fd, F_DUPFD_CLOEXEC, 3);
        return *child < 0 ? (errno == EBADF ? QAIO_EBADF : -errno) : 0;
    case QAIO_STDIO_PIPE: {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            return -errno;
        int mine = i == 0 ? fds[1] : fds[0];
        int theirs = above_stdio(i == 0 ? fds[0] : fds[1]);
        int err = theirs < 0 ? -errno : qaio_stream_open_fd(p->loop, mine, &p->stdio[i]);
        if (err) {
            close(mine);
            if (theirs >= 0)
                close(theirs);
            return err;
        }
        *child = theirs;
        return 0;
    }
    }
    return QAIO_EINVAL;
}

static int check_options(const qaio_process_options *o)
{
    if (!o || !o->argv || !o->argv[0])
        return QAIO_EINVAL;
    for (int i = 0; i < 3; i++) {
        qaio_stdio_mode m = o->stdio[i].mode;
        if (m < QAIO_STDIO_INHERIT || m > QAIO_STDIO_FD || (m == QAIO_STDIO_STDOUT && i != 2))
            return QAIO_EINVAL;
        if (m == QAIO_STDIO_FD && o->stdio[i].fd < 0)
            return QAIO_EBADF;
    }
#if !defined(__GLIBC__) || __GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 29)
    if (o->cwd)
        return QAIO_ENOTSUP;
#endif
    return 0;
}

static int do_spawn(const qaio_process_options *o, const int child[3], pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc)
        return -rc;
    rc = posix_spawnattr_init(&attr);
    if (rc) {
        posix_spawn_file_actions_destroy(&fa);
        return -rc;
    }
    for (int i = 0; i < 3 && !rc; i++) {
        if (child[i] >= 0)
            rc = posix_spawn_file_actions_adddup2(&fa, child[i], i);
        else if (o->stdio[i].mode == QAIO_STDIO_STDOUT)
            rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
    }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
    /* Fds other code opened without O_CLOEXEC stay out of the child too. */
    if (!rc)
        rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 29)
    if (!rc && o->cwd)
        rc = posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
#endif
    /* The child starts with no blocked signal and default dispositions:
     * what the parent ignores or blocks is no business of the program. */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    if (!rc)
        rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (!rc)
        rc = posix_spawnattr_setsigmask(&attr, &none);
    if (!rc)
        rc = posix_spawnattr_setsigdefault(&attr, &all);
    if (!rc)
        rc = posix_spawnp(pid, o->argv[0], &fa, &attr, (char *const *)o->argv,
                          (char *const *)(o->envp ? o->envp : (const char *const *)environ));
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return -rc;
}

static void close_streams(qaio_process *p)
{
    for (int i = 0; i < 3; i++) {
        qaio_stream_close(p->stdio[i]);
        p->stdio[i] = NULL;
    }
}

int qaio_process_spawn(qaio_loop *loop, const qaio_process_options *opts, qaio_process **out)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (!out)
        return QAIO_EINVAL;
    if ((err = check_options(opts)) != 0)
        return err;
    qaio_process *p = calloc(1, sizeof *p);
    if (!p)
        return QAIO_ENOMEM;
    p->loop = loop;
    p->pidfd = -1;
    int child[3] = {-1, -1, -1};
    for (int i = 0; i < 3 && !err; i++)
        err = stdio_prepare(p, i, &opts->stdio[i], &child[i]);
    if (!err)
        err = do_spawn(opts, child, &p->pid);
    for (int i = 0; i < 3; i++)
        if (child[i] >= 0)
            close(child[i]);
    if (err) {
        close_streams(p);
        free(p);
        return err;
    }
    p->state = RUNNING;
    if ((err = watch_exit(p)) != 0) {
        collect_now(p);
        close_streams(p);
        free(p);
        return err;
    }
    *out = p;
    return 0;
}

/* --- the process's API ------------------------------------------------------ */

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
    close_streams(p);
    wake_waiters(p, QAIO_ECLOSED);
    if (p->state == RUNNING) {
        if (err != 0) {
            reap_without_loop(p); /* freed after its loop closed */
            return 0;
        }
        p->freed = true; /* reap() frees it */
        p->orphan.abandon = abandon_child;
        qaio__orphan_add(p->loop, &p->orphan); /* ENOMEM: a zombie at loop close */
        return 0;
    }
    stop_watching(p);
    free(p);
    return 0;
}

/* --- communicate ------------------------------------------------------------ */

#define CHUNK (64 * 1024)

typedef struct {
    qaio_process *p;
    const char *data;
    size_t len;
} feeder;

typedef struct {
    qaio_stream *s;
    char *buf;
    size_t len, cap, max;
} reader;

/* Writes the input, then closes stdin so the child sees end of file: this
 * must not wait for the readers, or `cat` would never finish. */
static int feed_task(void *arg, qaio_future *self)
{
    (void)self;
    feeder *f = arg;
    qaio_stream *s = f->p->stdio[0];
    f->p->stdio[0] = NULL;
    int err = 0;
    for (size_t off = 0; off < f->len && !err; off += CHUNK) {
        size_t n = f->len - off < CHUNK ? f->len - off : CHUNK;
        err = qaio_stream_write(s, f->data + off, n);
        if (!err)
            err = qaio_stream_drain(s, QAIO_FOREVER);
    }
    if (!err) {
        err = qaio_stream_wait_closed(s, QAIO_FOREVER);
    } else {
        qaio_stream_close(s);
    }
    /* A child that exits without reading all its input is not an error. */
    return err == QAIO_EPIPE || err == QAIO_ECONNRESET ? 0 : err;
}

static int read_task(void *arg, qaio_future *self)
{
    (void)self;
    reader *r = arg;
    for (;;) {
        /* Room for one chunk, one byte over the cap (to see it exceeded)
         * and the NUL. */
        size_t want = r->max + 1 - r->len < CHUNK ? r->max + 1 - r->len : CHUNK;
        if (r->len + want + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : CHUNK;
            while (cap < r->len + want + 1)
                cap = cap > SIZE_MAX / 2 ? r->len + want + 1 : cap * 2;
            if (cap > r->max + 2)
                cap = r->max + 2;
            char *b = realloc(r->buf, cap);
            if (!b)
                return QAIO_ENOMEM;
            r->buf = b;
            r->cap = cap;
        }
        ssize_t n = qaio_stream_read(r->s, r->buf + r->len, want, QAIO_FOREVER);
        if (n <= 0)
            return (int)n;
        r->len += (size_t)n;
        if (r->len > r->max) {
            r->len = r->max;
            return QAIO_EMSGSIZE;
        }
    }
}

static char *take_output(reader *r, size_t *len)
{
    if (!r->s)
        return NULL;
    char *b = r->buf ? r->buf : malloc(1);
    if (b)
        b[r->len] = '\0';
    *len = b ? r->len : 0;
    r->buf = NULL;
    return b;
}

int qaio_process_communicate(qaio_process *p, const void *input, size_t input_len,
                             size_t max_output, double timeout_s, qaio_process_output *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    int err = check(p);
    if (err)
        return err;
    if (!res || (input_len && !input) || (input_len && !p->stdio[0]) || isnan(timeout_s) ||
        (max_output && max_output > SIZE_MAX - 2))
        return QAIO_EINVAL;
    if (p->communicating)
        return QAIO_EBUSY;
    p->communicating = true;
    double deadline = timeout_s < 0 ? INFINITY : qaio_loop_time(p->loop) + timeout_s;
    size_t max = max_output ? max_output : QAIO_PROCESS_OUTPUT_MAX;
    feeder f = {p, input, input_len};
    reader rd[2] = {{.s = p->stdio[1], .max = max}, {.s = p->stdio[2], .max = max}};

    /* One task per pipe, so no direction can block another; this call
     * only watches them, and stops them all at the first failure. */
    qaio_future *tasks[3];
    size_t n = 0;
    if (p->stdio[0]) {
        tasks[n] = qaio_spawn_named(p->loop, "communicate-stdin", 0, feed_task, &f);
        err = tasks[n] ? 0 : -errno;
        n += !err;
    }
    for (int i = 0; i < 2 && !err; i++) {
        if (!rd[i].s)
            continue;
        const char *name = i ? "communicate-stderr" : "communicate-stdout";
        tasks[n] = qaio_spawn_named(p->loop, name, 0, read_task, &rd[i]);
        err = tasks[n] ? 0 : -errno;
        n += !err;
    }
    size_t pending = n;
    qaio_future *wait_on[3];
    memcpy(wait_on, tasks, sizeof wait_on);
    while (!err && pending > 0) {
        double left = deadline - qaio_loop_time(p->loop);
        size_t i;
        err = qaio_wait_any(wait_on, pending, isinf(left) ? QAIO_FOREVER : left > 0 ? left : 0, &i);
        if (!err) {
            err = qaio_future_error(wait_on[i]);
            wait_on[i] = wait_on[--pending];
        }
    }
    /* Nothing this call started may outlive it: they use our stack. */
    for (size_t i = 0; i < n; i++) {
        qaio_future_cancel(tasks[i]);
        qaio__wait_done(tasks[i]);
        qaio_future_unref(tasks[i]);
    }
    if (p->stdio[0]) { /* the feeder was cancelled before it started */
        qaio_stream_close(p->stdio[0]);
        p->stdio[0] = NULL;
    }
    res->out = take_output(&rd[0], &res->out_len);
    res->err = take_output(&rd[1], &res->err_len);
    if (((rd[0].s && !res->out) || (rd[1].s && !res->err)) && !err)
        err = QAIO_ENOMEM;
    free(rd[0].buf);
    free(rd[1].buf);
    if (!err) {
        double left = deadline - qaio_loop_time(p->loop);
        err = qaio_process_wait(p, isinf(left) ? QAIO_FOREVER : left > 0 ? left : 0,
                                &res->returncode);
    }
    p->communicating = false;
    return err;
}

void qaio_process_output_clear(qaio_process_output *res)
{
    if (!res)
        return;
    free(res->out);
    free(res->err);
    memset(res, 0, sizeof *res);
}

/* --- pipes ------------------------------------------------------------------ */

int qaio_open_pipe(qaio_loop *loop, qaio_stream **read_end, qaio_stream **write_end)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (!read_end || !write_end)
        return QAIO_EINVAL;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    qaio_stream *r = NULL, *w = NULL;
    if ((err = qaio_stream_open_fd(loop, fds[0], &r)) != 0) {
        close(fds[0]);
        close(fds[1]);
        return err;
    }
    if ((err = qaio_stream_open_fd(loop, fds[1], &w)) != 0) {
        qaio_stream_close(r);
        close(fds[1]);
        return err;
    }
    *read_end = r;
    *write_end = w;
    return 0;
}
