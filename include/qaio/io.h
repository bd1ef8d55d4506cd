/** qaio/io.h - file descriptor watching and Unix signal handlers.
 *
 * fd watching is level-triggered, as in asyncio: a reader callback runs on
 * the loop thread after every turn in which the fd is readable, until it is
 * removed. Each fd has at most one reader and one writer; adding a second
 * replaces the first. A callback may add or remove any watcher, its own
 * included. An error or hang-up on the fd runs both callbacks, so a reader
 * sees its EOF or error from read(2).
 *
 * What the callbacks of one I/O batch schedule (call_soon, futures they
 * complete, tasks they wake) runs before the loop polls for I/O again.
 *
 * On Linux every watched fd sits in one epoll set, and Qt watches only that
 * set's fd with one QSocketNotifier, so ten thousand sockets cost Qt's
 * dispatcher one fd. Elsewhere (or with QAIO_IO=notifier in the
 * environment) each fd gets its own QSocketNotifier.
 *
 * The fd stays the caller's: qaio never closes it. Remove its watchers
 * before closing it (a stale watcher on a reused fd number would fire for
 * the new file).
 *
 * Threads: every function here runs on the loop's thread only
 * (QAIO_EWRONGTHREAD elsewhere); on a closed loop they return QAIO_ECLOSED.
 * @file
 * @ingroup io
 */
/** @defgroup io File descriptors and Unix signals
 * @ingroup core
 * @{ */
#ifndef QAIO_IO_H
#define QAIO_IO_H

#include "qaio/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Calls cb(arg) on the loop thread while fd is readable (add_reader) or
 * writable (add_writer). Returns 0, or QAIO_EINVAL (NULL loop or cb,
 * fd < 0), QAIO_EBADF (fd is not open), QAIO_ENOTSUP (fd cannot be polled:
 * a regular file), QAIO_ENOMEM, QAIO_ECLOSED or QAIO_EWRONGTHREAD; on error
 * cb is never called and an earlier watcher of the fd is kept. */
int qaio_add_reader(qaio_loop *loop, int fd, qaio_cb cb, void *arg);
/** As qaio_add_reader, while fd is writable. */
int qaio_add_writer(qaio_loop *loop, int fd, qaio_cb cb, void *arg);

/** @{ */
/** Stops watching. Returns 1 if a watcher was removed, 0 if there was none
 * (removing twice is harmless), or QAIO_EINVAL, QAIO_ECLOSED, QAIO_EWRONGTHREAD. */
int qaio_remove_reader(qaio_loop *loop, int fd);
int qaio_remove_writer(qaio_loop *loop, int fd);
/** @} */

/** Calls cb(arg) on the loop thread, in a normal loop turn (never in signal
 * context), after signo was delivered to the process. Deliveries that arrive
 * before the callback ran are coalesced into one call. Typical use: SIGINT
 * -> qaio_loop_stop(), so Ctrl-C ends a run cleanly instead of killing the
 * process. Adding again for the same signal replaces the callback.
 *
 * A signal belongs to one loop at a time: QAIO_EBUSY if another loop
 * handles it. The process's previous disposition (a Qt Test handler, say) is
 * saved and restored by qaio_remove_signal_handler or loop close. Returns 0,
 * QAIO_EINVAL (NULL, signo out of range, SIGKILL or SIGSTOP), QAIO_EBUSY,
 * QAIO_ENOMEM, QAIO_ECLOSED or QAIO_EWRONGTHREAD. */
int qaio_add_signal_handler(qaio_loop *loop, int signo, qaio_cb cb, void *arg);

/** Removes the handler and restores the previous disposition. Returns 1 if
 * one was removed, 0 if there was none, or QAIO_EINVAL, QAIO_ECLOSED,
 * QAIO_EWRONGTHREAD. */
int qaio_remove_signal_handler(qaio_loop *loop, int signo);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
