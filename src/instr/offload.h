/* Running a long computation of the instrument library on qaio's executor
 * while the calling task waits, so a large record never holds the loop
 * thread for the whole computation. Not installed. */
#ifndef QAIO_INSTR_OFFLOAD_H
#define QAIO_INSTR_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "qaio/loop.h"

/* Samples (points times channels) from which a record's computation goes
 * to the executor. Below it the thread hop costs more than it saves: at
 * 64k samples a generation or an FFT add takes about half a millisecond,
 * at 1M samples several. */
#define QAIO__OFFLOAD_MIN_SAMPLES ((size_t)1 << 17)

/* A job in flight: its owner keeps the pointer while the job runs so that
 * code on the loop thread that needs the job's data can wait for it. */
typedef struct qaio__offload qaio__offload;

/* Runs fn(arg) and returns its result. With samples at or above the
 * threshold and inside a task, fn runs on the executor and the task
 * suspends until it is done; otherwise (and when the executor refuses the
 * job) it runs here. *inflight (may be NULL) names the job while it runs
 * and is NULL again on return. Cancelling the task does not end the wait
 * early: fn uses memory the caller frees as it unwinds, so the call then
 * blocks until fn has returned, and still returns fn's result (the task
 * sees its cancellation at its next wait, as if fn had run inline). Loop
 * thread. */
int qaio__offload_run(qaio_loop *loop, size_t samples, int (*fn)(void *arg), void *arg,
                      qaio__offload **inflight);

/* Blocks the calling thread until the job has finished (at once for
 * NULL): for code on the loop thread that is about to read or free what
 * the job uses. Loop thread, while the job's owner task is suspended. */
void qaio__offload_wait(qaio__offload *job);

#endif
