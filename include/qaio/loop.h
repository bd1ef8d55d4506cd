/** qaio/loop.h - the event loop: an asyncio-style scheduler on Qt's loop.
 *
 * One loop per thread, created on first use by qaio_loop_get(). The loop
 * does not own an event loop of its own: its work is dispatched by whatever
 * Qt event loop runs on that thread (app.exec(), a dialog's exec(), a
 * QThread's exec(), or qaio_loop_run_forever()).
 *
 * Threads: unless a function says otherwise it must be called on the loop's
 * own thread and returns QAIO_EWRONGTHREAD elsewhere.
 * Closed loops: every call on a closed loop returns QAIO_ECLOSED or
 * 0/NULL; a closed loop's pointer stays valid for the
 * life of the process so that a stale pointer fails cleanly.
 * @file
 * @ingroup loop
 */
/** @defgroup loop The event loop
 * @ingroup core
 * @{ */
#ifndef QAIO_LOOP_H
#define QAIO_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include "qaio/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A thread's event loop (opaque; see qaio_loop_get). */
typedef struct qaio_loop qaio_loop;
/** A future, and a task's future (opaque; future.h, task.h). */
typedef struct qaio_future qaio_future;
/** A scheduled callback: called with the arg it was scheduled with. */
typedef void (*qaio_cb)(void *arg);

/** A scheduled call. 0 means the call failed (and its callback will never
 * run). Cancelling a handle that already ran or was cancelled is harmless. */
typedef uint64_t qaio_handle;

/** Timeouts are seconds as double; a negative value means no timeout. */
#define QAIO_FOREVER (-1.0)

/** Returns the calling thread's loop, creating it on first use. If no
 * QCoreApplication exists, one is created (so call this, or create your own
 * QApplication, on the main thread first). Inside a running application the
 * loop attaches to it: qaio work runs inside app.exec() with no extra call.
 * Borrowed: the loop lives until qaio_loop_close() or the thread's exit.
 * When the application object is destroyed, the loop of its thread is
 * closed with it (Qt's event dispatcher is gone, so nothing could run):
 * every later call on it returns QAIO_ECLOSED instead of waiting for ever,
 * and this function keeps returning that closed loop on that thread.
 * Any thread; returns NULL only when out of memory (errno set). */
qaio_loop *qaio_loop_get(void);

/** Runs a Qt event loop until qaio_loop_stop(). Runs may nest (a callback may
 * call it again; asyncio's "already running" rule does not apply), and
 * stop() ends the innermost one. Returns 0, QAIO_EINVAL, QAIO_ECLOSED,
 * QAIO_EWRONGTHREAD or QAIO_ELOOP (QAIO_MAX_NESTED_WAITS). Loop thread. */
int qaio_loop_run_forever(qaio_loop *loop);

/** Ends the innermost qaio_loop_run_forever / run_until_complete of this
 * loop after the current callback returns. It never quits an outer exec()
 * or a dialog's loop. Called when no run is active, the next run returns
 * after one pass over the callbacks already ready. Loop thread; a NULL or
 * closed loop is ignored. */
void qaio_loop_stop(qaio_loop *loop);

/** Runs the loop until fut is done. Returns 0 when the future has a result,
 * the future's error (QAIO_ECANCELED when cancelled), or QAIO_ESTOPPED if
 * qaio_loop_stop() ended the run first. The caller keeps its reference;
 * read the value with qaio_future_try_result(). Loop thread. */
int qaio_loop_run_until_complete(qaio_loop *loop, qaio_future *fut);

/** How deep waits that run a nested loop (qaio_future_result, qaio_sleep
 * and the other waits on the loop's thread outside a task, and
 * qaio_loop_run_forever / run_until_complete) may nest: a wait that would
 * start one more level returns QAIO_ELOOP instead, so a runaway recursion
 * of nested waits fails cleanly rather than overflowing the thread's stack
 * (each level takes a few KiB of it). Nested waits end last in, first out:
 * a wait whose deadline passes while a deeper one runs returns only once
 * that one has (see qaio_loop_set_debug for the report). Tasks do not
 * nest: their waits suspend. */
#define QAIO_MAX_NESTED_WAITS 1000

/** Closes the loop. Tasks still alive are cancelled first and the loop runs
 * until they end (their cleanup code runs; at most 5 s); then pending
 * callbacks and timers are dropped without running, a closed stream's
 * background flush is given up, later calls fail with QAIO_ECLOSED, and
 * the thread's next qaio_loop_get() makes a fresh loop. Returns QAIO_EBUSY
 * while a run of the loop is active. Loop thread. Closing twice returns 0.
 * A thread that ends with its loop open has it closed without the task
 * step (Qt's thread data may already be gone then): close the loop before
 * the thread ends, or tasks left alive leak with their stacks. */
int qaio_loop_close(qaio_loop *loop);

/** The loop's clock: monotonic seconds, the clock of qaio_call_at. Any
 * thread; NULL is allowed (the clock is process-wide). */
double qaio_loop_time(const qaio_loop *loop);

/** Schedules cb(arg) for the next pass, FIFO. Loop thread. Returns a handle,
 * or 0 (NULL cb, wrong thread, closed loop, no memory): then cb never runs. */
qaio_handle qaio_call_soon(qaio_loop *loop, qaio_cb cb, void *arg);

/** Schedules cb(arg) no earlier than delay_s seconds from now (delay_s >= 0
 * and finite). Equal deadlines run in the order they were scheduled. A
 * timer never runs before its deadline. Loop thread. 0 on failure. */
qaio_handle qaio_call_later(qaio_loop *loop, double delay_s, qaio_cb cb, void *arg);

/** Like qaio_call_later with an absolute qaio_loop_time() deadline; a
 * deadline in the past runs in the next pass. Loop thread. 0 on failure. */
qaio_handle qaio_call_at(qaio_loop *loop, double when, qaio_cb cb, void *arg);

/** Schedules cb(arg) on the loop's thread from any thread. Calls from one
 * thread run in the order they were made. Returns 0, QAIO_EINVAL,
 * QAIO_ENOMEM or QAIO_ECLOSED (then cb never runs). Any thread. */
int qaio_call_soon_threadsafe(qaio_loop *loop, qaio_cb cb, void *arg);

/** Cancels a call_soon/call_later/call_at handle. Returns 1 if the call was
 * pending and will not run, 0 if it already ran or was cancelled (or the
 * handle is 0), QAIO_EINVAL for a NULL loop. Loop thread. */
int qaio_cancel(qaio_loop *loop, qaio_handle handle);

/** Debug mode (also enabled by QAIO_DEBUG=1 in the environment at loop
 * creation): callbacks slower than slow_callback_s are reported through
 * the log hook with their duration, and so is a nested wait whose deadline
 * passed while a deeper nested wait held it (which future, its depth,
 * how late it returned). Loop thread. */
int qaio_loop_set_debug(qaio_loop *loop, bool enabled, double slow_callback_s);

/** @{ */
/** Replaces where qaio reports problems nobody can return as an error (an
 * error nobody retrieved, a slow callback). NULL restores the default,
 * which writes one line to stderr. The hook may be called on any thread.
 * Any thread; set it before starting work. */
typedef void (*qaio_log_fn)(const char *message, void *arg);
void qaio_set_log_hook(qaio_log_fn fn, void *arg);
/** @} */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
