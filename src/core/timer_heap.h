/* Timers: a slab of timer records plus a binary min-heap ordered by
 * (deadline, sequence number), so equal deadlines fire in the order they
 * were scheduled (libuv's rule).
 *
 * A timer's handle names its slab slot and the slot's generation, so a handle
 * kept after its timer ran (and the slot was reused) is recognised as stale
 * and cancelling it is harmless. Each heap entry carries its own key and each
 * record knows its heap position, so cancelling removes the timer from the
 * heap at once in O(log n): a cancelled timer holds no memory and never wakes
 * the loop. (Lazy removal, leaving the entry to be skipped when it comes
 * up, would be simpler; eager removal costs the same O(log n) and keeps a
 * million cancelled timers from lingering.)
 *
 * Loop-thread only: no locking.
 */
#ifndef QAIO_TIMER_HEAP_H
#define QAIO_TIMER_HEAP_H

#include <stdint.h>
#include "qaio/loop.h"

enum { QAIO__TIMER_FREE, QAIO__TIMER_ARMED, QAIO__TIMER_QUEUED };

typedef struct {
    qaio_cb cb;        /* NULL when cancelled while QUEUED */
    void *arg;
    int32_t heap_pos;  /* index in the heap while ARMED */
    int32_t next_free; /* free-list link while FREE */
    uint32_t gen;      /* bumped each time the slot is freed */
    uint8_t state;
} qaio__timer;

typedef struct {
    int64_t when;      /* deadline, ns of the loop clock */
    uint64_t seq;
    int32_t slot;
} qaio__heap_entry;

typedef struct {
    qaio__timer *timers;
    int32_t ntimers, cap_timers, free_head;
    qaio__heap_entry *heap;
    int32_t nheap, cap_heap;
    uint64_t next_seq;
} qaio__timer_heap;

void qaio__timers_init(qaio__timer_heap *h);
void qaio__timers_free(qaio__timer_heap *h);

/* Arms a timer; returns its slot, or -1 when out of memory. */
int32_t qaio__timers_add(qaio__timer_heap *h, int64_t when, qaio_cb cb, void *arg);

/* The earliest deadline, or INT64_MAX when no timer is armed. */
static inline int64_t qaio__timers_next(const qaio__timer_heap *h)
{
    return h->nheap ? h->heap[0].when : INT64_MAX;
}

/* Pops the earliest timer if its deadline is <= now: it becomes QUEUED (still
 * cancellable until it runs) and its slot is returned; -1 otherwise. */
int32_t qaio__timers_pop_expired(qaio__timer_heap *h, int64_t now);

/* Releases a QUEUED or ARMED slot (removing it from the heap if armed). */
void qaio__timers_release(qaio__timer_heap *h, int32_t slot);

/* Handles: bit 63 set marks a timer; bits 32..62 the generation, 0..31 the
 * slot. */
static inline uint64_t qaio__timer_handle(const qaio__timer_heap *h, int32_t slot)
{
    return (UINT64_C(1) << 63) | ((uint64_t)(h->timers[slot].gen & 0x7fffffffu) << 32) |
           (uint32_t)slot;
}

/* The live timer a handle names, or NULL if it is stale or invalid. */
qaio__timer *qaio__timers_lookup(qaio__timer_heap *h, uint64_t handle, int32_t *slot);

#endif
