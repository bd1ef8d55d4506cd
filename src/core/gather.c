/* gather, wait_for, wait_any: waiting on several futures, or with a limit.
 *
 * gather keeps a reference to each child, so the values in its result array
 * (borrowed from the children) live as long as the gather future. On the
 * first failure it cancels the remaining children and completes only when
 * every child is done: when gather reports an error, nothing it started is
 * still running (trio's rule, and what asyncio.TaskGroup does; asyncio's
 * gather would leave the others running). */
#include <stdlib.h>
#include <string.h>
#include "task_internal.h"

typedef struct {
    struct qaio_future fut;
    size_t n, pending;
    int first_err;
    const char *first_msg;  /* borrowed from the failed child */
    atomic_bool cancelling; /* gather itself was cancelled (from any thread) */
    qaio_future **children;
} gather_future;

static int gather_cancel(qaio_future *f);
static void gather_destroy(qaio_future *f);
static const qaio__future_ops gather_ops = {gather_cancel, gather_destroy, NULL};

static void cancel_children(gather_future *g)
{
    for (size_t i = 0; i < g->n; i++)
        qaio_future_cancel(g->children[i]);
}

static void child_done(qaio_future *child, void *arg)
{
    gather_future *g = arg;
    int err = qaio_future_error(child);
    if (err && !g->first_err) {
        g->first_err = err;
        g->first_msg = qaio_future_error_message(child);
        cancel_children(g);
    }
    if (--g->pending > 0)
        return;
    if (atomic_load(&g->cancelling) || g->first_err == QAIO_ECANCELED) {
        qaio__future_finish_cancelled(&g->fut);
    } else if (g->first_err) {
        qaio_future_set_error(&g->fut, g->first_err, g->first_msg);
    } else {
        void **values = malloc(g->n * sizeof *values);
        if (!values) {
            qaio_future_set_error(&g->fut, QAIO_ENOMEM, NULL);
        } else {
            for (size_t i = 0; i < g->n; i++)
                qaio_future_try_result(g->children[i], &values[i]);
            qaio_future_set_result(&g->fut, values, free);
        }
    }
    qaio_future_unref(&g->fut); /* held while children were pending */
}

static void cancel_children_cb(void *arg)
{
    cancel_children(arg);
    qaio_future_unref(arg);
}

/* Any thread, as every cancel: the children are cancelled on the loop
 * thread, which owns them. */
static int gather_cancel(qaio_future *f)
{
    gather_future *g = (gather_future *)f;
    if (qaio__future_is_done(f) || atomic_exchange(&g->cancelling, true))
        return 0;
    if (qaio__on_thread(f->loop)) {
        cancel_children(g);
    } else {
        qaio_future_ref(f);
        if (qaio_call_soon_threadsafe(f->loop, cancel_children_cb, g) != 0)
            qaio_future_unref(f); /* loop closed: nothing runs any more */
    }
    return 1;
}

static void gather_destroy(qaio_future *f)
{
    gather_future *g = (gather_future *)f;
    for (size_t i = 0; i < g->n; i++)
        qaio_future_unref(g->children[i]);
    free(g->children);
}

qaio_future *qaio_gather(qaio_future *const *futs, size_t n)
{
    if (!futs || n == 0 || !futs[0]) {
        errno = EINVAL;
        return NULL;
    }
    qaio_loop *loop = futs[0]->loop;
    int err = qaio__check_loop(loop);
    for (size_t i = 0; !err && i < n; i++)
        if (!futs[i] || futs[i]->loop != loop)
            err = QAIO_EINVAL;
    if (err) {
        errno = -err;
        return NULL;
    }
    gather_future *g = (gather_future *)qaio__future_alloc(loop, sizeof *g, &gather_ops);
    if (!g)
        return NULL;
    g->children = calloc(n, sizeof *g->children);
    if (!g->children) {
        free(g);
        errno = ENOMEM;
        return NULL;
    }
    g->n = g->pending = n;
    for (size_t i = 0; i < n; i++)
        g->children[i] = qaio_future_ref(futs[i]);
    qaio_future_ref(&g->fut);
    for (size_t i = 0; i < n; i++)
        if (qaio_future_add_done_callback(futs[i], child_done, g) != 0) {
            /* Out of memory registering: fail this child's slot now. */
            g->first_err = g->first_err ? g->first_err : QAIO_ENOMEM;
            cancel_children(g);
            if (--g->pending == 0) {
                qaio_future_set_error(&g->fut, g->first_err, NULL);
                qaio_future_unref(&g->fut);
            }
        }
    return &g->fut;
}

