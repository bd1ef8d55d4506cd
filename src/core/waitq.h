/* What the sync primitives share: their waiters' FIFO (qaio__waitq, in
 * core_net.h, with the one waiter type) and the entry checks. Loop-thread
 * only. */
#ifndef QAIO_WAITQ_H
#define QAIO_WAITQ_H

#include <math.h>
#include "task_internal.h"

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
