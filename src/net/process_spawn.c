/* Starting a child (process.h), and pipes.
 *
 * A child is started with posix_spawnp: glibc's runs the child on a vfork'd
 * stack and reports exec failures to the caller, so a missing program is an
 * error of the spawn call. The fds the child gets are first moved to >= 3
 * and made close-on-exec in the parent, so the dup2 actions into 0..2 can
 * never overwrite one another, and nothing but 0..2 crosses the exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "process_internal.h"

extern char **environ;

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
        qaio__process_close_streams(p);
        free(p);
        return err;
    }
    p->state = RUNNING;
    if ((err = qaio__child_watch(p)) != 0) {
        qaio__child_collect_now(p);
        qaio__process_close_streams(p);
        free(p);
        return err;
    }
    *out = p;
    return 0;
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
