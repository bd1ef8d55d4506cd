#include "timer_heap.h"

#include <stdlib.h>

void qaio__timers_init(qaio__timer_heap *h)
{
    *h = (qaio__timer_heap){.free_head = -1};
}

void qaio__timers_free(qaio__timer_heap *h)
{
    free(h->timers);
    free(h->heap);
    qaio__timers_init(h);
}

static int less(const qaio__heap_entry *a, const qaio__heap_entry *b)
{
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void place(qaio__timer_heap *h, int32_t pos, qaio__heap_entry e)
{
    h->heap[pos] = e;
    h->timers[e.slot].heap_pos = pos;
}

static void sift_up(qaio__timer_heap *h, int32_t pos)
{
    qaio__heap_entry e = h->heap[pos];
    while (pos > 0) {
        int32_t parent = (pos - 1) / 2;
        if (!less(&e, &h->heap[parent]))
            break;
        place(h, pos, h->heap[parent]);
        pos = parent;
    }
    place(h, pos, e);
}

static void sift_down(qaio__timer_heap *h, int32_t pos)
{
    qaio__heap_entry e = h->heap[pos];
    for (;;) {
        int32_t child = 2 * pos + 1;
        if (child >= h->nheap)
            break;
        if (child + 1 < h->nheap && less(&h->heap[child + 1], &h->heap[child]))
            child++;
        if (!less(&h->heap[child], &e))
            break;
        place(h, pos, h->heap[child]);
        pos = child;
    }
    place(h, pos, e);
}

static void heap_remove(qaio__timer_heap *h, int32_t pos)
{
    h->nheap--;
    if (pos == h->nheap)
        return;
    qaio__heap_entry last = h->heap[h->nheap];
    place(h, pos, last);
    if (pos > 0 && less(&last, &h->heap[(pos - 1) / 2]))
        sift_up(h, pos);
    else
        sift_down(h, pos);
}

static int32_t slot_alloc(qaio__timer_heap *h)
{
    if (h->free_head >= 0) {
        int32_t s = h->free_head;
        h->free_head = h->timers[s].next_free;
        return s;
    }
    if (h->ntimers == h->cap_timers) {
        if (h->cap_timers >= INT32_MAX / 2)
            return -1;
        int32_t cap = h->cap_timers ? h->cap_timers * 2 : 256;
        qaio__timer *t = realloc(h->timers, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        h->timers = t;
        h->cap_timers = cap;
    }
    h->timers[h->ntimers].gen = 1;
    return h->ntimers++;
}

int32_t qaio__timers_add(qaio__timer_heap *h, int64_t when, qaio_cb cb, void *arg)
{
    if (h->nheap == h->cap_heap) {
        int32_t cap = h->cap_heap ? h->cap_heap * 2 : 256;
        qaio__heap_entry *e = realloc(h->heap, (size_t)cap * sizeof *e);
        if (!e)
            return -1;
        h->heap = e;
        h->cap_heap = cap;
    }
    int32_t slot = slot_alloc(h);
    if (slot < 0)
        return -1;
    qaio__timer *t = &h->timers[slot];
    t->cb = cb;
    t->arg = arg;
    t->state = QAIO__TIMER_ARMED;
    h->heap[h->nheap] = (qaio__heap_entry){when, h->next_seq++, slot};
    sift_up(h, h->nheap++);
    return slot;
}

int32_t qaio__timers_pop_expired(qaio__timer_heap *h, int64_t now)
{
    if (h->nheap == 0 || h->heap[0].when > now)
        return -1;
    int32_t slot = h->heap[0].slot;
    heap_remove(h, 0);
    h->timers[slot].state = QAIO__TIMER_QUEUED;
    h->timers[slot].heap_pos = -1;
    return slot;
}

void qaio__timers_release(qaio__timer_heap *h, int32_t slot)
{
    qaio__timer *t = &h->timers[slot];
    if (t->state == QAIO__TIMER_ARMED)
        heap_remove(h, t->heap_pos);
    t->state = QAIO__TIMER_FREE;
    t->cb = NULL;
    t->gen = (t->gen + 1) & 0x7fffffffu;
    if (t->gen == 0)
        t->gen = 1;
    t->next_free = h->free_head;
    h->free_head = slot;
}

qaio__timer *qaio__timers_lookup(qaio__timer_heap *h, uint64_t handle, int32_t *slot)
{
    if (!(handle >> 63))
        return NULL;
    uint32_t s = (uint32_t)handle;
    uint32_t gen = (uint32_t)(handle >> 32) & 0x7fffffffu;
    if (s >= (uint32_t)h->ntimers)
        return NULL;
    qaio__timer *t = &h->timers[s];
    if (t->state == QAIO__TIMER_FREE || t->gen != gen)
        return NULL;
    *slot = (int32_t)s;
    return t;
}
