/** qaio/process.h - subprocesses and pipes (asyncio's create_subprocess_exec,
 * Process.wait / communicate / send_signal / terminate / kill).
 *
 * A child is started with posix_spawn, so a program that cannot be run
 * (missing, not executable, a bad working directory) fails the spawn call
 * itself with QAIO_ENOENT & co., never as a child that exits 127. The child
 * gets exactly three fds (0, 1, 2): every other fd is closed in it, its
 * signal mask is empty and every signal has its default disposition (a
 * SIGPIPE the parent ignores is not ignored by the child).
 *
 * Exit detection, without a SIGCHLD handler or any process-wide state: on
 * Linux >= 5.3 a pidfd (pidfd_open) is watched by the loop like any fd and
 * the child is reaped on the loop thread as soon as it exits. Where pidfd is
 * unavailable (older kernel, seccomp), or with QAIO_PIDFD=0 in the
 * environment, a job on the executor (executor.h) blocks in waitid() until
 * the child exits -- without reaping it -- and the loop thread then reaps
 * it. That fallback holds one executor thread per running child: size the
 * pool (qaio_executor_set_max_threads) for the children you keep running,
 * or other executor work queues behind them. Either way the reaping happens
 * on the loop thread, where signals are sent too, so a signal never reaches
 * a recycled pid (with a pidfd it is sent through the pidfd as well).
 *
 * Do not reap qaio's children yourself (waitpid(-1), SIGCHLD set to
 * SIG_IGN): the exit status is then lost and wait reports QAIO_ECHILD.
 *
 * Threads: every function runs on the thread of the process's loop
 * (QAIO_EWRONGTHREAD elsewhere). Waiting calls suspend inside a task and run a
 * nested Qt loop outside one, like every qaio wait; they take a timeout in
 * seconds (< 0: none, QAIO_FOREVER) and fail with QAIO_ETIMEDOUT, and
 * with QAIO_ECANCELED inside a cancelled task.
 * @file
 * @ingroup process
 */
/** @defgroup process Processes
 * @ingroup core
 * @{ */
#ifndef QAIO_PROCESS_H
#define QAIO_PROCESS_H

#include <stddef.h>
#include <sys/types.h>
#include "qaio/loop.h"
#include "qaio/wait_site.h"
#include "qaio/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A child process (opaque; owned by its creator, qaio_process_free). */
typedef struct qaio_process qaio_process;

/** What one of the child's fds 0, 1, 2 is connected to. */
typedef enum {
    QAIO_STDIO_INHERIT = 0, /**< the parent's own fd 0, 1 or 2 */
    QAIO_STDIO_PIPE,        /**< a pipe; the parent's end is a qaio_stream */
    QAIO_STDIO_DEVNULL,     /**< /dev/null */
    QAIO_STDIO_STDOUT,      /**< stderr only: wherever the child's stdout goes */
    QAIO_STDIO_FD           /**< the caller's fd (duplicated; it stays the caller's) */
} qaio_stdio_mode;

/** How one of the child's fds 0, 1, 2 is connected. */
typedef struct {
    qaio_stdio_mode mode; /**< what the fd is connected to */
    int fd; /**< QAIO_STDIO_FD only */
} qaio_stdio;

/** Zero-initialise, then set argv: { 0 } inherits fds 0-2, the environment
 * and the working directory. Every pointer is borrowed for the spawn call
 * only. */
typedef struct {
    /** The program and its arguments, NULL-terminated; argv[0] is searched
     * in the calling process's PATH when it has no '/' (as execvp does;
     * envp's PATH is not used for the search). Required. */
    const char *const *argv;
    /** "NAME=value" strings, NULL-terminated; NULL inherits the caller's. */
    const char *const *envp;
    /** The child's working directory; NULL: the caller's. */
    const char *cwd;
    /** stdio[0] is the child's stdin, [1] stdout, [2] stderr. */
    qaio_stdio stdio[3];
} qaio_process_options;

