/** qaio/introspect.h - which tasks a loop has and where each one waits.
 *
 * The analogue of asyncio's all_tasks() and Task.get_stack(): a snapshot of
 * a loop's live tasks, each with its state, what it waits on, the deadline
 * of that wait, how long it has waited, and the source location of the qaio
 * call that waits (recorded by the waiting calls' macros, qaio/wait_site.h).
 * Recording costs a few stores per wait and no allocation; the listing
 * itself allocates and is meant for debugging, not for a hot path.
 * @file
 * @ingroup introspect
 */
/** @defgroup introspect Introspection: tasks and their waits
 * @ingroup core
 * @{ */
#ifndef QAIO_INTROSPECT_H
#define QAIO_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include "qaio/loop.h"
#include "qaio/wait_site.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A live task's state (qaio_task_info::state). */
typedef enum qaio_task_state {
    QAIO_TASK_READY = 0, /**< spawned, its function has not started yet */
    QAIO_TASK_RUNNING,   /**< running now (the caller is in it, or in a task it resumed) */
    QAIO_TASK_WAITING,   /**< suspended in a wait (qaio_task_info::wait says which) */
    QAIO_TASK_DONE       /**< its future is done but its function still runs (it set its own result) */
} qaio_task_state;

/** One live task of a loop, as qaio_loop_tasks() saw it. */
typedef struct qaio_task_info {
    /** The task's future: a reference, released by qaio_task_info_free(). */
    qaio_future *task;
    /** The task's name (qaio_spawn_named, or "task-N"). */
    char name[48];
    /** Ready, running, waiting or done. */
    qaio_task_state state;
    /** Its cancellation was requested and it has not finished yet. */
    bool cancelling;
    /** What it waits on; QAIO_WAIT_NONE unless state is QAIO_TASK_WAITING. */
    qaio_wait_kind wait;
    /** What the wait is on: the future (or task) awaited; for a lock,
     * semaphore, event, condition, queue, stream, process or connection
     * wait, that object (the qaio_lock, qaio_stream, ...); NULL for a sleep.
     * An identity only: no reference is held. */
    const void *object;
    /** The name of the awaited task when wait is QAIO_WAIT_TASK, else "". */
    char object_name[48];
    /** Seconds left until the wait's deadline (0 when it has passed),
     * QAIO_FOREVER (negative) when the wait has none. */
    double timeout_s;
    /** Seconds since the wait began (measured from the start of the loop
     * pass that ran the task: at most a few milliseconds early). */
    double waited_s;
    /** Source location of the qaio call that waits: NULL and 0 when the
     * call was made without the wait_site.h macros. */
    const char *file;
    /** Line of that call. */
    int line;
    /** Function that made the call. */
    const char *func;
} qaio_task_info;

/** Lists loop's live tasks (spawned and not yet returned), newest first.
 * On success *out is a malloc'd array of *n entries (NULL when *n is 0)
 * owned by the caller, to be freed with qaio_task_info_free(). Returns 0,
 * QAIO_EINVAL (a NULL argument), QAIO_ENOMEM, QAIO_ECLOSED or
 * QAIO_EWRONGTHREAD (the task list belongs to the loop thread). Loop
 * thread; may be called from inside a task. */
int qaio_loop_tasks(qaio_loop *loop, qaio_task_info **out, size_t *n);

/** Releases the tasks' references and frees an array from
 * qaio_loop_tasks(). NULL is ignored. Any thread. */
void qaio_task_info_free(qaio_task_info *infos, size_t n);

/** Formats one entry as a line of text, e.g.
 * "'reader' waiting stream-read for 1.20 s (deadline in 3.80 s) at
 * main.c:42 (worker)", into buf (always NUL-terminated when cap > 0).
 * Returns the length the full line has (as snprintf), or QAIO_EINVAL for a
 * NULL info or buf. Any thread. */
int qaio_task_info_format(const qaio_task_info *info, char *buf, size_t cap);

/** The name of a wait kind ("lock", "stream-read", ...; "?" when unknown).
 * Any thread. */
const char *qaio_wait_kind_name(qaio_wait_kind kind);

/** The name of a task state ("ready", "running", "waiting", "done"; "?"
 * when unknown). Any thread. */
const char *qaio_task_state_name(qaio_task_state state);

/** Writes loop's task listing through the log hook (qaio_set_log_hook):
 * one message heading it with the number of tasks, then one message per
 * task (qaio_task_info_format's line). Returns the number of tasks, or the
 * errors of qaio_loop_tasks(). Loop thread. */
int qaio_loop_dump_tasks(qaio_loop *loop);

/** Opts in to a dump on a signal: from now on, signo (e.g. SIGUSR1)
 * delivered to the process makes loop run qaio_loop_dump_tasks() on its
 * own thread in its next pass. The signal handler itself only writes a byte
 * to a pipe (async-signal-safe; qaio_add_signal_handler's machinery, which
 * replaces the signal's previous disposition). Undo with
 * qaio_remove_signal_handler(loop, signo). Returns 0 or the errors of
 * qaio_add_signal_handler(): QAIO_EINVAL (NULL loop, bad or uncatchable
 * signo), QAIO_EBUSY (another loop handles signo), QAIO_ECLOSED,
 * QAIO_EWRONGTHREAD. Loop thread. */
int qaio_loop_dump_on_signal(qaio_loop *loop, int signo);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
