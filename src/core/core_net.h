/* The core as the layers above it see it: src/net and the Qt shim's C++
 * files (executor, qobject) include this header and no other core internal.
 * It includes only public headers and fd_events.h, so any core file may
 * include it too; the files that implement these functions do, so the
 * compiler checks that both sides agree. */
#ifndef QAIO_CORE_NET_H
#define QAIO_CORE_NET_H

#include <stdbool.h>
#include <stddef.h>
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

/* Waits for fut the way the caller can afford (suspending its task, a
 * nested loop, or blocking another thread) until it is done (0 or its
 * error, *out its value) or the absolute deadline passes (QAIO_ETIMEDOUT;
 * INT64_MAX: none). qaio_future_result_timeout with a deadline. result.c. */
int qaio__await_until(qaio_future *fut, int64_t deadline, void **out);

/* Waits until fut is done even if the calling task was cancelled (a
 * cancelled parent waiting for its cancelled children to clean up). Its
 * wakeup still cancels fut. 0 once done, else QAIO_ECLOSED/QAIO_EINVAL.
 * result.c. */
int qaio__wait_done(qaio_future *fut);

/* --- waiters --------------------------------------------------------------
 * Waiting for something another part of the code signals (a lock handed
 * over, data arrived, a child exited) is one pattern, and this is its one
 * implementation. A waiter lives in the waiting call's frame. Inside a task
 * it parks the task and serving it schedules the task directly: no future,
 * no allocation, no done-callback. Outside a task (a nested loop on the
 * loop thread) it carries a plain future the nested loop waits on. A waiter
 * that gives up (timeout, cancellation) leaves its queue at once, so a
 * queue only ever holds waiters still pending. Loop thread. waitq.c. */
typedef struct qaio__waiter {
    struct qaio__waiter *prev, *next; /* in its queue */
    struct qaio__waitq *queue;        /* NULL: in none (a slot, or served) */
    qaio_loop *loop;
    void *item;                       /* a payload handed over with it (a put's item) */
    void *value;                      /* what it was served with */
    int err;                          /* served: 0 or the error it was served with */
    bool served;
    struct qaio__task *task;          /* the parked task; NULL: outside a task */
    qaio_future *fut;                 /* outside a task: what the nested loop awaits */
    qaio_handle unpark;               /* the task's queued wakeup, 0 before serving */
    const void *object;               /* what it waits on (a lock, a stream): introspection */
} qaio__waiter;

/* A FIFO of waiters (sync primitives, a process's waits). Zeroed: empty. */
typedef struct qaio__waitq {
    qaio__waiter *head, *tail;
} qaio__waitq;

/* Prepares *w in the caller's frame for a wait on object (an identity that
 * introspection reports). 0, or QAIO_ENOMEM outside a task (its future). */
int qaio__waiter_init(qaio__waiter *w, qaio_loop *loop, const void *object);

/* Waits until w is served (its error, 0 with *value the served value when
 * value is not NULL), the absolute deadline passes or the task is
 * cancelled (that error; w then leaves its queue). Served wins over a
 * timeout or a cancellation at the same moment: what was handed over is
 * never lost. shielded: ignore the calling task's cancellation. Releases
 * what init took: w is finished afterwards. */
int qaio__waiter_wait(qaio__waiter *w, int64_t deadline, bool shielded, void **value);

/* Serves a waiter still pending with value (err 0) or err, taking it out
 * of its queue and waking it from a fresh loop pass. False when it was
 * served already. */
bool qaio__waiter_serve(qaio__waiter *w, int err, void *value);

/* Appends w (initialised) with a payload. Cannot fail. */
void qaio__waitq_push(qaio__waitq *q, qaio__waiter *w, void *item);

/* The oldest waiter, taken out of q (to be served), or NULL. */
qaio__waiter *qaio__waitq_pop(qaio__waitq *q);

/* Serves up to n waiters, oldest first: with a NULL result when err is 0,
 * else with err. Returns how many. */
size_t qaio__waitq_wake(qaio__waitq *q, size_t n, int err);

/* Fails every waiter with err: the queue is empty and may be freed. */
void qaio__waitq_fail_all(qaio__waitq *q, int err);

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