/** Starts a child process. On success *out is a new process object the
 * caller owns (qaio_process_free); each QAIO_STDIO_PIPE fd has a stream
 * owned by the process (qaio_process_stdin & co.). On error nothing was
 * started, nothing is left open, and *out is untouched.
 *
 * Returns 0, QAIO_EINVAL (NULL loop, options, argv or argv[0]; a bad mode;
 * QAIO_STDIO_STDOUT for stdin or stdout), QAIO_EBADF (a QAIO_STDIO_FD fd
 * that is not open), QAIO_ENOENT (no such program, or cwd does not exist),
 * QAIO_ENOTSUP (cwd on a C library that cannot change it in posix_spawn),
 * QAIO_ENOMEM, QAIO_ECLOSED, QAIO_EWRONGTHREAD, or another negative errno from
 * the exec (-EACCES, -ENOEXEC, -ENOTDIR, -EMFILE, ...). Loop thread. */
int qaio_process_spawn(qaio_loop *loop, const qaio_process_options *opts, qaio_process **out);

/** @{ */
/** The parent's end of the child's stdin, stdout or stderr pipe (borrowed:
 * owned and closed by the process), or NULL when that fd is not a
 * QAIO_STDIO_PIPE, after communicate closed stdin, or for a NULL p. To
 * send end-of-file to the child, use qaio_stream_write_eof on stdin. Do not
 * qaio_stream_close these streams. Loop thread. */
qaio_stream *qaio_process_stdin(const qaio_process *p);
qaio_stream *qaio_process_stdout(const qaio_process *p);
qaio_stream *qaio_process_stderr(const qaio_process *p);
/** @} */

/** The child's pid (still valid after it exited: it is only a number then),
 * or QAIO_EINVAL. Any thread. */
pid_t qaio_process_pid(const qaio_process *p);

/** Waits until the child exits and sets *returncode (may be NULL) the way
 * asyncio does: the exit status (0..255) if it exited, or minus the signal
 * number if a signal killed it (-9 for SIGKILL). Several tasks may wait at
 * once; once exited, every call returns at once. A timeout or a
 * cancellation leaves the child running. Returns 0, QAIO_ETIMEDOUT,
 * QAIO_ECANCELED, QAIO_ECHILD (someone else reaped the child: its status
 * is lost), QAIO_ECLOSED (p was freed by another task meanwhile, or the
 * loop closed), QAIO_EINVAL or QAIO_EWRONGTHREAD. Loop thread. */
int qaio_process_wait(qaio_process *p, double timeout_s, int *returncode);

/** Never waits: 0 with *returncode as in qaio_process_wait once the child
 * was reaped, QAIO_EAGAIN while it runs, QAIO_ECHILD, QAIO_EINVAL.
 * The raw waitpid() status is in *wstatus (may be NULL), for WCOREDUMP
 * and the like. Loop thread. */
int qaio_process_returncode(const qaio_process *p, int *returncode, int *wstatus);

/** Sends signo to the child (signo 0 checks that it still runs). After the
 * child was reaped nothing is sent and QAIO_ESRCH is returned, so a
 * recycled pid is never signalled; with a pidfd, QAIO_ESRCH comes as soon
 * as the child exited. Returns 0, QAIO_ESRCH, QAIO_EINVAL (bad signo) or
 * QAIO_EWRONGTHREAD. Loop thread. */
int qaio_process_send_signal(qaio_process *p, int signo);
/** @{ */
/** send_signal(SIGTERM) and send_signal(SIGKILL). */
int qaio_process_terminate(qaio_process *p);
int qaio_process_kill(qaio_process *p);
/** @} */

/** What qaio_process_communicate collected. */
typedef struct {
    /** The child's stdout and stderr (malloc'd, owned by the caller; one NUL
     * byte follows the data so text can be used as a C string), or NULL
     * when that fd was not a QAIO_STDIO_PIPE. */
    char *out, *err; /**< err: as out, for stderr */
    size_t out_len; /**< the bytes in out, without the NUL */
    size_t err_len; /**< the bytes in err, without the NUL */
    /** As qaio_process_wait's, once communicate succeeded; else 0. */
    int returncode;
} qaio_process_output;

