/* The future's layout, shared with the task layer (a task is a future with a
 * fiber: it embeds struct qaio_future first and overrides cancel). */
#ifndef QAIO_FUTURE_INTERNAL_H
#define QAIO_FUTURE_INTERNAL_H

#include <stdatomic.h>
#include "loop_internal.h"

enum {
    QAIO__PENDING,
    QAIO__COMPLETING, /* one thread won set_*, fields not yet published */
    QAIO__RESULT,
    QAIO__ERROR,
    QAIO__CANCELLED,
};

typedef struct {
    qaio_done_cb cb;
    void *arg;
} qaio__done_entry;

/* Behaviour a subtype (a task) replaces. */
typedef struct {
    /* Requests cancellation; returns 1 if requested, 0 if already done. Any
     * thread. */
    int (*cancel)(qaio_future *fut);
    /* Frees the subtype's own parts; the future's are freed after it. */
    void (*destroy)(qaio_future *fut);
    /* The subtype's name for messages (a task's), or NULL. */
    const char *(*name)(const qaio_future *fut);
} qaio__future_ops;

/* A run of the done-callbacks in progress. It owns the list it runs; a
 * callback may run a nested loop in which the same future's later
 * callbacks run too, so runs nest, innermost first. */
typedef struct qaio__cb_run {
    qaio__done_entry *cbs;
    size_t next, n;            /* cbs[next..n) have not run yet */
    struct qaio__cb_run *outer;
} qaio__cb_run;

struct qaio_future {
    /* Laid out in 104 bytes, a 112-byte malloc chunk: glibc serves chunks
     * up to 128 bytes from its fast bins when the thread cache runs out,
     * and a wait allocates one future (future.c asserts the bound). */
    atomic_int refs;
    atomic_int state;
    atomic_int xwaiters;     /* threads blocked in a cross-thread result() */
    atomic_bool retrieved;   /* the error was read by someone */
    bool callbacks_ran;      /* loop thread: later callbacks are scheduled directly */
    qaio_loop *loop;
    const qaio__future_ops *ops;
    void *value;
    qaio_dtor dtor;
    int err;
    unsigned magic;          /* debug builds: live or freed (future_poison.c) */
    char *message;
    /* Loop-thread only. */
    qaio__done_entry *cbs;   /* &one_cb, or a heap array past one entry */
    uint32_t ncbs, capcbs;
    qaio__cb_run *runs;      /* runs in progress: removal reaches them */
    /* Most futures get a single done-callback (the one waiter): it lives
     * here, so a wait costs no allocation besides the future itself. */
    qaio__done_entry one_cb;
};

/* Allocates a zeroed future of `size` bytes (>= sizeof(struct qaio_future))
 * with one reference. NULL with errno set on failure. */
qaio_future *qaio__future_alloc(qaio_loop *loop, size_t size, const qaio__future_ops *ops);

/* future_cache.c: memory of freed plain futures (sizeof(struct
 * qaio_future)) kept for reuse by the thread that freed it. take returns
 * such a block (not zeroed) or NULL; put keeps mem, or returns false when
 * the cache is full or disabled (the caller frees it then). Any thread. */
void *qaio__future_cache_take(void);
bool qaio__future_cache_put(void *mem);

/* future_poison.c: in builds without NDEBUG a freed future is marked and
 * quarantined, so that a use after its last unref aborts naming it.
 * mark_live sets up a new future; check_live aborts with "qaio: CALL: ...
 * was already freed" unless fut is live (a no-op with NDEBUG); free
 * releases the memory of a future whose parts were freed (its task name,
 * if any, must still be readable). */
void qaio__future_mark_live(qaio_future *fut);
#ifdef NDEBUG
static inline void qaio__future_check_live(const qaio_future *fut, const char *call)
{
    (void)fut;
    (void)call;
}
#else
void qaio__future_check_live(const qaio_future *fut, const char *call);
#endif
void qaio__future_free(qaio_future *fut);

/* Completes fut as cancelled, bypassing ops->cancel (a task that finished
 * after being cancelled). Returns 0 or QAIO_EALREADY. */
int qaio__future_finish_cancelled(qaio_future *fut);

static inline bool qaio__future_is_done(const qaio_future *f)
{
    return atomic_load_explicit(&f->state, memory_order_acquire) >= QAIO__RESULT;
}

/* Reads a done future's outcome (0 and *out, or its error) and marks an
 * error retrieved. */
int qaio__future_take(qaio_future *fut, void **out);

/* Blocks the calling (non-loop) thread until fut is done, its loop closes
 * (QAIO_ECLOSED) or the deadline in qaio__now_ns() passes (QAIO_ETIMEDOUT);
 * deadline INT64_MAX waits for ever. */
int qaio__future_block(qaio_future *fut, int64_t deadline);

/* Wakes the threads blocked in qaio__future_block on fut. */
void qaio__future_wake_waiters(qaio_future *fut);

#endif
