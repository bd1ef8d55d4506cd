/* qaio_queue: a bounded, closable FIFO (asyncio.Queue plus close()).
 *
 * Items live in a growable ring. A getter that finds the ring empty waits
 * with a waiter future that a put completes with the item itself; a putter
 * that finds it full waits with its item parked in the waiter, and a get
 * that frees a slot moves the first parked item into the ring. Items thus
 * pass in strict FIFO order and are never held by a waiter that gave up. */
#include <stdlib.h>
#include "qaio/sync.h"
#include "waitq.h"

struct qaio_queue {
    qaio_loop *loop;
    void **items;
    size_t head, len, cap;  /* the ring */
    size_t capacity;        /* 0: unbounded */
    bool closed;
    void (*dtor)(void *);
    qaio__waitq getters, putters;
};

qaio_queue *qaio_queue_new(qaio_loop *loop, size_t capacity, void (*item_dtor)(void *))
{
    int err = qaio__check_loop(loop);
    qaio_queue *q = err ? NULL : calloc(1, sizeof *q);
    if (!q) {
        errno = err ? -err : ENOMEM;
        return NULL;
    }
    q->loop = loop;
    q->capacity = capacity;
    q->dtor = item_dtor;
    return q;
}

static int ring_push(qaio_queue *q, void *item)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        void **items = malloc(cap * sizeof *items);
        if (!items)
            return QAIO_ENOMEM;
        for (size_t i = 0; i < q->len; i++)
            items[i] = q->items[(q->head + i) % q->cap];
        free(q->items);
        q->items = items;
        q->head = 0;
        q->cap = cap;
    }
    q->items[(q->head + q->len++) % q->cap] = item;
    return 0;
}

static void *ring_pop(qaio_queue *q)
{
    void *item = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
    return item;
}

void qaio_queue_free(qaio_queue *q)
{
    if (!q)
        return;
    qaio__waitq_fail_all(&q->getters, QAIO_ECLOSED);
    qaio__waitq_fail_all(&q->putters, QAIO_ECLOSED); /* their items stay theirs */
    while (q->len > 0) {
        void *item = ring_pop(q);
        if (q->dtor)
            q->dtor(item);
    }
    free(q->items);
    free(q);
}

int qaio_queue_put(qaio_queue *q, void *item, double timeout_s)
{
    int err = qaio__sync_check_wait(q, q ? q->loop : NULL, timeout_s);
    if (err)
        return err;
    if (q->closed)
        return QAIO_EPIPE;
    qaio__waiter *getter = qaio__waitq_pop(&q->getters);
    if (getter) {
        /* A getter waits, so the ring is empty: hand the item over. */
        qaio__waiter_serve(getter, 0, item);
        return 0;
    }
    if (q->capacity == 0 || q->len < q->capacity)
        return ring_push(q, item);
    if (timeout_s == 0)
        return QAIO_ETIMEDOUT;
    qaio__waiter w;
    if ((err = qaio__waiter_init(&w, q->loop, q)) != 0)
        return err;
    qaio__waitq_push(&q->putters, &w, item);
    return qaio__waiter_wait(&w, qaio__deadline(timeout_s), false, NULL);
}

int qaio_queue_get(qaio_queue *q, void **item, double timeout_s)
{
    int err = qaio__sync_check_wait(q, q ? q->loop : NULL, timeout_s);
    if (err)
        return err;
    if (!item)
        return QAIO_EINVAL;
    if (q->len > 0) {
        *item = ring_pop(q);
        qaio__waiter *putter = qaio__waitq_pop(&q->putters);
        if (putter) {
            ring_push(q, putter->item); /* cannot fail: a slot was just freed */
            qaio__waiter_serve(putter, 0, NULL);
        }
        return 0;
    }
    if (q->closed)
        return QAIO_EPIPE;
    if (timeout_s == 0)
        return QAIO_ETIMEDOUT;
    qaio__waiter w;
    if ((err = qaio__waiter_init(&w, q->loop, q)) != 0)
        return err;
    qaio__waitq_push(&q->getters, &w, NULL);
    return qaio__waiter_wait(&w, qaio__deadline(timeout_s), false, item);
}

int qaio_queue_close(qaio_queue *q)
{
    int err = qaio__sync_check(q, q ? q->loop : NULL);
    if (err)
        return err;
    q->closed = true;
    qaio__waitq_wake(&q->getters, (size_t)-1, QAIO_EPIPE); /* the ring is empty */
    qaio__waitq_wake(&q->putters, (size_t)-1, QAIO_EPIPE);  /* items stay theirs */
    return 0;
}

size_t qaio_queue_size(const qaio_queue *q) { return q ? q->len : 0; }
