/* Futures: single assignment from any thread, done-callbacks on the loop
 * thread from a fresh pass, in registration order.
 *
 * Completion is a compare-and-swap from PENDING to COMPLETING, so exactly one
 * of several racing set_* calls wins; the winner writes the outcome and then
 * publishes the final state with a release store. The callback list is only
 * touched on the loop thread: the completer (any thread) schedules one
 * run_callbacks call, and add_done_callback appends to the list until that
 * call has run, which keeps registration order even when another thread
 * completed the future in between. */
#include <stdlib.h>
#include <string.h>
#include "future_internal.h"
#include "park.h"

/* A chunk is the size plus 8 bytes, rounded up to 16: at most 128 bytes. */
_Static_assert(sizeof(struct qaio_future) <= 120, "a plain future must stay in glibc's fast bins");

static void run_callbacks(void *arg);
static void drop_ref(void *arg) { qaio_future_unref(arg); }
static atomic_bool dropper_added; /* a plain flag: adding is idempotent */

qaio_future *qaio__future_alloc(qaio_loop *loop, size_t size, const qaio__future_ops *ops)
{
    if (!loop) {
        errno = EINVAL;
        return NULL;
    }
    if (atomic_load(&loop->closed)) {
        errno = -QAIO_ECLOSED;
        return NULL;
    }
    /* A pending callback run holds a reference; it must be released if the
     * loop closes before the run (a completion from another thread). */
    if (!atomic_load_explicit(&dropper_added, memory_order_relaxed)) {
        qaio__loop_add_dropper(run_callbacks, drop_ref);
        atomic_store(&dropper_added, true);
    }
    qaio_future *f = size == sizeof *f ? qaio__future_cache_take() : NULL;
    if (f)
        memset(f, 0, sizeof *f);
    else
        f = calloc(1, size);
    if (!f) {
        errno = ENOMEM;
        return NULL;
    }
    atomic_init(&f->refs, 1);
    atomic_init(&f->state, QAIO__PENDING);
    f->loop = loop;
    f->ops = ops;
    qaio__future_mark_live(f);
    return f;
}

qaio_future *qaio_future_new(qaio_loop *loop)
{
    return qaio__future_alloc(loop, sizeof(struct qaio_future), NULL);
}

qaio_future *qaio_future_ref(qaio_future *f)
{
    if (f) {
        qaio__future_check_live(f, "qaio_future_ref");
        atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
    }
    return f;
}

void qaio_future_unref(qaio_future *f)
{
    if (!f)
        return;
    qaio__future_check_live(f, "qaio_future_unref");
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (atomic_load(&f->state) == QAIO__ERROR && !atomic_load(&f->retrieved)) {
        /* A subtype (a task) names itself; NULL for a plain future. */
        const char *task = f->ops && f->ops->name ? f->ops->name(f) : NULL;
        qaio__log("%s%s%s %p failed and nobody retrieved the error: %s (%s)%s%s",
                  task ? "task '" : "future", task ? task : "", task ? "'" : "", (void *)f,
                  qaio_strerror(f->err), qaio_err_name(f->err), f->message ? ": " : "",
                  f->message ? f->message : "");
    }
    if (f->ops && f->ops->destroy)
        f->ops->destroy(f);
    if (f->dtor)
        f->dtor(f->value);
    free(f->message);
    if (f->cbs != &f->one_cb)
        free(f->cbs);
    qaio__future_free(f);
}

static void run_callbacks(void *arg)
{
    qaio_future *f = arg;
    qaio__cb_run run = {f->cbs, 0, f->ncbs, f->runs};
    qaio__done_entry one; /* the run's own copy: one_cb may be reused meanwhile */
    if (run.cbs == &f->one_cb) {
        one = f->one_cb;
        run.cbs = &one;
    }
    f->cbs = NULL;
    f->ncbs = f->capcbs = 0;
    f->callbacks_ran = true;
    f->runs = &run;
    while (run.next < run.n) {
        qaio__done_entry e = run.cbs[run.next++];
        if (e.cb) /* NULL: removed while this run was under way */
            e.cb(f, e.arg);
    }
    f->runs = run.outer;
    if (run.cbs != &one)
        free(run.cbs);
    qaio_future_unref(f);
}

/* Runs after the winning thread published the outcome. */
static void after_complete(qaio_future *f)
{
    if (atomic_load(&f->xwaiters) > 0)
        qaio__future_wake_waiters(f);
    qaio_loop *loop = f->loop;
    if (qaio__on_thread(loop)) {
        if (f->ncbs == 0) {
            f->callbacks_ran = true; /* nothing to schedule */
            return;
        }
        qaio_future_ref(f);
        if (!qaio_call_soon(loop, run_callbacks, f))
            qaio_future_unref(f);
        return;
    }
    /* Another thread cannot read the list; the loop thread will. */
    qaio_future_ref(f);
    if (qaio_call_soon_threadsafe(loop, run_callbacks, f) != 0)
        qaio_future_unref(f); /* loop closed: its callbacks can never run */
}

static int complete(qaio_future *f, int state, void *value, qaio_dtor dtor, int err,
                    const char *message)
{
    int expected = QAIO__PENDING;
    if (!atomic_compare_exchange_strong(&f->state, &expected, QAIO__COMPLETING))
        return QAIO_EALREADY;
    f->value = value;
    f->dtor = dtor;
    f->err = err;
    f->message = message ? strdup(message) : NULL;
    atomic_store_explicit(&f->state, state, memory_order_release);
    after_complete(f);
    return 0;
}

