/** qaio/task.h - stackful coroutine tasks.
 *
 * A task is a future plus a fiber (its own stack). Inside a task, waiting
 * calls (qaio_await, qaio_sleep, qaio_future_result, the sync.h and stream
 * waits) suspend the task and let the loop run; outside a task the same
 * calls block on a nested Qt loop. So one function written with qaio_await
 * and qaio_sleep works both as a concurrent task and as a blocking call.
 *
 * Cancellation (qaio_future_cancel on a task, from any thread) is an ordinary
 * error path: the task's current wait returns QAIO_ECANCELED, and so does
 * every later wait (cancellation is sticky, as in libdill, so cleanup that
 * waits cannot hang a cancelled task). The awaited future is cancelled too,
 * so a child the task was waiting on does not outlive it. The task's future
 * is done (cancelled) only when its function has returned.
 *
 * Tasks run on the thread of the loop they were spawned on. Stacks are
 * mmap'd, lazily committed (a task touches only what it uses), pooled, and
 * guarded. A task takes its stack when it first runs, so spawned tasks
 * that have not run yet commit no stack memory at all; a task that finds
 * no memory for its stack then fails with QAIO_ENOMEM without running. An
 * overflow aborts with "qaio: task 'NAME' overflowed its N KiB stack"
 * instead of a bare SIGSEGV.
 * @file
 * @ingroup task
 */
/** @defgroup task Tasks, combinators and task groups
 * @ingroup core
 * @{ */
#ifndef QAIO_TASK_H
#define QAIO_TASK_H

#include <stddef.h>
#include "qaio/future.h"
#include "qaio/wait_site.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A task's function. It completes its own future `self` (set_result), or
 * returns a negative error that becomes the future's error; returning 0
 * without setting a result completes it with a NULL value. Returning
 * QAIO_ECANCELED after a cancellation marks the future cancelled. */
typedef int (*qaio_task_fn)(void *arg, qaio_future *self);

/** Default stack: 256 KiB of address space, committed page by page as used:
 * enough for Qt widget calls and printf-heavy code. */
#define QAIO_TASK_DEFAULT_STACK (256 * 1024)

/** Spawns fn(arg) as a task on loop; it starts in the next pass. Returns the
 * task's future with one reference for the caller (NULL with errno on
 * failure: EINVAL, ENOMEM, -QAIO_ECLOSED, -QAIO_EWRONGTHREAD). Unreferencing
 * it does not stop the task: the running task keeps itself alive. Loop
 * thread. */
qaio_future *qaio_spawn(qaio_loop *loop, qaio_task_fn fn, void *arg);

/** As qaio_spawn, with a name (copied; used in diagnostics, may be NULL) and
 * a stack size in bytes (0: QAIO_TASK_DEFAULT_STACK). */
qaio_future *qaio_spawn_named(qaio_loop *loop, const char *name, size_t stack_size,
                              qaio_task_fn fn, void *arg);

/** Waits for fut and returns 0 with *out = its value (borrowed while fut
 * lives; out may be NULL), or fut's error. Inside a task it suspends (fut
 * must belong to the task's loop: else QAIO_EINVAL); outside a task it is
 * qaio_future_result. QAIO_ECANCELED when the waiting task is cancelled.
 * QAIO_EDEADLK, without waiting, when fut is a task that awaits the
 * calling one, directly or through other tasks awaiting tasks (A awaits B
 * awaits A): that wait could never end. The same holds for every waiting
 * call inside a task (qaio_future_result, wait_for, ...).
 * The caller keeps its reference to fut. Any thread, as qaio_future_result. */
int qaio_await(qaio_future *fut, void **out);

/** Waits seconds (>= 0): suspends inside a task, runs a nested loop on a
 * loop thread outside one (the calling thread's loop). 0, QAIO_ECANCELED,
 * QAIO_EINVAL, QAIO_ECLOSED (the loop is closed, also once its application
 * object was destroyed) or, outside a task, QAIO_ELOOP (nested too deep).
 * A task, or a thread that owns (or may own) a loop. */
int qaio_sleep(double seconds);

/** qaio_sleep(0): lets every other ready callback and task run once. */
int qaio_yield(void);

/** True inside a task's function. Any thread. */
bool qaio_in_task(void);

/** The running task's future (borrowed), or NULL outside a task. Any
 * thread (tasks run only on their loop's thread). */
qaio_future *qaio_current_task(void);

/** A task's name (borrowed, valid while the task lives), or NULL when
 * task is NULL or not a task. Any thread. */
const char *qaio_task_name(const qaio_future *task);

/** asyncio.run: runs fn(arg) as a task on the calling thread's loop until it
 * completes, then cancels the tasks it left behind and waits for them.
 * Returns 0 or the task's error. On success *out (if not NULL) receives the
 * value AND its ownership (the task's destructor is not called for it).
 * Any thread that may own a loop; not from inside a task (QAIO_EBUSY). */
