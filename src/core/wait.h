/* The wait layer: waiting for a future on the loop thread outside any task
 * (a nested event loop), and the deadline arithmetic (core_net.h) every
 * timed wait shares. */
#ifndef QAIO_WAIT_H
#define QAIO_WAIT_H

#include "future_internal.h"

/* On the loop thread: runs a nested event loop until fut is done (0),
 * timeout_s passes (QAIO_ETIMEDOUT; < 0: none), the loop closes
 * (QAIO_ECLOSED) or the run is ended (QAIO_ESTOPPED: by qaio_loop_stop()
 * when stoppable, or by QCoreApplication::exit()). */
int qaio__loop_block(qaio_future *fut, double timeout_s, bool stoppable);

#endif
