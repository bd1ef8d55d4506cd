/* Fiber stacks: handing out and taking back the slots of slabs (see
 * stack_map.c for how slabs are mapped).
 *
 * No system call per task. A freed slot goes back to its slab with its
 * pages still committed ("dirty"), and the next stack of that size is a
 * dirty slot of the slab freed into most recently: its pages are committed
 * and likely cached, so a task that follows another costs neither a system
 * call nor a page fault. Only when a slab has no free slot left of either
 * kind is a new one mapped.
 *
 * Retained budget. Dirty slots keep RAM, so their stack bytes are bounded
 * by RETAIN_BYTES (16 MiB: 1024 stacks of 16 KiB, 64 of 256 KiB). Past it,
 * the slabs freed into least recently have their dirty slots decommitted
 * with MADV_DONTNEED, a run of neighbouring slots per call, until half the
 * budget is left -- once nothing was freed into them for a while (see
 * trim_dirty): while a burst ends, the freed slots are freed in no useful
 * order, and decommitting them one by one would cost a call per slot or two.
 * Decommitted ("clean") slots are reused after the dirty ones.
 *
 * Slabs whose slots are all free. A burst of tasks that ends leaves whole
 * slabs free. Such a slab is kept mapped and its pages are handed to the
 * kernel with one MADV_FREE (64 stacks per call): the kernel takes them
 * back only when it needs the RAM, and until then the next burst writes to
 * them without a page fault. Unmapping the slab and mapping a fresh one
 * instead cost a page fault per task of every burst (a program that
 * accepts 10k connections, each served by a task, lost a fifth of its
 * accept rate to them). Its slots count as clean: they hold nothing the
 * budget above must bound. Where the kernel has no MADV_FREE (before
 * Linux 4.5), MADV_DONTNEED does the same at the cost of the faults.
 *
 * Giving address space back. A free slab is unmapped, one munmap for up to
 * 64 stacks, once nothing was freed into it for as many releases as there
 * are slots mapped (the same measure of "a while" as above), checked for
 * the least recently used one at each release; but one free slab per size
 * stays as a spare, so that a program whose task count hovers at a slab's
 * edge does not map and unmap it over and over, and slabs with PROT_NONE
 * guard pages stay (the guard budget bounds them, and their guards were
 * set once). Unmapping a slab in the middle of a merged run splits that
 * VMA; with 64 stacks per slab that adds at most one VMA per 64 stacks,
 * where unmapping single stacks could exhaust vm.max_map_count.
 *
 * Locking. One process-wide mutex guards every slab and list: a create/free
 * costs one uncontended lock, and there is nothing to drain when a thread
 * exits. mmap and munmap run outside it; madvise runs inside (rare, and it
 * must not race with the slot being handed out).
 */
#include "stack_map.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef QAIO__ASAN
#include <sanitizer/asan_interface.h>
#endif

#define SLAB_MAX_SLOTS 64
#define SLAB_MAX_BYTES ((size_t)32 << 20)
#define RETAIN_BYTES ((size_t)16 << 20)

/* A circular list with a sentinel; the first member of a slab. */
typedef struct ring {
    struct ring *prev, *next;
} ring;

typedef struct size_class size_class;

typedef struct {
    ring link;        /* in its class's dirty or clean list, or alone */
    ring *on;         /* that list, or NULL */
    char *map;        /* slot i starts at map + i * cls->slot */
    size_class *cls;
    uint64_t dirty;   /* free slots that may hold committed pages */
    uint64_t clean;   /* free slots with nothing committed */
    uint64_t guarded; /* slots whose first page is a guard */
    bool budgeted;    /* PROT_NONE guards of the budget: kept mapped */
    uint64_t freed_at; /* `releases` when a slot was last freed into it */
} slab;