/** Default per-stream cap of communicate (max_output 0). */
#define QAIO_PROCESS_OUTPUT_MAX (64u * 1024 * 1024)

/** Writes input_len bytes of input to the child's stdin and closes it
 * (qaio_process_stdin is NULL afterwards), while reading its stdout and
 * stderr to end of file concurrently (so a child that writes a lot while
 * we are still writing cannot deadlock us), then waits until it exits.
 * input may be NULL when input_len is 0; with a stdin pipe, stdin is closed
 * even then (the child sees end of file). A child that exits without
 * reading all of its input is not an error (EPIPE is ignored).
 *
 * *res (required) is always filled in, also on error: free it with
 * qaio_process_output_clear whatever the result. On error it holds what
 * was read until then. Each of stdout and stderr may bring at most
 * max_output bytes (0: QAIO_PROCESS_OUTPUT_MAX): more fails with
 * QAIO_EMSGSIZE at once, so a runaway child cannot eat memory. timeout_s
 * bounds the whole call.
 *
 * On every error (QAIO_ETIMEDOUT, QAIO_ECANCELED, QAIO_EMSGSIZE, a stream
 * error) the child is left running, stdin is closed, and the call has
 * stopped reading: terminate or kill it, then wait. Returns 0,
 * QAIO_EINVAL (NULL p or res; input with no stdin pipe), QAIO_EBUSY
 * (another communicate on p), QAIO_EWRONGTHREAD, QAIO_ECHILD, or the error
 * above. Loop thread. */
int qaio_process_communicate(qaio_process *p, const void *input, size_t input_len,
                             size_t max_output, double timeout_s, qaio_process_output *res);

/** Frees res->out and res->err and zeroes *res. NULL is ignored. */
void qaio_process_output_clear(qaio_process_output *res);

/** Closes the process's streams (flushing stdin in the background, as
 * qaio_stream_close does) and frees p. A child still running is not killed
 * (as in asyncio): it runs on, and the loop reaps it when it exits, so no
 * zombie stays. If the loop closes first (or closed before this call), a
 * detached thread of qaio's waits for the child instead (asyncio's threaded
 * child watcher), so the pid must not be waited for elsewhere after this
 * call. Other tasks waiting in
 * qaio_process_wait return QAIO_ECLOSED. NULL is ignored (0). Returns 0,
 * QAIO_EBUSY (a communicate on p is running: nothing happened) or
 * QAIO_EWRONGTHREAD. Loop thread. */
int qaio_process_free(qaio_process *p);

/* --- pipes -------------------------------------------------------------- */

/** Makes a pipe whose two ends are streams (both O_CLOEXEC): bytes written
 * to *write_end are read from *read_end. Both are owned by the caller
 * (qaio_stream_close). For a pipe between two children, or to hand one end
 * to a child, use pipe2() and QAIO_STDIO_FD instead: the fd the child gets
 * must stay blocking. Returns 0, QAIO_EINVAL, -EMFILE or -ENFILE,
 * QAIO_ENOMEM, QAIO_ECLOSED or QAIO_EWRONGTHREAD; on error nothing is left open.
 * Loop thread. */
int qaio_open_pipe(qaio_loop *loop, qaio_stream **read_end, qaio_stream **write_end);

/* The waiting calls above record where they are made (qaio/wait_site.h):
 * same names, same symbols, arguments evaluated once. */
/** @cond */
#ifndef QAIO_NO_WAIT_SITES
#define qaio_process_wait(...) QAIO_AT(QAIO_WAIT_PROCESS, qaio_process_wait(__VA_ARGS__))
#define qaio_process_communicate(...) QAIO_AT(QAIO_WAIT_PROCESS, qaio_process_communicate(__VA_ARGS__))
#endif
/** @endcond */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
