/* The ready queue: a growable ring of (callback, argument) entries.
 *
 * Entries are addressed by a sequence number that grows by one per push, and
 * entry `seq` always lives at slot `seq & mask`. That makes cancelling a
 * pending call O(1) (qaio_cancel finds it from its handle) without a pointer
 * per entry. A cancelled entry keeps its slot with cb == NULL and is skipped
 * when popped. Loop-thread only: no locking.
 */
#ifndef QAIO_READY_QUEUE_H
#define QAIO_READY_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include "qaio/loop.h"

typedef struct {
    qaio_cb cb;        /* NULL once cancelled */
    void *arg;
    int32_t timer;     /* timer slot this call came from, or -1 */
} qaio__ready_entry;

typedef struct {
    qaio__ready_entry *slots;
    uint64_t mask;     /* capacity - 1; capacity is a power of two */
    uint64_t head;     /* sequence number of the oldest entry */
    uint64_t tail;     /* sequence number the next push gets */
    uint64_t peak;     /* most entries held since the last trim */
} qaio__ready_queue;

int  qaio__ready_init(qaio__ready_queue *q);
void qaio__ready_free(qaio__ready_queue *q);

/* Appends; returns the entry's sequence number (>= 1), or 0 when out of
 * memory. */
uint64_t qaio__ready_push(qaio__ready_queue *q, qaio_cb cb, void *arg, int32_t timer);

/* Gives memory back after a burst: called when the queue is empty, it halves
 * a large ring that stayed under a quarter full for a whole trim period. */
void qaio__ready_trim(qaio__ready_queue *q);

static inline int qaio__ready_empty(const qaio__ready_queue *q) { return q->head == q->tail; }

/* Removes the oldest entry into *e; the queue must not be empty. */
static inline void qaio__ready_pop(qaio__ready_queue *q, qaio__ready_entry *e)
{
    *e = q->slots[q->head & q->mask];
    q->head++;
}

/* The pending entry with this sequence number, or NULL if it already left. */
static inline qaio__ready_entry *qaio__ready_find(qaio__ready_queue *q, uint64_t seq)
{
    return (seq >= q->head && seq < q->tail) ? &q->slots[seq & q->mask] : NULL;
}

#endif
