/* What the rest of the core needs from the task layer. */
#ifndef QAIO_TASK_INTERNAL_H
#define QAIO_TASK_INTERNAL_H

#include "future_internal.h"
#include "qaio/introspect.h"
#include "qaio/task.h"

/* True when the calling code runs inside a task's fiber. */
bool qaio__task_running(void);

/* The task running now, or NULL outside a task. */
struct qaio__task *qaio__task_current(void);

/* Inside a task: parks it until qaio__task_unpark (0), the absolute
 * deadline (QAIO_ETIMEDOUT; INT64_MAX: none) or, unless shielded, its
 * cancellation (QAIO_ECANCELED). on: what it waits on (introspection).
 * *unpark is where the unparker keeps the wakeup it queued: when the park
 * ends another way first, the park cancels that wakeup, so it can never
 * end a later wait. The waiter (waitq.c) is its one user. */
int qaio__task_park(const void *on, int64_t deadline, bool shielded, qaio_handle *unpark);

/* Queues the wakeup of t, parked, for a fresh loop pass (never inside the
 * caller: t would run in the middle of its waker). Its handle, or 0 when
 * there was no memory (reported; t then waits on until its deadline or
 * cancellation). Loop thread. */
qaio_handle qaio__task_unpark(struct qaio__task *t);

/* Inside a task: suspends until fut is done (0), the absolute deadline
 * passes (QAIO_ETIMEDOUT; INT64_MAX for none) or the task is cancelled (QAIO_ECANCELED:
 * fut is cancelled too). fut must belong to the task's loop. QAIO_EDEADLK
 * when fut is a task that (through tasks awaiting tasks) awaits this one. */
int qaio__task_wait(qaio_future *fut, int64_t deadline);

/* The same, but ignoring the task's cancellation: suspends until fut is
 * done (qaio__wait_done's task half). */
int qaio__task_wait_shielded(qaio_future *fut);

/* How long closing a loop (and qaio_run's end) waits for the tasks it
 * cancelled to finish. */
#define QAIO__CLOSE_TASKS_S 5.0

/* Cancels every live task of loop and waits (a nested loop, at most
 * timeout_s) until they have finished, tasks spawned meanwhile (by a
 * cancelled task's cleanup) included. Returns how many did not finish. */
int qaio__tasks_shutdown(qaio_loop *loop, double timeout_s);

/* Where a task waits: file and func come from the caller's
 * qaio_wait_site() (the public macros) and stay until its next one;
 * deadline (INT64_MAX: none) and since (ns of qaio__now_ns(), from the
 * loop pass's clock) are stored by each suspension. The site's line and
 * kind are kept apart, in the task record's padding. */
typedef struct {
    const char *file, *func;
    int64_t deadline, since;
} qaio__wait_site;

/* A live task as introspect.c reports it. */
typedef struct {
    qaio_future *task;
    const char *name;
    qaio_task_state state;
    bool cancelling;
    qaio__wait_site site;
    int line;                        /* of the site */
    qaio_wait_kind kind;             /* what the site says it waits on */
    const void *waiting_on;          /* NULL: a sleep (when waiting) */
    bool parked;                     /* waiting_on is a waiter's object, not a future */
    const char *waiting_on_name;     /* its task name, if it is a task */
} qaio__task_view;

/* Fills out[0..cap) with loop's live tasks, newest first; returns how many
 * there are (call with cap 0 to count). Loop thread. */
size_t qaio__tasks_view(qaio_loop *loop, qaio__task_view *out, size_t cap);

#endif
