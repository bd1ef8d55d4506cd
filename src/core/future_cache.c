/* A per-thread cache of plain futures' memory.
 *
 * Every wait for a stream, a lock or a queue allocates a plain future and
 * frees it when the wait is over. glibc's thread cache keeps only seven
 * chunks of a size, so with a hundred waits outstanding (a server with a
 * hundred clients) most of those allocations took malloc's slow path:
 * malloc and free were 14 % of a TCP echo's instructions (callgrind). Each thread keeps up to CACHE_MAX freed plain futures here and
 * the next allocation takes one back; a thread's cache is freed when the
 * thread exits.
 *
 * Under ASan, TSan and valgrind the cache stays empty: those tools must
 * see every free to catch a use after it. */
#include <pthread.h>
#include <stdlib.h>
#include "future_internal.h"
#include "sanitizers.h"

#define CACHE_MAX 64

typedef struct node {
    struct node *next;
} node;

static _Thread_local struct {
    node *head;
    unsigned n;
    bool armed; /* the exit destructor is registered for this thread */
} cache;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
static bool enabled;

static void drain(void *unused)
{
    (void)unused;
    while (cache.head) {
        node *n = cache.head;
        cache.head = n->next;
        free(n);
    }
    cache.n = 0;
    cache.armed = false;
}

static void init(void)
{
    bool watched = RUNNING_ON_VALGRIND;
#if defined(QAIO__ASAN) || defined(QAIO__TSAN)
    watched = true;
#endif
    enabled = !watched && pthread_key_create(&exit_key, drain) == 0;
}

void *qaio__future_cache_take(void)
{
    node *n = cache.head;
    if (!n)
        return NULL;
    cache.head = n->next;
    cache.n--;
    return n;
}

bool qaio__future_cache_put(void *mem)
{
    if (cache.n >= CACHE_MAX)
        return false;
    if (!cache.armed) {
        pthread_once(&once, init);
        /* The key's value only has to be non-NULL for drain to run. */
        if (!enabled || pthread_setspecific(exit_key, &cache) != 0)
            return false;
        cache.armed = true;
    }
    node *n = mem;
    n->next = cache.head;
    cache.head = n;
    cache.n++;
    return true;
}
