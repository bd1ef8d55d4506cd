/** qaio/future.h - single-assignment, refcounted results.
 *
 * A future belongs to the loop it was created on: its done-callbacks run on
 * that loop's thread, always from a fresh pass (never inside set_result),
 * in registration order. It owns its value and calls the value's destructor
 * when the last reference goes. An error nobody retrieved (by result,
 * try_result, error or await) is reported through the log hook when the
 * future is freed.
 *
 * qaio_future_result() waits the way its caller can afford:
 *   - inside a qaio task: the task suspends (see task.h);
 *   - on the loop's thread outside a task: a nested QEventLoop runs until
 *     the future is done (other callbacks, timers and Qt events keep
 *     running meanwhile). Nested waits end last in, first out: when a
 *     callback run by it waits in turn, the outer wait returns only after
 *     the inner one, even if its own deadline passed first (debug mode
 *     reports that: qaio_loop_set_debug); they nest at most
 *     QAIO_MAX_NESTED_WAITS deep;
 *   - on any other thread: it blocks on a condition variable.
 * @file
 * @ingroup future
 */
/** @defgroup future Futures
 * @ingroup core
 * @{ */
#ifndef QAIO_FUTURE_H
#define QAIO_FUTURE_H

#include <stdbool.h>
#include "qaio/loop.h"
#include "qaio/wait_site.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A done-callback: called with the future that is done and the registered arg. */
typedef void (*qaio_done_cb)(qaio_future *fut, void *arg);
/** A value's destructor, called by the future that owns the value. */
typedef void (*qaio_dtor)(void *value);

/** Creates a pending future on loop, with one reference owned by the caller.
 * NULL (errno EINVAL, ENOMEM or -QAIO_ECLOSED) on failure. Any thread. */
qaio_future *qaio_future_new(qaio_loop *loop);

/** Takes another reference; returns fut (NULL for NULL). Any thread. */
qaio_future *qaio_future_ref(qaio_future *fut);

/** Drops a reference; the last one frees the future and its value. NULL is
 * ignored. Any thread. Dropping a reference one does not hold (a second
 * unref after the last) is undefined behaviour. Builds without NDEBUG
 * (CMAKE_BUILD_TYPE=Debug, as the sanitizer builds) keep the last 256
 * freed futures poisoned, so such an unref or a qaio_future_ref of them
 * aborts with "qaio: qaio_future_unref: task 'NAME' 0x... was already
 * freed (one qaio_future_unref too many)". */
void qaio_future_unref(qaio_future *fut);

/** Completes fut with value. Ownership of value passes to the future, which
 * calls dtor(value) (if dtor is not NULL) when freed -- also when this call
 * fails with QAIO_EALREADY, so nothing leaks. Returns 0, QAIO_EINVAL or
 * QAIO_EALREADY. Any thread. */
int qaio_future_set_result(qaio_future *fut, void *value, qaio_dtor dtor);

/** Completes fut with an error (negative, not QAIO_ECANCELED: use cancel).
 * message may be NULL and is copied. Returns 0, QAIO_EINVAL or
 * QAIO_EALREADY. Any thread. */
int qaio_future_set_error(qaio_future *fut, int err, const char *message);

/** Cancels fut. A plain future is done (cancelled) at once. A task is asked
 * to stop: its current or next wait returns QAIO_ECANCELED and the future is
 * done only when the task returns. Returns 1 if this call requested the
 * cancellation, 0 if fut was already done, QAIO_EINVAL for NULL. Any thread. */
int qaio_future_cancel(qaio_future *fut);

/** @{ */
/** State queries; false / 0 / NULL for NULL. Any thread. */
bool qaio_future_done(const qaio_future *fut);
bool qaio_future_cancelled(const qaio_future *fut);
/** @} */
/** 0 if pending or successful, else the error (QAIO_ECANCELED if cancelled).
 * Marks the error as retrieved. */
int qaio_future_error(const qaio_future *fut);
/** The message given to set_error (borrowed, valid while fut is), or NULL. */
const char *qaio_future_error_message(const qaio_future *fut);
/** The loop fut belongs to (borrowed). */
qaio_loop *qaio_future_loop(const qaio_future *fut);

/** Registers cb(fut, arg) to run on the loop thread once fut is done; if it
 * is already done, cb is scheduled for the next pass. The future keeps
 * itself alive until its callbacks ran. Returns 0, QAIO_EINVAL, QAIO_ENOMEM,
 * QAIO_EWRONGTHREAD (not the loop thread) or QAIO_ECLOSED. Loop thread. */
int qaio_future_add_done_callback(qaio_future *fut, qaio_done_cb cb, void *arg);

/** Removes every registration of (cb, arg) that has not run yet. Returns how
 * many were removed, or QAIO_EINVAL / QAIO_EWRONGTHREAD. Loop thread. */
int qaio_future_remove_done_callback(qaio_future *fut, qaio_done_cb cb, void *arg);

/** Waits for fut (see the table above) and returns 0 with *out set to the
 * value (borrowed: valid while the caller holds its reference; out may be
 * NULL), or fut's error. Other errors: QAIO_EINVAL, QAIO_ECLOSED (fut's loop
 * is closed, so nothing could complete it on that thread), QAIO_ECANCELED
 * when the waiting task itself is cancelled, QAIO_EDEADLK when a task would
 * wait for a task that awaits it (see qaio_await), QAIO_ELOOP when its
 * nested loop would nest deeper than QAIO_MAX_NESTED_WAITS. Any thread. */
int qaio_future_result(qaio_future *fut, void **out);

/** Like qaio_future_result, but gives up after timeout_s seconds with
 * QAIO_ETIMEDOUT (fut itself is left as it is). timeout_s < 0: no limit. */
int qaio_future_result_timeout(qaio_future *fut, double timeout_s, void **out);

/** Never waits: QAIO_EAGAIN while fut is pending, otherwise as result().
 * Any thread. */
int qaio_future_try_result(qaio_future *fut, void **out);

/* The waiting calls above record where they are made (qaio/wait_site.h):
 * same names, same symbols, arguments evaluated once. */
/** @cond */
#ifndef QAIO_NO_WAIT_SITES
#define qaio_future_result(...) QAIO_AT(QAIO_WAIT_FUTURE, qaio_future_result(__VA_ARGS__))
#define qaio_future_result_timeout(...) QAIO_AT(QAIO_WAIT_FUTURE, qaio_future_result_timeout(__VA_ARGS__))
#endif
/** @endcond */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
