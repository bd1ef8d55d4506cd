/* Blocking a thread (not the loop's) until a condition about some object
 * holds: a fixed set of (mutex, condvar) stripes keyed by the object's
 * address, so the object needs no lock of its own. Base layer: knows
 * nothing about loops or futures. Any thread. */
#ifndef QAIO_PARK_H
#define QAIO_PARK_H

#include <stdint.h>

/* What check() returns while the waiter must keep waiting. */
#define QAIO__PARK_WAIT 1

/* Blocks until check(arg), run under key's stripe lock, returns anything
 * but QAIO__PARK_WAIT (which is returned), or the absolute deadline in ns
 * of CLOCK_MONOTONIC passes (INT64_MAX: never): then check() decides once
 * more, and QAIO_ETIMEDOUT unless it returned 0. A completer changes the
 * state check() reads, then calls qaio__park_wake(key); both sides must use
 * sequentially consistent atomics so no wakeup is lost. */
int qaio__park_wait(const void *key, int (*check)(void *arg), void *arg, int64_t deadline);

/* Wakes the threads parked on key's stripe. */
void qaio__park_wake(const void *key);

/* Wakes every parked thread (a loop closed: their checks say so). */
void qaio__park_wake_all(void);

#endif
