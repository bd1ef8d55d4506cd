/* A FIFO of waiters for the sync primitives: each waiter is a plain future
 * the waiting code blocks on, plus an optional payload (a queue item a
 * putter wants to hand over). Waiters that gave up (timeout, cancellation)
 * are dropped lazily. Loop-thread only. */
#ifndef QAIO_WAITQ_H
#define QAIO_WAITQ_H

#include <math.h>
#include "task_internal.h"

typedef struct {
    qaio_future *fut;
    void *item;
} qaio__waiter;

typedef struct {
    qaio__waiter *w;
    size_t head, len, cap;
} qaio__waitq;

/* Enqueues a new waiter; returns its future (a reference owned by the
 * queue; the caller takes its own) or NULL when out of memory. */
qaio_future *qaio__waitq_push(qaio__waitq *q, qaio_loop *loop, void *item);

/* Pops the first waiter still pending into *out (its future reference
 * passes to the caller). False when none is left. */
bool qaio__waitq_pop(qaio__waitq *q, qaio__waiter *out);

/* Waits on a waiter future made by qaio__waitq_push. Returns 0 (with *value)
 * if it was served -- even when the wait itself timed out or was cancelled
 * at the same moment -- or the wait's error. shielded: ignore the calling
 * task's cancellation (a condition re-acquiring its lock). */
int qaio__waitq_wait(qaio_future *fut, double timeout_s, bool shielded, void **value);

/* Completes up to n pending waiters, oldest first: with a NULL result when
 * err is 0, else with err. Returns how many. */
size_t qaio__waitq_wake(qaio__waitq *q, size_t n, int err);

/* Fails every pending waiter with err and frees the queue. */
void qaio__waitq_fail_all(qaio__waitq *q, int err);

/* Entry check shared by the primitives. */
static inline int qaio__sync_check(const void *obj, qaio_loop *loop)
{
    return obj ? qaio__check_loop(loop) : QAIO_EINVAL;
}

/* The same for the waits: a NaN timeout is QAIO_EINVAL also when the call
 * would not have to wait, so the mistake shows at once. */
static inline int qaio__sync_check_wait(const void *obj, qaio_loop *loop, double timeout_s)
{
    int err = qaio__sync_check(obj, loop);
    return err ? err : isnan(timeout_s) ? QAIO_EINVAL : 0;
}

#endif