int qaio_run(qaio_task_fn fn, void *arg, void **out);

/* --- combinators ------------------------------------------------------- */

/** A future of all n futures (n >= 1, all of the same loop; the array is
 * copied and each future gets a reference). Its result is a void *[n]
 * array of the children's values (borrowed from the children, valid while
 * the gather future lives), in input order. The first child error (or
 * cancellation) cancels the remaining children and becomes gather's error
 * once every child is done, so nothing gather started is still running when
 * it fails. Cancelling the gather future cancels every child. NULL with
 * errno on bad input. Loop thread. */
qaio_future *qaio_gather(qaio_future *const *futs, size_t n);

/** Waits for fut at most timeout_s seconds (< 0: no limit; NaN:
 * QAIO_EINVAL). On timeout fut is cancelled and given what the loop can
 * run at once to finish (its cleanup's callbacks: pass after pass while
 * the loop has calls ready, at most 64 passes), then QAIO_ETIMEDOUT is
 * returned. So wait_for returns within one loop drain of its deadline,
 * whatever fut does. A cancelled task that was sleeping or awaiting
 * futures that stop at once (its children, a gather of them) has stopped
 * by then; one whose cleanup must wait for something still to come (I/O,
 * a child process), or that can never finish (tasks awaiting each other
 * through a gather), is left cancelling: qaio_future_done(fut) is false
 * and it finishes, if ever, later -- await it to be sure. Otherwise as
 * qaio_await. The caller keeps its reference to fut. Any thread, as
 * qaio_future_result (cancelling works from any thread). */
int qaio_wait_for(qaio_future *fut, double timeout_s, void **out);

/** Waits until one of n futures is done; sets *index (may be NULL) to the
 * first done one in array order. Nothing is cancelled. 0, QAIO_ETIMEDOUT,
 * QAIO_ECANCELED (the waiting task was cancelled) or QAIO_EINVAL. The array
 * is borrowed for the call. The futures' loop thread. */
int qaio_wait_any(qaio_future *const *futs, size_t n, double timeout_s, size_t *index);

/* --- task groups (trio nurseries, asyncio.TaskGroup) -------------------- */

/** A task group: children that end together (opaque). */
typedef struct qaio_task_group qaio_task_group;

/** A new, empty group on loop. The caller owns it (qaio_task_group_free).
 * NULL with errno on failure. Loop thread. */
qaio_task_group *qaio_task_group_new(qaio_loop *loop);

/** Spawns a child into the group. Returns the child's future with a
 * reference for the caller (who may just unref it), or NULL with errno
 * (-QAIO_ECLOSED once the group failed or was cancelled: no new children).
 * name is copied. Loop thread, as every group function. */
qaio_future *qaio_task_group_spawn(qaio_task_group *g, const char *name, qaio_task_fn fn,
                                   void *arg);

/** Waits until every child is done. The first child that fails (with an error
 * other than a cancellation the group made) cancels its siblings; its error
 * is returned once all are done. QAIO_ETIMEDOUT after timeout_s (< 0: no
 * limit; the children keep running), QAIO_ECANCELED if the waiter itself is
 * cancelled (the children are then cancelled and waited for), QAIO_EINVAL
 * for a NaN timeout. */
int qaio_task_group_wait(qaio_task_group *g, double timeout_s);

/** Cancels every child still running. Returns how many were asked, or
 * QAIO_EINVAL, QAIO_EWRONGTHREAD, QAIO_ECLOSED. */
int qaio_task_group_cancel(qaio_task_group *g);

/** The group's first error, or 0. */
int qaio_task_group_error(const qaio_task_group *g);

/** Cancels and waits for the children still running (no child outlives its
 * group), then frees the group. NULL is ignored. Loop thread: elsewhere it
 * could not wait, so it does nothing and says so through the log hook. */
void qaio_task_group_free(qaio_task_group *g);

/* The waiting calls above record where they are made (qaio/wait_site.h):
 * same names, same symbols, arguments evaluated once. */
/** @cond */
#ifndef QAIO_NO_WAIT_SITES
#define qaio_await(...) QAIO_AT(QAIO_WAIT_FUTURE, qaio_await(__VA_ARGS__))
#define qaio_sleep(...) QAIO_AT(QAIO_WAIT_SLEEP, qaio_sleep(__VA_ARGS__))
#define qaio_yield() QAIO_AT(QAIO_WAIT_SLEEP, qaio_yield())
#define qaio_wait_for(...) QAIO_AT(QAIO_WAIT_FUTURE, qaio_wait_for(__VA_ARGS__))
#define qaio_wait_any(...) QAIO_AT(QAIO_WAIT_ANY, qaio_wait_any(__VA_ARGS__))
#define qaio_task_group_wait(...) QAIO_AT(QAIO_WAIT_GROUP, qaio_task_group_wait(__VA_ARGS__))
#endif
/** @endcond */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
