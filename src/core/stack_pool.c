/* Fiber stacks: parking them for reuse (see stack_map.c for how they are
 * mapped).
 *
 * Never splitting a merged run. munmap of one stack in the middle of a
 * merged run splits the VMA in two, and once the map count is exhausted it
 * fails with ENOMEM; worse, mmap then refuses every new stack even though
 * it would fill a hole. Freeing every other stack of 100k would get there.
 * So an unguarded stack is never unmapped on its own: when it leaves the
 * hot pool it is decommitted with MADV_DONTNEED (no VMA change) and parked,
 * by size, for reuse before any new mapping. The parked stacks are unmapped
 * when no unguarded stack is in use any more, in address order so that each
 * munmap trims the end of a run instead of splitting it: a burst of tasks
 * past the guard budget gives its address space back once it is over.
 *
 * Pool. Freed stacks go first to one process-wide hot pool under a mutex
 * rather than per-thread pools: a create/free costs one uncontended lock,
 * and there is nothing to drain when a thread exits. It holds at most 64
 * stacks and 16 MiB of address space in total, whatever their sizes (64
 * default stacks), most recently freed first, so a new fiber gets a stack
 * whose pages are committed and likely cached. Those pages stay committed,
 * bounded by the 16 MiB, which saves the page faults of recommitting them.
 * When full, the oldest entry leaves (unmapped if guarded, parked if not),
 * so a program that changes stack sizes does not keep stale ones there.
 */
#include "stack_map.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef QAIO__ASAN
#include <sanitizer/asan_interface.h>
#endif

#define POOL_MAX_STACKS 64
#define POOL_MAX_BYTES ((size_t)16 << 20)

static atomic_size_t unguarded_used; /* unguarded stacks held by fibers */


/* Parked (decommitted, unguarded) stacks of one size. */
typedef struct {
    size_t size;
    qaio__stack *v;
    size_t len, cap;
} park_class;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static qaio__stack pool[POOL_MAX_STACKS]; /* oldest first */
static size_t pool_len, pool_bytes;
static park_class *parks; /* a handful: one per stack size in use */
static size_t nparks;


static bool park_locked(const qaio__stack *st)
{
    park_class *c = NULL;
    for (size_t i = 0; i < nparks && !c; i++)
        if (parks[i].size == st->size)
            c = &parks[i];
    if (!c) {
        park_class *p = realloc(parks, (nparks + 1) * sizeof *p);
        if (!p)
            return false;
        parks = p;
        c = &parks[nparks++];
        *c = (park_class){st->size, NULL, 0, 0};
    }
    if (c->len == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        qaio__stack *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return false;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->len++] = *st;
    return true;
}

/* Disposes of a stack the pool has no room for. */
static void discard(qaio__stack *st)
{
    if (!st->guarded) {
        madvise(st->bottom, st->size, MADV_DONTNEED);
        pthread_mutex_lock(&pool_lock);
        bool parked = park_locked(st);
        pthread_mutex_unlock(&pool_lock);
        if (parked)
            return;
    }
    /* A guarded stack is two whole VMAs, so unmapping it never splits one.
     * Unparkable unguarded stacks try their luck; failing that the address
     * space leaks, which is all there is left to do. */
    qaio__stack_unmap(st);
}

static int by_address(const void *a, const void *b)
{
    const char *x = ((const qaio__stack *)a)->map, *y = ((const qaio__stack *)b)->map;
    return (x > y) - (x < y);
}

