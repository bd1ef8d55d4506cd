/* Calls from other threads: a mutex-guarded array, handed to the loop in one
 * swap, and one coalesced Qt wakeup per batch (postEvent is thread-safe).
 * Two arrays are swapped back and forth so a steady stream of calls does not
 * allocate. */
#include <stdlib.h>
#include "loop_internal.h"

static int reserve(qaio__call_vec *v)
{
    if (v->len < v->cap)
        return 0;
    size_t cap = v->cap ? v->cap * 2 : 64;
    qaio__call *items = realloc(v->items, cap * sizeof *items);
    if (!items)
        return QAIO_ENOMEM;
    v->items = items;
    v->cap = cap;
    return 0;
}

int qaio_call_soon_threadsafe(qaio_loop *loop, qaio_cb cb, void *arg)
{
    if (!loop || !cb)
        return QAIO_EINVAL;
    pthread_mutex_lock(&loop->ts_lock);
    int err = atomic_load(&loop->closed) ? QAIO_ECLOSED : reserve(&loop->ts_queue);
    if (err == 0) {
        loop->ts_queue.items[loop->ts_queue.len++] = (qaio__call){cb, arg};
        /* Post under the lock: close() takes it before freeing the backend. */
        if (!atomic_exchange(&loop->ts_posted, true))
            qaio__backend_wakeup(loop->backend);
    }
    pthread_mutex_unlock(&loop->ts_lock);
    return err;
}

void qaio__threadsafe_take(qaio_loop *loop)
{
    if (!atomic_load(&loop->ts_posted))
        return;
    qaio__call_vec batch = loop->ts_spare;
    pthread_mutex_lock(&loop->ts_lock);
    loop->ts_spare = loop->ts_queue;
    loop->ts_queue = (qaio__call_vec){batch.items, 0, batch.cap};
    atomic_store(&loop->ts_posted, false);
    pthread_mutex_unlock(&loop->ts_lock);
    batch = loop->ts_spare;
    for (size_t i = 0; i < batch.len; i++)
        qaio__ready_push(&loop->ready, batch.items[i].cb, batch.items[i].arg, -1);
    loop->ts_spare.len = 0;
}

void qaio__threadsafe_free(qaio_loop *loop)
{
    free(loop->ts_queue.items);
    free(loop->ts_spare.items);
    loop->ts_queue = loop->ts_spare = (qaio__call_vec){0};
}