struct size_class {
    size_t size;       /* usable stack bytes */
    size_t slot;       /* size plus the guard page */
    unsigned count;    /* slots per slab */
    uint64_t all;      /* a mask of count bits */
    ring dirty, clean; /* slabs with such free slots, most recent first */
    size_t spare;      /* slabs whose slots are all free */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static size_class **classes; /* a handful: one per stack size in use */
static size_t nclasses;
static size_t dirty_bytes; /* stack bytes of all dirty slots */
static uint64_t releases;  /* stacks freed so far */
static size_t nslabs;      /* slabs mapped now */

static void ring_init(ring *r) { r->prev = r->next = r; }
static bool ring_empty(const ring *r) { return r->next == r; }

static void ring_remove(ring *x)
{
    x->prev->next = x->next;
    x->next->prev = x->prev;
    ring_init(x);
}

static void ring_push_front(ring *r, ring *x)
{
    ring_remove(x);
    x->next = r->next;
    x->prev = r;
    r->next->prev = x;
    r->next = x;
}

/* Puts s on the list its free slots call for: at the front if front (it
 * was just freed into), else where it is if already there. */
static void relist(slab *s, bool front)
{
    ring *to = s->dirty ? &s->cls->dirty : s->clean ? &s->cls->clean : NULL;
    if (to == s->on && !front)
        return;
    if (to)
        ring_push_front(to, &s->link);
    else
        ring_remove(&s->link);
    s->on = to;
}

static size_class *class_for(size_t size)
{
    for (size_t i = 0; i < nclasses; i++)
        if (classes[i]->size == size)
            return classes[i];
    size_class **v = realloc(classes, (nclasses + 1) * sizeof *v);
    if (!v)
        return NULL;
    classes = v;
    size_class *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->size = size;
    c->slot = size + qaio__stack_page();
    size_t n = SLAB_MAX_BYTES / c->slot;
    c->count = n < 1 ? 1 : n > SLAB_MAX_SLOTS ? SLAB_MAX_SLOTS : (unsigned)n;
    c->all = c->count == 64 ? ~UINT64_C(0) : (UINT64_C(1) << c->count) - 1;
    ring_init(&c->dirty);
    ring_init(&c->clean);
    classes[nclasses++] = c;
    return c;
}

/* Maps a slab for c; its slots all clean. Called without the lock. */
static slab *slab_new(size_class *c)
{
    slab *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->map = qaio__stack_map_slab(c->slot, c->count, &s->guarded, &s->budgeted);
    if (!s->map) {
        free(s);
        return NULL;
    }
    ring_init(&s->link);
    s->cls = c;
    s->clean = c->all;
    return s;
}

/* Hands the pages of s's dirty slots to the kernel with advice
 * (MADV_DONTNEED, or MADV_FREE), a run of neighbouring slots per call, and
 * marks them clean. False if a call failed: those slots stay dirty.
 * Locked. */
static bool decommit(slab *s, int advice)
{
    size_class *c = s->cls;
    size_t page = qaio__stack_page();
    uint64_t m = s->dirty;
    while (m) {
        unsigned a = (unsigned)__builtin_ctzll(m);
        uint64_t run = m >> a;
        unsigned len = run == ~UINT64_C(0) ? 64 - a : (unsigned)__builtin_ctzll(~run);
        /* From the first stack's bottom: its guard page is never committed
         * (the inner ones are skipped by the kernel). */
        char *from = s->map + (size_t)a * c->slot + page;
        if (madvise(from, (size_t)len * c->slot - page, advice) != 0)
            return false;
        uint64_t bits = (len == 64 ? ~UINT64_C(0) : (UINT64_C(1) << len) - 1) << a;
        s->dirty &= ~bits;
        s->clean |= bits;
        dirty_bytes -= (size_t)len * c->size;
        m &= ~bits;
    }
    return true;
}

/* How many releases make a slab "quiet": as many as there are slots
 * mapped, so that the slabs of a burst that is still ending are left
 * alone. Locked. */
static uint64_t quiet_releases(void)
{
    uint64_t quiet = SLAB_MAX_SLOTS * (uint64_t)nslabs;
    return quiet > 1024 ? quiet : 1024;
}

/* Decommits the dirty slots of the slabs freed into least recently until
 * the retained budget is half used, but only slabs that are quiet: while a
 * burst of tasks ends, its slots are freed in no useful order, a slab gets
 * some now and the rest much later, and decommitting them in between would
 * cost a call per slot or two; once the burst is over its slabs are all
 * free and lazily freed, one call per 64 stacks. A program that keeps a few
 * tasks of a burst alive gets the rest of the burst's RAM back after that
 * many more releases. Locked. */
static void trim_dirty(void)
{
    uint64_t quiet = quiet_releases();
    for (size_t k = 0; k < nclasses && dirty_bytes > RETAIN_BYTES / 2; k++) {
        size_class *c = classes[k];
        while (dirty_bytes > RETAIN_BYTES / 2 && !ring_empty(&c->dirty)) {
            slab *s = (slab *)c->dirty.prev;
            if (releases - s->freed_at < quiet)
                break; /* the least recently freed into is still busy */
            if (!decommit(s, MADV_DONTNEED))
                return; /* keep them dirty; nothing better to do */
            relist(s, true);
        }
    }
}

/* Takes a free, quiet slab of c off its lists for the caller to unmap,
 * unless it is c's last spare: the least recently used one, looked for
 * among the last few of the clean list (free slabs have clean slots only,
 * see qaio__stack_release), passing over those with PROT_NONE guards,
 * which stay. NULL if there is none. Locked. */
static slab *stale_free_slab(size_class *c)
{
    if (c->spare < 2)
        return NULL;
    uint64_t quiet = quiet_releases();
    ring *r = c->clean.prev;
    for (int k = 0; k < 4 && r != &c->clean; k++, r = r->prev) {
        slab *s = (slab *)r;
        if (s->clean != c->all || releases - s->freed_at < quiet)
            return NULL;
        if (s->budgeted)
            continue;
        ring_remove(&s->link);
        s->on = NULL;
        nslabs--;
        c->spare--;
        return s;
    }
    return NULL;
}

int qaio__stack_acquire(qaio__stack *st, size_t size)
{
    pthread_mutex_lock(&lock);
    size_class *c = class_for(size);
    if (!c) {
        pthread_mutex_unlock(&lock);
        return ENOMEM;
    }
    slab *s = !ring_empty(&c->dirty)   ? (slab *)c->dirty.next
              : !ring_empty(&c->clean) ? (slab *)c->clean.next
                                       : NULL;
    if (!s) {
        pthread_mutex_unlock(&lock);
        slab *fresh = slab_new(c);
        if (!fresh)
            return ENOMEM;
        pthread_mutex_lock(&lock);
        s = fresh;
        nslabs++;
        c->spare++;
        relist(s, true);
    }
    if ((s->dirty | s->clean) == c->all)
        c->spare--;
    unsigned i;
    if (s->dirty) {
        i = (unsigned)__builtin_ctzll(s->dirty);
        s->dirty &= ~(UINT64_C(1) << i);
        dirty_bytes -= size;
    } else {
        i = (unsigned)__builtin_ctzll(s->clean);
        s->clean &= ~(UINT64_C(1) << i);
    }
    relist(s, false);
    bool guarded = s->guarded >> i & 1;
    pthread_mutex_unlock(&lock);

    size_t page = qaio__stack_page();
    st->map = s->map + (size_t)i * c->slot;
    st->map_size = c->slot;
    st->bottom = (char *)st->map + page;
    st->size = size;
    st->slab = s;
    st->guarded = guarded;
    st->vg_id = VALGRIND_STACK_REGISTER(st->bottom, (char *)st->bottom + size - 1);
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
    VALGRIND_STACK_DEREGISTER(st->vg_id);
    slab *s = st->slab, *drop = NULL;
    size_class *c = s->cls;
    unsigned i = (unsigned)(((char *)st->map - s->map) / c->slot);
    pthread_mutex_lock(&lock);
    s->dirty |= UINT64_C(1) << i;
    s->freed_at = ++releases;
    dirty_bytes += c->size;
    if ((s->dirty | s->clean) == c->all) {
        c->spare++;
        /* A whole free slab: its pages go back to the kernel lazily. */
        if (!decommit(s, MADV_FREE))
            decommit(s, MADV_DONTNEED);
    }
    relist(s, true);
    if (dirty_bytes > RETAIN_BYTES)
        trim_dirty();
    drop = stale_free_slab(c);
    pthread_mutex_unlock(&lock);
    *st = (qaio__stack){.size = st->size};

    if (drop && !qaio__stack_unmap_slab(drop->map, (size_t)c->count * c->slot, drop->guarded,
                                      drop->budgeted)) {
        /* munmap needed a VMA split and the map count is exhausted: keep
         * the slab as one more spare. */
        pthread_mutex_lock(&lock);
        nslabs++;
        c->spare++;
        relist(drop, false);
        pthread_mutex_unlock(&lock);
    } else if (drop) {
        free(drop);
    }
}