/* Unmaps every parked stack, lowest address first. */
static void trim(void)
{
    pthread_mutex_lock(&pool_lock);
    size_t n = 0;
    for (size_t i = 0; i < nparks; i++)
        n += parks[i].len;
    qaio__stack *all = n ? malloc(n * sizeof *all) : NULL;
    if (!all) {
        pthread_mutex_unlock(&pool_lock);
        return;
    }
    n = 0;
    for (size_t i = 0; i < nparks; i++) {
        memcpy(all + n, parks[i].v, parks[i].len * sizeof *all);
        n += parks[i].len;
        free(parks[i].v);
    }
    free(parks);
    parks = NULL;
    nparks = 0;
    pthread_mutex_unlock(&pool_lock);

    /* Outside the lock: thousands of munmap calls should not stall fibers
     * being created meanwhile (they map new stacks instead). */
    qsort(all, n, sizeof *all, by_address);
    for (size_t i = 0; i < n; i++) {
        if (!qaio__stack_unmap(&all[i])) {
            pthread_mutex_lock(&pool_lock);
            park_locked(&all[i]); /* try again at the next trim */
            pthread_mutex_unlock(&pool_lock);
        }
    }
    free(all);
}

static bool take_locked(qaio__stack *st, size_t size)
{
    for (size_t i = pool_len; i-- > 0;) {
        if (pool[i].size == size) {
            *st = pool[i];
            memmove(&pool[i], &pool[i + 1], (pool_len - i - 1) * sizeof *pool);
            pool_len--;
            pool_bytes -= size;
            return true;
        }
    }
    for (size_t i = 0; i < nparks; i++) {
        if (parks[i].size == size && parks[i].len > 0) {
            *st = parks[i].v[--parks[i].len];
            return true;
        }
    }
    return false;
}

/* Keeps st in the hot pool, making room by discarding the oldest entries;
 * false if st alone is larger than the pool may hold. */
static bool pool_put(const qaio__stack *st)
{
    if (st->size > POOL_MAX_BYTES)
        return false;
    for (;;) {
        pthread_mutex_lock(&pool_lock);
        if (pool_len < POOL_MAX_STACKS && pool_bytes + st->size <= POOL_MAX_BYTES) {
            pool[pool_len++] = *st;
            pool_bytes += st->size;
            pthread_mutex_unlock(&pool_lock);
            return true;
        }
        qaio__stack old = pool[0];
        memmove(&pool[0], &pool[1], --pool_len * sizeof *pool);
        pool_bytes -= old.size;
        pthread_mutex_unlock(&pool_lock);
        discard(&old); /* outside the lock: munmap and madvise are slow */
    }
}

int qaio__stack_acquire(qaio__stack *st, size_t size)
{
    pthread_mutex_lock(&pool_lock);
    bool found = take_locked(st, size);
    pthread_mutex_unlock(&pool_lock);
    if (!found && qaio__stack_map(st, size) != 0)
        return ENOMEM;
    if (!st->guarded) {
        atomic_fetch_add(&unguarded_used, 1);
        *(volatile uint64_t *)st->bottom = QAIO__STACK_CANARY;
    }
    return 0;
}

void qaio__stack_release(qaio__stack *st, const void *sp)
{
#ifdef QAIO__ASAN
    /* A fiber freed while suspended, or one whose last frames never
     * returned, leaves ASan's redzone poison on the stack; the next fiber
     * to use it would trip over it. Frames below sp have returned and
     * cleaned up after themselves. Unpoisoning the whole stack instead
     * would commit 1/8 of it in shadow memory for every stack freed: 3 GiB
     * for 100k default stacks. The margin covers the red zone below sp. */
    char *lo = (char *)st->bottom, *top = lo + st->size;
    if (sp && (const char *)sp - 256 > lo && (const char *)sp < top)
        lo = (char *)sp - 256;
    ASAN_UNPOISON_MEMORY_REGION(lo, (size_t)(top - lo));
#else
    (void)sp;
#endif
    bool guarded = st->guarded;
    if (!pool_put(st))
        discard(st);
    if (!guarded && atomic_fetch_sub(&unguarded_used, 1) == 1) {
        pthread_mutex_lock(&pool_lock);
        bool any = false;
        for (size_t i = 0; i < nparks && !any; i++)
            any = parks[i].len > 0;
        pthread_mutex_unlock(&pool_lock);
        if (any)
            trim();
    }
}
