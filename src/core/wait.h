/* The wait layer: waiting for a future on the loop thread outside any task
 * (a nested event loop), and the deadline arithmetic (core_net.h) every
 * timed wait shares. */
#ifndef QAIO_WAIT_H
#define QAIO_WAIT_H

#include "future_internal.h"

/* The ways back of one wait for a future: a done-callback on it and, with a
 * deadline, a timer. The nested-loop wait and the task wait arm one, block
 * until either fires, then disarm what did not fire. */
typedef struct {
    qaio_future *fut;
    qaio_handle timer;  /* 0: no deadline */
    qaio_done_cb on_done;
    void *arg;
} qaio__wakeup;

/* Registers on_done(fut, arg) and, unless deadline is INT64_MAX, a timer
 * calling on_timer(arg) at the absolute deadline (ns of qaio__now_ns()).
 * 0, or the error of registering (nothing is left armed). Loop thread. */
int qaio__wakeup_arm(qaio__wakeup *w, qaio_future *fut, int64_t deadline, qaio_done_cb on_done,
                     qaio_cb on_timer, void *arg);

/* Removes the ways back that did not fire. */
void qaio__wakeup_disarm(qaio__wakeup *w, bool done_fired, bool timer_fired);

/* On the loop thread: runs a nested event loop until fut is done (0), the
 * absolute deadline passes (QAIO_ETIMEDOUT; INT64_MAX: none), the loop closes
 * (QAIO_ECLOSED) or the run is ended (QAIO_ESTOPPED: by qaio_loop_stop()
 * when stoppable, or by QCoreApplication::exit()). */
int qaio__loop_block(qaio_future *fut, int64_t deadline, bool stoppable);

#endif
