/* Debug builds (NDEBUG not defined): catching a future freed twice.
 *
 * A second qaio_future_unref of a freed future used to corrupt the heap
 * silently and crash much later in an unrelated malloc. Here a freed future
 * is marked (its magic becomes FREED, the rest is overwritten) and held back
 * from free() in a small quarantine, so a second unref of one of the last
 * QUARANTINE freed futures reads the mark instead of reused memory and
 * aborts naming the future. Older ones are really freed (a plain future's
 * memory may go to the thread's cache, future_cache.c, which ASan builds
 * keep empty); catching those is ASan's job. Release builds free at once
 * and check nothing: a second unref is undefined behaviour there, as
 * future.h says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "future_internal.h"

#define LIVE 0x51a1f07eu
#define FREED 0xdeadf07eu
#define QUARANTINE 256

#ifndef NDEBUG
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    void *mem;
    bool plain; /* a plain future: its memory may go to the cache */
    char what[64]; /* "task 'NAME'" or "future": for the message */
} held[QUARANTINE];
static size_t next_slot;
#endif

void qaio__future_mark_live(qaio_future *f)
{
    f->magic = LIVE;
}

#ifndef NDEBUG
void qaio__future_check_live(const qaio_future *f, const char *call)
{
    if (f->magic == LIVE)
        return;
    const char *what = "future";
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < QUARANTINE; i++)
        if (held[i].mem == f)
            what = held[i].what;
    fprintf(stderr, "qaio: %s: %s %p was already freed (%s)\n", call, what, (const void *)f,
            f->magic == FREED ? "one qaio_future_unref too many"
                              : "not a future, or freed long ago");
    abort();
}
#endif

void qaio__future_free(qaio_future *f)
{
#ifndef NDEBUG
    char what[64];
    /* A subtype (a task) names itself through its ops, as in unref. */
    const char *task = f->ops && f->ops->name ? f->ops->name(f) : NULL;
    if (task)
        snprintf(what, sizeof what, "task '%s'", task);
    else
        snprintf(what, sizeof what, "future");
    bool plain = !f->ops;
    memset(f, 0xdb, sizeof *f);
    f->magic = FREED;
    pthread_mutex_lock(&lock);
    void *old = held[next_slot].mem;
    bool old_plain = held[next_slot].plain;
    held[next_slot].mem = f;
    held[next_slot].plain = plain;
    memcpy(held[next_slot].what, what, sizeof what);
    next_slot = (next_slot + 1) % QUARANTINE;
    pthread_mutex_unlock(&lock);
    /* Out of the quarantine: from here on as in release builds. */
    if (!old || !old_plain || !qaio__future_cache_put(old))
        free(old);
#else
    if (f->ops || !qaio__future_cache_put(f))
        free(f);
#endif
}
