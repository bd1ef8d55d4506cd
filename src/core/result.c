/* qaio_future_result: wait the way the caller can afford. Inside a task the
 * task suspends; on the loop thread outside a task a nested event loop runs
 * (wait.c); another thread blocks (future.c). The top of the core: it knows
 * every way of waiting, nothing below it knows it. */
#include <math.h>
#include "task_internal.h"
#include "wait.h"

int qaio__await_until(qaio_future *f, int64_t deadline, void **out)
{
    if (qaio__future_is_done(f))
        return qaio__future_take(f, out);
    int err;
    if (qaio__task_running())
        err = qaio__task_wait(f, deadline);
    else if (qaio__on_thread(f->loop))
        err = qaio__loop_block(f, deadline, false);
    else
        err = qaio__future_block(f, deadline);
    return err ? err : qaio__future_take(f, out);
}

int qaio_future_result_timeout(qaio_future *f, double timeout_s, void **out)
{
    if (!f || isnan(timeout_s))
        return QAIO_EINVAL;
    return qaio__await_until(f, qaio__deadline(timeout_s), out);
}

int qaio_future_result(qaio_future *f, void **out)
{
    return qaio_future_result_timeout(f, QAIO_FOREVER, out);
}

int qaio__wait_done(qaio_future *f)
{
    int err = qaio__task_running() ? qaio__task_wait_shielded(f) : qaio_future_result(f, NULL);
    return qaio__future_is_done(f) ? 0 : err;
}

int qaio_await(qaio_future *f, void **out)
{
    return qaio_future_result(f, out);
}