int qaio_future_set_result(qaio_future *f, void *value, qaio_dtor dtor)
{
    int err = f ? complete(f, QAIO__RESULT, value, dtor, 0, NULL) : QAIO_EINVAL;
    if (err && dtor)
        dtor(value); /* ownership passed to us: never leak it */
    return err;
}

int qaio_future_set_error(qaio_future *f, int err, const char *message)
{
    if (!f || err >= 0 || err == QAIO_ECANCELED)
        return QAIO_EINVAL;
    return complete(f, QAIO__ERROR, NULL, NULL, err, message);
}

int qaio__future_finish_cancelled(qaio_future *f)
{
    return complete(f, QAIO__CANCELLED, NULL, NULL, QAIO_ECANCELED, NULL);
}

int qaio_future_cancel(qaio_future *f)
{
    if (!f)
        return QAIO_EINVAL;
    if (f->ops && f->ops->cancel)
        return f->ops->cancel(f);
    return qaio__future_finish_cancelled(f) == 0 ? 1 : 0;
}

bool qaio_future_done(const qaio_future *f) { return f && qaio__future_is_done(f); }

bool qaio_future_cancelled(const qaio_future *f)
{
    return f && atomic_load_explicit(&f->state, memory_order_acquire) == QAIO__CANCELLED;
}

int qaio_future_error(const qaio_future *f)
{
    if (!f || !qaio__future_is_done(f))
        return 0;
    atomic_store(&((qaio_future *)f)->retrieved, true);
    return f->err;
}

const char *qaio_future_error_message(const qaio_future *f)
{
    return f && qaio__future_is_done(f) ? f->message : NULL;
}

qaio_loop *qaio_future_loop(const qaio_future *f) { return f ? f->loop : NULL; }

int qaio_future_add_done_callback(qaio_future *f, qaio_done_cb cb, void *arg)
{
    if (!f || !cb)
        return QAIO_EINVAL;
    int err = qaio__check_loop(f->loop);
    if (err)
        return err;
    if (f->capcbs == 0) {
        f->cbs = &f->one_cb;
        f->capcbs = 1;
    } else if (f->ncbs == f->capcbs) {
        uint32_t cap = f->capcbs * 4;
        bool one = f->cbs == &f->one_cb;
        qaio__done_entry *cbs = realloc(one ? NULL : f->cbs, cap * sizeof *cbs);
        if (!cbs)
            return QAIO_ENOMEM;
        if (one)
            cbs[0] = f->one_cb;
        f->cbs = cbs;
        f->capcbs = cap;
    }
    f->cbs[f->ncbs++] = (qaio__done_entry){cb, arg};
    if (f->callbacks_ran) {
        /* Done and its callbacks already ran: schedule another run of the
         * list; callbacks added before it runs join it, in order. */
        f->callbacks_ran = false;
        qaio_future_ref(f);
        if (!qaio_call_soon(f->loop, run_callbacks, f)) {
            f->ncbs--;
            f->callbacks_ran = true;
            qaio_future_unref(f);
            return QAIO_ENOMEM;
        }
    }
    return 0;
}

int qaio_future_remove_done_callback(qaio_future *f, qaio_done_cb cb, void *arg)
{
    if (!f || !cb)
        return QAIO_EINVAL;
    if (!qaio__on_thread(f->loop))
        return atomic_load(&f->loop->closed) ? QAIO_ECLOSED : QAIO_EWRONGTHREAD;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < f->ncbs; i++)
        if (f->cbs[i].cb != cb || f->cbs[i].arg != arg)
            f->cbs[kept++] = f->cbs[i];
    int removed = (int)(f->ncbs - kept);
    f->ncbs = kept;
    /* Registrations a run has taken but not reached yet have not run. */
    for (qaio__cb_run *run = f->runs; run; run = run->outer)
        for (size_t i = run->next; i < run->n; i++)
            if (run->cbs[i].cb == cb && run->cbs[i].arg == arg) {
                run->cbs[i].cb = NULL;
                removed++;
            }
    return removed;
}

int qaio__future_take(qaio_future *f, void **out)
{
    int state = atomic_load_explicit(&f->state, memory_order_acquire);
    if (state == QAIO__RESULT) {
        if (out)
            *out = f->value;
        return 0;
    }
    atomic_store(&f->retrieved, true);
    return f->err;
}

int qaio_future_try_result(qaio_future *f, void **out)
{
    if (!f)
        return QAIO_EINVAL;
    return qaio__future_is_done(f) ? qaio__future_take(f, out) : QAIO_EAGAIN;
}

/* --- other threads blocked in result() ----------------------------------- */

void qaio__future_wake_waiters(qaio_future *f) { qaio__park_wake(f); }

static int block_check(void *arg)
{
    qaio_future *f = arg;
    if (qaio__future_is_done(f))
        return 0;
    return atomic_load(&f->loop->closed) ? QAIO_ECLOSED : QAIO__PARK_WAIT;
}

int qaio__future_block(qaio_future *f, int64_t deadline)
{
    atomic_fetch_add(&f->xwaiters, 1);
    int err = qaio__park_wait(f, block_check, f, deadline);
    atomic_fetch_sub(&f->xwaiters, 1);
    return err;
}
