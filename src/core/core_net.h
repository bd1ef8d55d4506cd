/* The core as the layers above it see it: src/net and the Qt shim's C++
 * files (executor, qobject) include this header and no other core internal.
 * It includes only public headers and fd_events.h, so any core file may
 * include it too; the files that implement these functions do, so the
 * compiler checks that both sides agree. */
#ifndef QAIO_CORE_NET_H
#define QAIO_CORE_NET_H

#include <stdbool.h>
#include <stdint.h>
#include "qaio/error.h"
#include "qaio/future.h"
#include "qaio/loop.h"
#include "fd_events.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Argument check shared by loop-thread-only functions: 0, QAIO_EINVAL,
 * QAIO_ECLOSED or QAIO_EWRONGTHREAD. loop.c. */
int qaio__check_loop(const qaio_loop *loop);

/* Reports through the log hook (printf-style). Any thread. log.c. */
void qaio__log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Nanoseconds of CLOCK_MONOTONIC, the clock of every deadline. log.c. */
int64_t qaio__now_ns(void);

/* Converts a timeout in seconds (< 0: none) to an absolute deadline in ns
 * of qaio__now_ns(); INT64_MAX for none; -1 for NaN. wait.c. */
int64_t qaio__deadline(double timeout_s);

/* Seconds left until an absolute deadline in ns (QAIO_FOREVER for none;
 * 0 once passed): the timeout to hand the next wait of a multi-step call.
 * wait.c. */
double qaio__remaining(int64_t deadline);

/* Waits until fut is done even if the calling task was cancelled (a
 * cancelled parent waiting for its cancelled children to clean up). Its
 * wakeup still cancels fut. 0 once done, else QAIO_ECLOSED/QAIO_EINVAL.
 * result.c. */
int qaio__wait_done(qaio_future *fut);

/* --- layers above the loop ------------------------------------------------
 * The loop knows nothing of tasks or I/O; each of those layers attaches
 * itself to a loop with hooks the loop calls. */
enum { QAIO__LAYER_TASKS, QAIO__LAYER_IO, QAIO__LAYERS };

typedef struct {
    /* qaio_loop_close, before the loop is marked closed, in layer order:
     * may still run the loop (the tasks are cancelled and awaited). */
    void (*shutdown)(qaio_loop *loop);
    /* After the loop is marked closed (also when its thread exits with the
     * loop open): frees the layer's state; its callbacks never run again. */
    void (*release)(qaio_loop *loop);
    /* An fd the layer watches through qaio__loop_watch_fd is ready for
     * `events` (QAIO__IO_READ | QAIO__IO_WRITE). */
    void (*fd_ready)(qaio_loop *loop, int fd, int events);
} qaio__layer;

/* Attaches (or, with NULL hooks, detaches) a layer and its state. Loop
 * thread. */
void qaio__loop_attach(qaio_loop *loop, int layer, const qaio__layer *hooks, void *state);

/* The state the layer attached, or NULL. */
void *qaio__loop_layer(const qaio_loop *loop, int layer);

/* Watches fd for QAIO__IO_READ and/or QAIO__IO_WRITE through the backend
 * (0 stops watching); readiness ends in the io layer's fd_ready. 0 or
 * QAIO_ENOMEM. Loop thread. */
int qaio__loop_watch_fd(qaio_loop *loop, int fd, int events);

/* Runs one I/O batch, fn(loop, arg), as the first part of a drain: what its
 * callbacks schedule (futures they complete, tasks they wake) runs right
 * after it, before the backend polls again, and needs no wakeup event. */
void qaio__loop_run_io(qaio_loop *loop, void (*fn)(qaio_loop *, void *), void *arg);

#ifdef __cplusplus
}
#endif
#endif
