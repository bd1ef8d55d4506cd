#include "ready_queue.h"

#include <stdlib.h>

#define QAIO__READY_INITIAL 1024

int qaio__ready_init(qaio__ready_queue *q)
{
    q->slots = malloc(QAIO__READY_INITIAL * sizeof *q->slots);
    if (!q->slots)
        return QAIO_ENOMEM;
    q->mask = QAIO__READY_INITIAL - 1;
    q->head = q->tail = 1; /* sequence 0 is reserved for "no handle" */
    return 0;
}

void qaio__ready_free(qaio__ready_queue *q)
{
    free(q->slots);
    q->slots = NULL;
    q->head = q->tail;
}

/* Doubling keeps `seq & mask` addressing: every live entry moves to the slot
 * its sequence number names under the new mask. */
static int grow(qaio__ready_queue *q)
{
    uint64_t cap = (q->mask + 1) * 2;
    qaio__ready_entry *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return QAIO_ENOMEM;
    for (uint64_t s = q->head; s != q->tail; s++)
        slots[s & (cap - 1)] = q->slots[s & q->mask];
    free(q->slots);
    q->slots = slots;
    q->mask = cap - 1;
    return 0;
}

uint64_t qaio__ready_push(qaio__ready_queue *q, qaio_cb cb, void *arg, int32_t timer)
{
    if (q->tail - q->head > q->mask && grow(q) != 0)
        return 0;
    uint64_t seq = q->tail++;
    q->slots[seq & q->mask] = (qaio__ready_entry){cb, arg, timer};
    if (q->tail - q->head > q->peak)
        q->peak = q->tail - q->head;
    return seq;
}

/* Rings up to this size are kept: shrinking them would only buy realloc
 * churn for a bursty application. */
#define QAIO__READY_KEEP 65536

void qaio__ready_trim(qaio__ready_queue *q)
{
    uint64_t cap = q->mask + 1;
    if (q->head != q->tail || cap <= QAIO__READY_KEEP)
        return;
    if (q->peak < cap / 4) {
        qaio__ready_entry *slots = malloc(cap / 2 * sizeof *slots);
        if (slots) { /* empty: nothing to move */
            free(q->slots);
            q->slots = slots;
            q->mask = cap / 2 - 1;
        }
    }
    q->peak = 0; /* a new period starts */
}
