/** qaio/instr/instrument.h - the instrument interface.
 *
 * An instrument does one thing: acquire a record, waiting as long as the
 * real one would (qaio_sleep for the simulations, stream reads for the SCPI
 * driver), so acquiring suspends inside a task and runs a nested loop
 * outside one -- like every qaio wait. Each instrument also names the
 * averager that turns its records into its curve (time-domain mean for a
 * scope, spectrum for a spectrum analyzer, vector mean for a network
 * analyzer). The acquisition engine (acquisition.h) combines the two into
 * run_single and continuous mode, so a new driver implements only
 * qaio_instrument_ops.
 *
 * Instruments belong to the loop they were made on and are used on its
 * thread (QAIO_EWRONGTHREAD elsewhere).
 * @file
 * @ingroup instrument
 */
/** @defgroup instrument The instrument interface
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_INSTRUMENT_H
#define QAIO_INSTR_INSTRUMENT_H

#include <pthread.h>
#include "qaio/future.h"
#include "qaio/instr/averager.h"
#include "qaio/instr/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qaio_instrument qaio_instrument;

/** An instrument's implementation: what the acquisition engine calls. */
typedef struct qaio_instrument_ops {
    const char *kind; /**< "scope", "spectrum", "na", ... */
    /** Fills rec (the caller's trace; reshape it as needed, never free it)
     * with one record. Waits with qaio_* calls only, so that cancellation
     * reaches it: returns 0, QAIO_ECANCELED (the waiting task was
     * cancelled), QAIO_ETIMEDOUT (timeout_s >= 0 passed), QAIO_EBUSY
     * (another acquisition of this instrument is under way), or the
     * instrument's error. On error rec's contents are unspecified. */
    int (*acquire)(qaio_instrument *inst, qaio_trace *rec, double timeout_s);
    /** A new averager for this instrument's records, owned by the caller. */
    qaio_averager *(*averager_new)(qaio_instrument *inst);
    /** Frees the instrument (called by qaio_instrument_free once no run
     * uses it). */
    void (*destroy)(qaio_instrument *inst);
} qaio_instrument_ops;

/** Drivers embed this as their first member and fill it with
 * qaio_instrument_init. The fields are the engine's; do not touch them. */
struct qaio_instrument {
    const qaio_instrument_ops *ops; /**< the implementation */
    qaio_loop *loop; /**< the loop the instrument belongs to */
    pthread_t thread;   /**< the loop's thread */
    unsigned runs;      /**< engine runs holding the instrument */
    int acquiring;      /**< an acquire is under way */
};

/** Sets up the embedded base for a driver made on the calling thread, which
 * must be loop's thread. 0, QAIO_EINVAL or QAIO_EWRONGTHREAD. */
int qaio_instrument_init(qaio_instrument *inst, const qaio_instrument_ops *ops, qaio_loop *loop);

/** Acquires one record into rec (borrowed, reshaped). Checks arguments and
 * the thread, then calls ops->acquire. Returns as ops->acquire, plus
 * QAIO_EINVAL (also for a NaN timeout) and QAIO_EWRONGTHREAD. Loop thread,
 * inside or outside a task. */
int qaio_instrument_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s);

/** A new averager for inst's records (the caller owns it), NULL with errno. */
qaio_averager *qaio_instrument_averager_new(qaio_instrument *inst);

/** The kind string (static), or NULL. */
const char *qaio_instrument_kind(const qaio_instrument *inst);

/** Frees inst. Returns 0, QAIO_EBUSY while a run (run_single, continuous)
 * still uses it -- nothing is freed then -- or QAIO_EWRONGTHREAD.
 * NULL returns 0. Loop thread. */
int qaio_instrument_free(qaio_instrument *inst);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
