/** qaio/qobject.h - Qt objects as things to wait for, from C.
 *
 * C has no QObject type, so every object here is passed as `void *` and must
 * be the address of a live QObject for the duration of the call (from C++,
 * convert a subclass pointer to QObject * first: with several bases the
 * addresses differ). qaio cannot tell a stale or foreign pointer from a
 * good one. After
 * the call the object may die at any time, on any thread: qaio notices
 * through its destroyed() signal, and nothing qaio holds keeps it alive.
 *
 * Waiters are never left suspended by an object's death: a future waiting
 * for a signal fails with QAIO_ECANCELED, and a task bound to an object is
 * cancelled. C++ users get type-safe wrappers in qaio/qt.hpp.
 * @file
 * @ingroup qobject
 */
/** @defgroup qobject Qt objects and signals as futures
 * @ingroup core
 * @{ */
#ifndef QAIO_QOBJECT_H
#define QAIO_QOBJECT_H

#include "qaio/future.h"
#include "qaio/task.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Builds a future's value from a signal's arguments at the moment it is
 * emitted. args[i] points to the i-th argument, of the C++ type the
 * signal's signature names; the pointers are valid only during the call, so
 * copy what you need. Return 0 with *value set (ownership passes to the
 * future, freed with the dtor given alongside), or a negative error that
 * becomes the future's error. Runs on the emitting thread, inside the
 * emission: keep it short, do not throw, do not wait. */
typedef int (*qaio_qobject_capture_fn)(void *const *args, void **value);

/** Returns a future completed by the NEXT emission of `signal` by `qobject`
 * (earlier emissions do not count), with value NULL. `signal` is a
 * signature such as "valueChanged(int)" (normalized here, so spacing and
 * const-ref spelling do not matter); the SIGNAL() macro's form with its
 * leading '2' is accepted too.
 *
 * The future fails with QAIO_ECANCELED if the object is destroyed before it
 * emits, with QAIO_ETIMEDOUT after timeout_s seconds (< 0: QAIO_FOREVER),
 * and is cancelled like any future by its user (qaio_future_cancel, or a
 * wait_for or a cancelled task that awaited it). The connection to the
 * object is removed on each of those paths. Dropping the last reference
 * without cancelling keeps the connection until the next emission, the
 * object's death or the timeout, whichever comes first; cancel first to
 * release it at once.
 *
 * The emission may happen on any thread: the future is completed there and
 * its waiters resume on the loop thread, from a fresh pass.
 *
 * Returns a future with one reference for the caller, or NULL with errno:
 * EINVAL (NULL loop, object or signal, no such signal, NaN timeout), -QAIO_EWRONGTHREAD
 * (not the loop's thread), -QAIO_ECLOSED (closed loop), ENOMEM. `signal` is
 * borrowed for the call. Loop thread. */
qaio_future *qaio_qobject_signal_future(qaio_loop *loop, void *qobject, const char *signal,
                                        double timeout_s);

/** As qaio_qobject_signal_future, but the value is capture(args) (see
 * qaio_qobject_capture_fn), freed with dtor (may be NULL) when the future
 * is. capture NULL gives a NULL value; a capture error fails the future
 * with it (QAIO_ECANCELED cancels it). Same errors and thread as
 * qaio_qobject_signal_future. */
qaio_future *qaio_qobject_signal_future_ex(qaio_loop *loop, void *qobject, const char *signal,
                                           double timeout_s, qaio_qobject_capture_fn capture,
                                           qaio_dtor dtor);

/** Binds task (any future, usually a task) to qobject's lifetime: when the
 * object is destroyed, on whichever thread, the task is cancelled (the
 * "context object" of asyncio callbacks and qasync slots). The binding
 * holds a reference to task and goes away when task is done; binding a
 * task that is already done does nothing. A task may be bound to several
 * objects. Returns 0, QAIO_EINVAL (NULL argument), QAIO_EWRONGTHREAD (not task's
 * loop thread), QAIO_ECLOSED or QAIO_ENOMEM. Both pointers are borrowed.
 * Loop thread of task. */
int qaio_qobject_bind_task(qaio_future *task, void *qobject);

/** Spawns fn(arg) as a detached task named `name` (copied; NULL for a
 * default): nobody awaits it, so when it ends with an error other than
 * QAIO_ECANCELED, the error is reported through the log hook
 * (qaio_set_log_hook) with the task's name; a cancellation is quiet. If
 * context (borrowed) is not NULL the task is bound to it
 * (qaio_qobject_bind_task).
 * This is what qasync's asyncSlot does for a slot (qaio::asyncSlot in
 * qaio/qt.hpp does the same, and hands its tasks back to the caller).
 *
 * Ownership of arg passes to the call: arg_dtor(arg) (if not NULL) runs on
 * the loop thread once the task is done, and at once if this call fails
 * (then fn never runs). Returns 0, QAIO_EINVAL (NULL loop or fn),
 * QAIO_EWRONGTHREAD, QAIO_ECLOSED or QAIO_ENOMEM. Loop thread. */
int qaio_qobject_spawn_detached(qaio_loop *loop, void *context, const char *name,
                                qaio_task_fn fn, void *arg, qaio_dtor arg_dtor);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
