/* The one waiter (core_net.h). A task parks and its server schedules it
 * directly; outside a task the waiter falls back on a plain future and a
 * nested loop. Either way the outcome is written into the waiter before the
 * wakeup is queued, so a timeout or cancellation that wakes the waiter in
 * between cannot lose what was handed over. */
#include "waitq.h"

int qaio__waiter_init(qaio__waiter *w, qaio_loop *loop, const void *object)
{
    /* Field by field: the rest is written before it is read (push links
     * it, serve fills the outcome), and a wait is on the hot path. */
    w->queue = NULL;
    w->loop = loop;
    w->served = false;
    w->task = qaio__task_current();
    w->fut = NULL;
    w->unpark = 0;
    w->object = object;
    if (w->task)
        return 0;
    w->fut = qaio_future_new(loop);
    return w->fut ? 0 : QAIO_ENOMEM;
}

static void unlink_waiter(qaio__waiter *w)
{
    qaio__waitq *q = w->queue;
    if (!q)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->prev = w->next = NULL;
    w->queue = NULL;
}

int qaio__waiter_wait(qaio__waiter *w, int64_t deadline, bool shielded, void **value)
{
    int err = 0;
    if (!w->served) {
        if (w->task)
            err = qaio__task_park(w->object, deadline, shielded, &w->unpark);
        else
            err = shielded ? qaio__wait_done(w->fut) : qaio__await_until(w->fut, deadline, NULL);
    } else if (w->unpark) {
        qaio_cancel(w->loop, w->unpark); /* served before it parked: nothing to wake */
    }
    qaio_future_unref(w->fut);
    w->fut = NULL;
    if (!w->served) {
        unlink_waiter(w); /* gave up */
        return err;
    }
    if (value && w->err == 0)
        *value = w->value;
    return w->err;
}

bool qaio__waiter_serve(qaio__waiter *w, int err, void *value)
{
    if (w->served)
        return false;
    unlink_waiter(w);
    w->served = true;
    w->err = err;
    w->value = value;
    if (w->task)
        w->unpark = qaio__task_unpark(w->task);
    else
        qaio_future_set_result(w->fut, NULL, NULL);
    return true;
}

void qaio__waitq_push(qaio__waitq *q, qaio__waiter *w, void *item)
{
    w->item = item;
    w->queue = q;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
}

qaio__waiter *qaio__waitq_pop(qaio__waitq *q)
{
    qaio__waiter *w = q->head;
    if (w)
        unlink_waiter(w);
    return w;
}

size_t qaio__waitq_wake(qaio__waitq *q, size_t n, int err)
{
    size_t woken = 0;
    qaio__waiter *w;
    while (woken < n && (w = qaio__waitq_pop(q)) != NULL) {
        qaio__waiter_serve(w, err, NULL);
        woken++;
    }
    return woken;
}

void qaio__waitq_fail_all(qaio__waitq *q, int err)
{
    qaio__waitq_wake(q, (size_t)-1, err);
}
