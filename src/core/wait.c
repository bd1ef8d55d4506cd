/* Waiting on the loop thread outside a task: a nested event loop runs until
 * the future is done (the MyFuture design). Its quit comes from a
 * done-callback, which only runs from inside the nested loop's own
 * dispatch, and qaio__backend_exec refuses to start a run whose quit flag
 * is already set, so a completion can never slip in between "add callback"
 * and "exec". Also the deadline arithmetic every timed wait shares. */
#include <math.h>
#include <stdint.h>
#include "wait.h"

int64_t qaio__deadline(double timeout_s)
{
    if (isnan(timeout_s))
        return -1;
    if (timeout_s < 0 || timeout_s > 1e9)
        return INT64_MAX;
    return qaio__now_ns() + (int64_t)ceil(timeout_s * 1e9);
}

double qaio__remaining(int64_t deadline)
{
    if (deadline == INT64_MAX)
        return QAIO_FOREVER;
    int64_t left = deadline - qaio__now_ns();
    return left > 0 ? left / 1e9 : 0.0;
}

typedef struct {
    qaio__run run;
    qaio_loop *loop;
    bool timed_out;
    int depth;         /* loop->execs while this wait's own loop runs */
    int held_by;       /* a deeper wait's depth when the deadline passed */
    int64_t deadline;  /* ns; INT64_MAX for none */
} nested_wait;

static void nested_done(qaio_future *f, void *arg)
{
    (void)f;
    qaio__backend_quit(&((nested_wait *)arg)->run);
}

static void nested_timeout(void *arg)
{
    nested_wait *w = arg;
    w->timed_out = true;
    if (w->loop->execs > w->depth)
        w->held_by = w->loop->execs;
    qaio__backend_quit(&w->run);
}

/* Nested waits end last in, first out: a wait whose deadline passes while
 * a deeper one runs (a callback inside it waiting in turn) returns only
 * when that one has. In debug mode the lateness is reported, naming the
 * wait, since nothing else shows why a 0.1 s timeout took a second. */
static void report_held(const qaio_future *f, const nested_wait *w)
{
    const char *task = f->ops && f->ops->name ? f->ops->name(f) : NULL;
    double late_ms = (qaio__now_ns() - w->deadline) / 1e6;
    qaio__log("nested wait for %s%s%s %p (depth %d) returned %.1f ms after its deadline: a "
              "deeper nested wait (depth %d) held it, as nested waits end last in, first out",
              task ? "task '" : "future", task ? task : "", task ? "'" : "", (const void *)f,
              w->depth, late_ms, w->held_by);
}

int qaio__wakeup_arm(qaio__wakeup *w, qaio_future *f, int64_t deadline, qaio_done_cb on_done,
                     qaio_cb on_timer, void *arg)
{
    *w = (qaio__wakeup){f, 0, on_done, arg};
    int err = qaio_future_add_done_callback(f, on_done, arg);
    if (err)
        return err;
    if (deadline != INT64_MAX && !(w->timer = qaio__call_at_ns(f->loop, deadline, on_timer, arg))) {
        qaio_future_remove_done_callback(f, on_done, arg);
        return QAIO_ENOMEM;
    }
    return 0;
}

void qaio__wakeup_disarm(qaio__wakeup *w, bool done_fired, bool timer_fired)
{
    if (!done_fired)
        qaio_future_remove_done_callback(w->fut, w->on_done, w->arg);
    if (!timer_fired && w->timer)
        qaio_cancel(w->fut->loop, w->timer);
}

/* The MyFuture design: a done-callback quits a nested QEventLoop. */
int qaio__loop_block(qaio_future *f, int64_t deadline, bool stoppable)
{
    qaio_loop *loop = f->loop;
    /* Each level takes a few KiB of the thread's stack (Qt's exec and
     * dispatch frames and ours): past the limit a runaway recursion of
     * nested results gets an error instead of a stack overflow. */
    if (loop->execs >= QAIO_MAX_NESTED_WAITS)
        return QAIO_ELOOP;
    nested_wait w = {{0}, loop, false, loop->execs + 1, 0, deadline};
    qaio__wakeup wk;
    int err = qaio__wakeup_arm(&wk, f, deadline, nested_done, nested_timeout, &w);
    if (err)
        return err;
    if (stoppable) {
        w.run.prev = loop->runs;
        loop->runs = &w.run;
    }
    qaio__loop_exec(loop, &w.run);
    if (stoppable)
        loop->runs = w.run.prev;
    if (w.held_by && loop->debug)
        report_held(f, &w);
    if (atomic_load(&loop->closed))
        return qaio__future_is_done(f) ? 0 : QAIO_ECLOSED;
    qaio__wakeup_disarm(&wk, false, false);
    if (qaio__future_is_done(f))
        return 0;
    /* qaio_loop_stop(), or QCoreApplication::exit(), which ends every running
     * loop, nested ones too. */
    return w.timed_out ? QAIO_ETIMEDOUT : QAIO_ESTOPPED;
}

int qaio_loop_run_until_complete(qaio_loop *loop, qaio_future *fut)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (!fut || qaio_future_loop(fut) != loop)
        return QAIO_EINVAL;
    if (!qaio_future_done(fut) && (err = qaio__loop_block(fut, INT64_MAX, true)) != 0)
        return err;
    return qaio_future_error(fut);
}