/* After wait_for's timeout: the cancelled future gets what the loop can
 * run at once -- its cleanup's callbacks, pass after pass while calls are
 * ready (a cancelled task wakes in the next pass, a parent once its child
 * ended, a pass later) -- but not a wait for something that has yet to
 * happen: once the loop has nothing ready, or after SETTLE_PASSES passes of
 * other work, the waiter goes. A future that cannot finish (tasks in an
 * await cycle through a gather, cleanup that waits for I/O) used to hold
 * wait_for for ever. */
#define SETTLE_PASSES 64

typedef struct {
    qaio_future *fut;  /* what was cancelled */
    qaio_future *tick; /* completed when the waiter may go */
    unsigned passes;
} settle_probe;

static void settle_free(void *arg)
{
    settle_probe *p = arg;
    qaio_future_unref(p->tick);
    qaio_future_unref(p->fut);
    free(p);
}

static void settle_step(void *arg)
{
    settle_probe *p = arg;
    qaio_loop *loop = p->fut->loop;
    if (!qaio_future_done(p->fut) && !qaio__loop_idle(loop) && ++p->passes < SETTLE_PASSES &&
        qaio_call_soon(loop, settle_step, p))
        return;
    qaio_future_set_result(p->tick, NULL, NULL);
    settle_free(p);
}

static pthread_once_t settle_once = PTHREAD_ONCE_INIT;
static void settle_dropper(void) { qaio__loop_add_dropper(settle_step, settle_free); }

/* Waits (from any thread, shielded from the caller's own cancellation)
 * until f is done or the loop has run what it could for it. */
static void settle(qaio_future *f)
{
    pthread_once(&settle_once, settle_dropper);
    qaio_loop *loop = f->loop;
    qaio_future *tick = qaio_future_new(loop);
    settle_probe *p = tick ? malloc(sizeof *p) : NULL;
    if (!p) {
        qaio_future_unref(tick);
        return;
    }
    *p = (settle_probe){qaio_future_ref(f), qaio_future_ref(tick), 0};
    bool queued = qaio__on_thread(loop) ? qaio_call_soon(loop, settle_step, p) != 0
                                        : qaio_call_soon_threadsafe(loop, settle_step, p) == 0;
    if (queued)
        qaio__wait_done(tick);
    else
        settle_free(p);
    qaio_future_unref(tick);
}

int qaio_wait_for(qaio_future *f, double timeout_s, void **out)
{
    if (!f)
        return QAIO_EINVAL;
    int err = qaio_future_result_timeout(f, timeout_s, out);
    if (err != QAIO_ETIMEDOUT || qaio_future_done(f))
        return err;
    /* Time is up: cancel what we waited on and let it stop. */
    qaio_future_cancel(f);
    if (!qaio_future_done(f)) /* a plain future is done at once */
        settle(f);
    return QAIO_ETIMEDOUT;
}

static void any_done(qaio_future *child, void *arg)
{
    (void)child;
    qaio_future_set_result(arg, NULL, NULL); /* the first one wins */
}

int qaio_wait_any(qaio_future *const *futs, size_t n, double timeout_s, size_t *index)
{
    if (!futs || n == 0)
        return QAIO_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!futs[i] || futs[i]->loop != futs[0]->loop)
            return QAIO_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (qaio_future_done(futs[i])) {
            if (index)
                *index = i;
            return 0;
        }
    int err = qaio__check_loop(futs[0]->loop);
    qaio_future *any = err ? NULL : qaio_future_new(futs[0]->loop);
    if (!any)
        return err ? err : QAIO_ENOMEM;
    size_t added = 0;
    while (added < n && (err = qaio_future_add_done_callback(futs[added], any_done, any)) == 0)
        added++;
    if (!err)
        err = qaio_future_result_timeout(any, timeout_s, NULL);
    for (size_t i = 0; i < added; i++)
        qaio_future_remove_done_callback(futs[i], any_done, any);
    qaio_future_cancel(any);
    qaio_future_unref(any);
    if (err)
        return err;
    for (size_t i = 0; i < n; i++)
        if (qaio_future_done(futs[i])) {
            if (index)
                *index = i;
            return 0;
        }
    return QAIO_EAGAIN; /* unreachable: `any` completes only when one is done */
}
