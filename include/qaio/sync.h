/** qaio/sync.h - locks, events, semaphores, conditions and queues for tasks.
 *
 * asyncio's primitives, in C. They belong to a loop and are used on its
 * thread (QAIO_EWRONGTHREAD elsewhere). Every wait takes a timeout in
 * seconds (< 0: none) and, like every qaio wait, suspends inside a task and
 * runs a nested Qt loop outside one. Waiters are served in FIFO order by
 * direct hand-off: a released lock, a semaphore unit or a queue item is
 * given to the first waiter before anyone else can take it, so no wakeup is
 * lost and nobody is overtaken. A wait that times out or is cancelled just
 * as it is served keeps what it was given (and reports success).
 *
 * Errors: QAIO_EINVAL (NULL, bad value; a NaN timeout also when the call
 * would not have to wait), QAIO_ETIMEDOUT, QAIO_ECANCELED (the waiting task
 * was cancelled), QAIO_EWRONGTHREAD, QAIO_ECLOSED (the loop closed),
 * QAIO_ENOMEM.
 * @file
 * @ingroup sync
 */
/** @defgroup sync Locks, events, semaphores, conditions, queues
 * @ingroup core
 * @{ */
#ifndef QAIO_SYNC_H
#define QAIO_SYNC_H

#include <stddef.h>
#include "qaio/future.h"
#include "qaio/wait_site.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A lock for tasks (asyncio.Lock). Opaque. */
typedef struct qaio_lock qaio_lock;
/** An event: a flag tasks can wait for (asyncio.Event). Opaque. */
typedef struct qaio_event qaio_event;
/** A counting semaphore (asyncio.Semaphore). Opaque. */
typedef struct qaio_semaphore qaio_semaphore;
/** A condition variable over a qaio_lock (asyncio.Condition). Opaque. */
typedef struct qaio_condition qaio_condition;
/** A FIFO of void * items, bounded and closable (asyncio.Queue). Opaque. */
typedef struct qaio_queue qaio_queue;

/** Constructors return an object the caller owns (free it with the matching
 * _free, which fails every pending waiter with QAIO_ECLOSED), or NULL with
 * errno. Loop thread. */
qaio_lock *qaio_lock_new(qaio_loop *loop);
/** Frees lock; its pending waiters get QAIO_ECLOSED. */
void qaio_lock_free(qaio_lock *lock);
/** Acquires the lock (not re-entrant). */
int qaio_lock_acquire(qaio_lock *lock, double timeout_s);
/** Releases it, handing it to the first waiter. QAIO_EINVAL if not locked. */
int qaio_lock_release(qaio_lock *lock);
/** Whether the lock is held. */
bool qaio_lock_locked(const qaio_lock *lock);

/** A new event, not set. */
qaio_event *qaio_event_new(qaio_loop *loop);
/** Frees ev; its pending waiters get QAIO_ECLOSED. */
void qaio_event_free(qaio_event *ev);
/** Sets the flag and wakes every waiter. */
int qaio_event_set(qaio_event *ev);
/** Clears the flag. */
int qaio_event_clear(qaio_event *ev);
/** Whether the flag is set. */
bool qaio_event_is_set(const qaio_event *ev);
/** Returns 0 at once if set, else waits until set. */
int qaio_event_wait(qaio_event *ev, double timeout_s);

/** A counting semaphore starting at value. max_value > 0 makes it bounded:
 * releasing above max_value fails with QAIO_ERANGE (a release without an
 * acquire is a bug); 0 means unbounded. */
qaio_semaphore *qaio_semaphore_new(qaio_loop *loop, unsigned value, unsigned max_value);
/** Frees sem; its pending waiters get QAIO_ECLOSED. */
void qaio_semaphore_free(qaio_semaphore *sem);
/** Takes one unit, waiting while the value is 0. */
int qaio_semaphore_acquire(qaio_semaphore *sem, double timeout_s);
/** Gives one unit back, waking the first waiter. */
int qaio_semaphore_release(qaio_semaphore *sem);
/** The current value. */
unsigned qaio_semaphore_value(const qaio_semaphore *sem);

/** A condition variable over a lock the caller owns (borrowed; it must
 * outlive the condition). */
qaio_condition *qaio_condition_new(qaio_lock *lock);
/** Frees cond; its pending waiters get QAIO_ECLOSED. */
void qaio_condition_free(qaio_condition *cond);
/** With the lock held: releases it, waits for a notify, and re-acquires it
 * before returning -- also on timeout or cancellation. QAIO_EINVAL if the
 * lock is not held. */
int qaio_condition_wait(qaio_condition *cond, double timeout_s);
/** @{ */
/** Wakes up to n waiters (FIFO) / all of them. Returns how many. */
int qaio_condition_notify(qaio_condition *cond, size_t n);
int qaio_condition_notify_all(qaio_condition *cond);
/** @} */

/** A FIFO of void * items, bounded by capacity (0: unbounded) and closable:
 * it is the async iterator of C. Items are owned by the queue while in it;
 * item_dtor (may be NULL) frees those still queued at qaio_queue_free. */
qaio_queue *qaio_queue_new(qaio_loop *loop, size_t capacity, void (*item_dtor)(void *));
/** Fails pending getters and putters with QAIO_ECLOSED, frees queued items. */
void qaio_queue_free(qaio_queue *q);
/** Appends item, waiting while the queue is full. On error the item stays
 * the caller's. QAIO_EPIPE once the queue is closed. */
int qaio_queue_put(qaio_queue *q, void *item, double timeout_s);
/** Removes the oldest item into *item (ownership to the caller), waiting
 * while empty. QAIO_EPIPE when the queue is closed and empty: the end of the
 * iteration. */
int qaio_queue_get(qaio_queue *q, void **item, double timeout_s);
/** No more puts; getters drain what is queued, then get QAIO_EPIPE. */
int qaio_queue_close(qaio_queue *q);
/** How many items are queued. */
size_t qaio_queue_size(const qaio_queue *q);

/* The waiting calls above record where they are made (qaio/wait_site.h):
 * same names, same symbols, arguments evaluated once. */
/** @cond */
#ifndef QAIO_NO_WAIT_SITES
#define qaio_lock_acquire(...) QAIO_AT(QAIO_WAIT_LOCK, qaio_lock_acquire(__VA_ARGS__))
#define qaio_semaphore_acquire(...) QAIO_AT(QAIO_WAIT_SEMAPHORE, qaio_semaphore_acquire(__VA_ARGS__))
#define qaio_event_wait(...) QAIO_AT(QAIO_WAIT_EVENT, qaio_event_wait(__VA_ARGS__))
#define qaio_condition_wait(...) QAIO_AT(QAIO_WAIT_CONDITION, qaio_condition_wait(__VA_ARGS__))
#define qaio_queue_put(...) QAIO_AT(QAIO_WAIT_QUEUE_PUT, qaio_queue_put(__VA_ARGS__))
#define qaio_queue_get(...) QAIO_AT(QAIO_WAIT_QUEUE_GET, qaio_queue_get(__VA_ARGS__))
#endif
/** @endcond */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
