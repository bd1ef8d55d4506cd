/* What the rest of the core needs from the task layer. */
#ifndef QAIO_TASK_INTERNAL_H
#define QAIO_TASK_INTERNAL_H

#include "future_internal.h"
#include "qaio/task.h"

/* True when the calling code runs inside a task's fiber. */
bool qaio__task_running(void);

/* Inside a task: suspends until fut is done (0), timeout_s passes
 * (QAIO_ETIMEDOUT; < 0 for none) or the task is cancelled (QAIO_ECANCELED:
 * fut is cancelled too). fut must belong to the task's loop. QAIO_EDEADLK
 * when fut is a task that (through tasks awaiting tasks) awaits this one. */
int qaio__task_wait(qaio_future *fut, double timeout_s);

/* Waits until fut is done even if the calling task was cancelled (a
 * cancelled parent waiting for its cancelled children to clean up). Its
 * wakeup still cancels fut. 0 once done, else QAIO_ECLOSED/QAIO_EINVAL. */
int qaio__wait_done(qaio_future *fut);

/* Cancels every live task of loop and waits (a nested loop, at most
 * timeout_s) until they have finished, tasks spawned meanwhile (by a
 * cancelled task's cleanup) included. Returns how many did not finish. */
int qaio__tasks_shutdown(qaio_loop *loop, double timeout_s);

#endif
