#include "waitq.h"

#include <stdlib.h>

qaio_future *qaio__waitq_push(qaio__waitq *q, qaio_loop *loop, void *item)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 8;
        qaio__waiter *w = malloc(cap * sizeof *w);
        if (!w)
            return NULL;
        for (size_t i = 0; i < q->len; i++)
            w[i] = q->w[(q->head + i) % q->cap];
        free(q->w);
        q->w = w;
        q->head = 0;
        q->cap = cap;
    }
    qaio_future *f = qaio_future_new(loop);
    if (!f)
        return NULL;
    q->w[(q->head + q->len++) % q->cap] = (qaio__waiter){f, item};
    return f;
}

bool qaio__waitq_pop(qaio__waitq *q, qaio__waiter *out)
{
    while (q->len > 0) {
        *out = q->w[q->head];
        q->head = (q->head + 1) % q->cap;
        q->len--;
        if (!qaio_future_done(out->fut))
            return true;
        qaio_future_unref(out->fut); /* gave up: timed out or cancelled */
    }
    return false;
}

int qaio__waiter_wait(qaio_future *fut, int64_t deadline, bool shielded, void **value)
{
    qaio_future_ref(fut);
    int err = shielded ? qaio__wait_done(fut) : qaio__await_until(fut, deadline, NULL);
    if (qaio_future_try_result(fut, value) == 0)
        err = 0; /* served: that wins over a timeout or cancellation */
    else if (!qaio_future_done(fut))
        qaio_future_cancel(fut); /* gave up: the queue drops it lazily */
    qaio_future_unref(fut);
    return err;
}

bool qaio__waiter_serve(qaio_future *fut, int err, void *value)
{
    if (qaio_future_done(fut))
        return false;
    if (err)
        qaio_future_set_error(fut, err, NULL);
    else
        qaio_future_set_result(fut, value, NULL);
    return true;
}

size_t qaio__waitq_wake(qaio__waitq *q, size_t n, int err)
{
    size_t woken = 0;
    qaio__waiter w;
    while (woken < n && qaio__waitq_pop(q, &w)) {
        qaio__waiter_serve(w.fut, err, NULL);
        qaio_future_unref(w.fut);
        woken++;
    }
    return woken;
}

void qaio__waitq_fail_all(qaio__waitq *q, int err)
{
    qaio__waitq_wake(q, (size_t)-1, err);
    free(q->w);
    *q = (qaio__waitq){0};
}
