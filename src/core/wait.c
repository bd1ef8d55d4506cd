/* qaio_future_result: wait the way the caller can afford.
 *
 * On the loop thread outside a task, a nested Qt event loop runs until the
 * future is done (the MyFuture design). Its quit comes from a done-callback,
 * which only runs from inside the nested loop's own dispatch, and
 * qaio__backend_exec refuses to start a run whose quit flag is already set,
 * so a completion can never slip in between "add callback" and "exec".
 *
 * Other threads block on a condition variable. Waiters are spread over a
 * fixed set of (mutex, condvar) stripes keyed by the future's address, so a
 * future needs no lock of its own; the completer only touches a stripe when
 * a waiter registered (xwaiters > 0). Both sides use sequentially consistent
 * atomics: either the waiter sees the future done, or the completer sees the
 * waiter and broadcasts under the stripe lock the waiter holds until it
 * sleeps, so no wakeup is lost. */
#include <math.h>
#include <stdint.h>
#include "task_internal.h"
#include "qaio/task.h"

#define QAIO__STRIPES 64

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
} stripes[QAIO__STRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    for (int i = 0; i < QAIO__STRIPES; i++) {
        pthread_mutex_init(&stripes[i].lock, NULL);
        pthread_cond_init(&stripes[i].cond, &attr);
    }
    pthread_condattr_destroy(&attr);
}

static unsigned stripe_of(const qaio_future *f)
{
    return (unsigned)(((uintptr_t)f >> 6) % QAIO__STRIPES);
}

void qaio__future_wake_waiters(qaio_future *f)
{
    pthread_once(&stripes_once, stripes_init);
    unsigned s = stripe_of(f);
    pthread_mutex_lock(&stripes[s].lock);
    pthread_cond_broadcast(&stripes[s].cond);
    pthread_mutex_unlock(&stripes[s].lock);
}

void qaio__future_wake_all_waiters(void)
{
    pthread_once(&stripes_once, stripes_init);
    for (unsigned s = 0; s < QAIO__STRIPES; s++) {
        pthread_mutex_lock(&stripes[s].lock);
        pthread_cond_broadcast(&stripes[s].cond);
        pthread_mutex_unlock(&stripes[s].lock);
    }
}

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

int qaio__future_block(qaio_future *f, int64_t deadline)
{
    pthread_once(&stripes_once, stripes_init);
    unsigned s = stripe_of(f);
    struct timespec ts = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
    int err = 0;
    pthread_mutex_lock(&stripes[s].lock);
    atomic_fetch_add(&f->xwaiters, 1);
    while (!qaio__future_is_done(f)) {
        if (atomic_load(&f->loop->closed)) {
            err = QAIO_ECLOSED;
            break;
        }
        if (deadline == INT64_MAX)
            pthread_cond_wait(&stripes[s].cond, &stripes[s].lock);
        else if (pthread_cond_timedwait(&stripes[s].cond, &stripes[s].lock, &ts) == ETIMEDOUT &&
                 !qaio__future_is_done(f)) {
            err = QAIO_ETIMEDOUT;
            break;
        }
    }
    atomic_fetch_sub(&f->xwaiters, 1);
    pthread_mutex_unlock(&stripes[s].lock);
    return err;
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
static void report_held(const qaio_future *f, const nested_wait *w, double timeout_s)
{
    const char *task = qaio_task_name(f);
    double late_ms = (qaio__now_ns() - w->deadline) / 1e6;
    qaio__log("nested wait for %s%s%s %p (timeout %.3f s, depth %d) returned %.1f ms after its "
              "deadline: a deeper nested wait (depth %d) held it, as nested waits end last in, "
              "first out", task ? "task '" : "future", task ? task : "", task ? "'" : "",
              (const void *)f, timeout_s, w->depth, late_ms, w->held_by);
}

/* The MyFuture design: a done-callback quits a nested QEventLoop. */
int qaio__loop_block(qaio_future *f, double timeout_s, bool stoppable)
{
    qaio_loop *loop = f->loop;
    /* Each level takes a few KiB of the thread's stack (Qt's exec and
     * dispatch frames and ours): past the limit a runaway recursion of
     * nested results gets an error instead of a stack overflow. */
    if (loop->execs >= QAIO_MAX_NESTED_WAITS)
        return QAIO_ELOOP;
    nested_wait w = {{0}, loop, false, loop->execs + 1, 0, INT64_MAX};
    if (timeout_s >= 0)
        w.deadline = qaio__deadline(timeout_s);
    int err = qaio_future_add_done_callback(f, nested_done, &w);
    if (err)
        return err;
    qaio_handle timer = 0;
    if (timeout_s >= 0 && !(timer = qaio_call_later(loop, timeout_s, nested_timeout, &w))) {
        qaio_future_remove_done_callback(f, nested_done, &w);
        return QAIO_ENOMEM;
    }
    if (stoppable) {
        w.run.prev = loop->runs;
        loop->runs = &w.run;
    }
    qaio__loop_exec(loop, &w.run);
    if (stoppable)
        loop->runs = w.run.prev;
    if (w.held_by && loop->debug)
        report_held(f, &w, timeout_s);
    if (atomic_load(&loop->closed))
        return qaio__future_is_done(f) ? 0 : QAIO_ECLOSED;
    qaio_future_remove_done_callback(f, nested_done, &w);
    qaio_cancel(loop, timer);
    if (qaio__future_is_done(f))
        return 0;
    /* qaio_loop_stop(), or QCoreApplication::exit(), which ends every running
     * loop, nested ones too. */
    return w.timed_out ? QAIO_ETIMEDOUT : QAIO_ESTOPPED;
}

int qaio_future_result_timeout(qaio_future *f, double timeout_s, void **out)
{
    if (!f || isnan(timeout_s))
        return QAIO_EINVAL;
    if (qaio__future_is_done(f))
        return qaio__future_take(f, out);
    int err;
    if (qaio__task_running())
        err = qaio__task_wait(f, timeout_s);
    else if (qaio__on_thread(f->loop))
        err = qaio__loop_block(f, timeout_s, false);
    else
        err = qaio__future_block(f, qaio__deadline(timeout_s));
    return err ? err : qaio__future_take(f, out);
}

int qaio_future_result(qaio_future *f, void **out)
{
    return qaio_future_result_timeout(f, QAIO_FOREVER, out);
}
