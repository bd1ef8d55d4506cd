/** qaio/wait_site.h - where a task waits: the call sites qaio_loop_tasks()
 * reports.
 *
 * Every waiting call of the public headers (qaio_await, qaio_sleep, the
 * sync.h and stream.h waits, qaio_process_wait, ...) is also a macro of the
 * same name that first records the caller's __FILE__, __LINE__ and
 * __func__ and the kind of wait in the calling task, then calls the function.
 * The functions keep their names, signatures and symbols: a call through a
 * function pointer, `(qaio_await)(f, &v)`, or a program built against an
 * older header still works; it records nothing, so the listing shows the
 * site of the task's previous call made through the macros (or none), with
 * the kind of the wait it is actually in. The site is recorded before the
 * call's arguments are evaluated: an argument that itself waits through
 * these macros leaves its own site.
 *
 * Why macros and not the return address: a return address needs debug
 * information and a symbolizer (dladdr names only the function, and only
 * for exported symbols), while __FILE__/__LINE__ cost nothing to resolve,
 * are exact, and work in stripped and static builds. The price is one call
 * storing four words per waiting call; the arguments are evaluated once.
 *
 * Define QAIO_NO_WAIT_SITES before including qaio headers to call the
 * functions directly (the library itself is built that way, so its own
 * waits keep the site of the user's call that led to them).
 * @file
 * @ingroup introspect
 */
/** @addtogroup introspect
 * @{ */
#ifndef QAIO_WAIT_SITE_H
#define QAIO_WAIT_SITE_H

#ifdef __cplusplus
extern "C" {
#endif

/** What a task waits on (qaio_task_info::wait). */
typedef enum qaio_wait_kind {
    QAIO_WAIT_NONE = 0,     /**< not waiting, or no site was recorded */
    QAIO_WAIT_FUTURE,       /**< qaio_await, qaio_future_result(_timeout), qaio_wait_for */
    QAIO_WAIT_TASK,         /**< the same, on a task's future */
    QAIO_WAIT_ANY,          /**< qaio_wait_any */
    QAIO_WAIT_GROUP,        /**< qaio_task_group_wait */
    QAIO_WAIT_SLEEP,        /**< qaio_sleep, qaio_yield */
    QAIO_WAIT_LOCK,         /**< qaio_lock_acquire */
    QAIO_WAIT_SEMAPHORE,    /**< qaio_semaphore_acquire */
    QAIO_WAIT_EVENT,        /**< qaio_event_wait */
    QAIO_WAIT_CONDITION,    /**< qaio_condition_wait */
    QAIO_WAIT_QUEUE_PUT,    /**< qaio_queue_put on a full queue */
    QAIO_WAIT_QUEUE_GET,    /**< qaio_queue_get on an empty queue */
    QAIO_WAIT_STREAM_READ,  /**< qaio_stream_read, readexactly, readuntil, readline */
    QAIO_WAIT_STREAM_WRITE, /**< qaio_stream_drain */
    QAIO_WAIT_STREAM_CLOSE, /**< qaio_stream_wait_closed */
    QAIO_WAIT_CONNECT,      /**< qaio_open_connection, qaio_open_unix_connection */
    QAIO_WAIT_PROCESS       /**< qaio_process_wait, qaio_process_communicate */
} qaio_wait_kind;

/** Records, in the task running on the calling thread, that its next wait
 * is a wait of this kind made at file:line in func (string literals: only
 * the pointers are kept). Called by the waiting calls' macros; does nothing
 * outside a task or with a NULL file. Any thread; cannot fail. */
void qaio_wait_site(qaio_wait_kind kind, const char *file, int line, const char *func);

/** Wraps one waiting call: records its site, then makes the call (whose
 * value is the expression's value). Used by the headers' macros. */
#define QAIO_AT(kind, call) (qaio_wait_site((kind), __FILE__, __LINE__, __func__), call)

#ifdef __cplusplus
}
#endif
/** @} */
#endif
