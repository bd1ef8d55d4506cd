/** qaio/instr/acquisition.h - run_single and continuous mode for any
 * instrument: acquire records, fold them into the instrument's averager,
 * publish the running average.
 *
 * Weights: the k-th record of a block gets 1/k, so after k records the
 * curve is their exact mean (or peak / min hold). In continuous mode with
 * QAIO_AVG_EXPONENTIAL, records after the first N keep weight 1/N: an
 * exponential average with time constant N records that starts as a true
 * mean (no warm-up bias). QAIO_AVG_REPEAT starts a new block after N.
 *
 * Both modes run as qaio tasks on the instrument's loop; every wait in them
 * returns QAIO_ECANCELED on cancellation and everything they allocated is
 * freed before their future is done. The instrument is borrowed and must
 * not be freed while a run uses it (qaio_instrument_free says QAIO_EBUSY).
 * The step callback runs on the loop thread, inside the run's task, after
 * each record with the running average (borrowed for the call), k and N:
 * k counts records since the (re)start -- 1..N in run_single and in repeat
 * blocks, and on past N once an exponential average is in steady state
 * (display min(k, N) as "k/N"). It may call pause, resume, restart, stop
 * and free on its own run.
 * @file
 * @ingroup acquisition
 */
/** @defgroup acquisition Acquisition: run_single and continuous mode
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_ACQUISITION_H
#define QAIO_INSTR_ACQUISITION_H

#include "qaio/instr/instrument.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Called on the loop thread after each record with the running average
 * (borrowed for the call), k records of n averaged so far, and step_arg. */
typedef void (*qaio_step_fn)(const qaio_trace *average, unsigned k, unsigned n, void *arg);

/** How records are weighted into the average. */
typedef enum qaio_avg_type {
    QAIO_AVG_EXPONENTIAL, /**< continuous default: weight 1/min(k, N) */
    QAIO_AVG_REPEAT       /**< blocks of N records; the average restarts */
} qaio_avg_type;

/** What an acquisition run does (qaio_run_options_default fills the defaults). */
typedef struct qaio_run_options {
    unsigned averages;       /**< N >= 1 */
    qaio_avg_type type;      /**< continuous mode only */
    double record_timeout_s; /**< per acquisition; < 0: none (default); not NaN */
    qaio_step_fn step;       /**< may be NULL */
    void *step_arg; /**< passed to step */
    /** Continuous mode: called once when the run's task has ended -- err is
     * QAIO_ECANCELED after stop(), or the acquisition error that ended it.
     * Loop thread. May be NULL. Not called after qaio_continuous_free. */
    void (*finished)(int err, void *arg);
    void *finished_arg; /**< passed to finished */
} qaio_run_options;

/** Fills o: averages 1, exponential, no timeout, no callbacks. */
void qaio_run_options_default(qaio_run_options *o);

/** Acquires `averages` records and returns a future (the caller's
 * reference) whose value is the averaged curve: a qaio_trace owned by the
 * future (freed with it) with ->averages = N. Errors of the run become the
 * future's error; cancelling the future stops the acquisition (the future
 * is then cancelled). NULL with errno: EINVAL (NULL, bad options), EBUSY
 * (the instrument is in another run), -QAIO_EWRONGTHREAD (wrong thread), ENOMEM.
 * Loop thread. */
qaio_future *qaio_instrument_run_single(qaio_instrument *inst, unsigned averages);

/** The same with options (copied; step runs after every record). */
qaio_future *qaio_instrument_run_single_opts(qaio_instrument *inst, const qaio_run_options *o);

/* --- continuous mode ---------------------------------------------------- */

/** A continuous acquisition: a task that keeps averaging (opaque). */
typedef struct qaio_continuous qaio_continuous;

/** Where a continuous acquisition is. */
typedef enum qaio_run_state {
    QAIO_RUN_IDLE,    /**< made, or stopped: no task */
    QAIO_RUN_RUNNING, /**< its task is acquiring */
    QAIO_RUN_PAUSED,  /**< task waiting for resume; the average is kept */
    QAIO_RUN_FAILED   /**< the task ended with an error (qaio_continuous_error) */
} qaio_run_state;

/** A continuous acquisition of inst with options o (copied). It does not run
 * until started. The caller owns it (qaio_continuous_free). NULL with errno
 * EINVAL / -QAIO_EWRONGTHREAD / ENOMEM. Loop thread, as every function below. */
qaio_continuous *qaio_continuous_new(qaio_instrument *inst, const qaio_run_options *o);

/** Starts a fresh average (k = 0) in a new task. 0, QAIO_EALREADY (running
 * or paused), QAIO_EBUSY (the instrument is in another run), QAIO_ENOMEM. */
int qaio_continuous_start(qaio_continuous *c);

/** @{ */
/** Pause: no new acquisition starts and a record in flight when pause is
 * called is discarded, so the average shown is the one at pause time.
 * resume continues the same average. 0, or QAIO_EINVAL when not running
 * (pause) / not paused (resume). */
int qaio_continuous_pause(qaio_continuous *c);
int qaio_continuous_resume(qaio_continuous *c);
/** @} */

/** Restart the average at k = 0 (a record in flight is discarded) and keep
 * running; the averager is made anew, so instrument settings changed since
 * (window, unit, points) apply. Also un-pauses. QAIO_EINVAL when idle. */
int qaio_continuous_restart(qaio_continuous *c);

/** Replaces the options; they apply at the next start or restart. */
int qaio_continuous_set_options(qaio_continuous *c, const qaio_run_options *o);

/** Stops: cancels the task and waits until it has ended (suspends inside a
 * task, nested loop outside), so the instrument is free when it returns.
 * Called from the step callback it only requests the stop (the task ends
 * when the callback returns). The last average stays readable. 0 (also
 * when already idle). */
int qaio_continuous_stop(qaio_continuous *c);

/** @{ */
/** State, the running k, the error that ended a failed run (else 0). */
qaio_run_state qaio_continuous_state(const qaio_continuous *c);
unsigned qaio_continuous_count(const qaio_continuous *c);
int qaio_continuous_error(const qaio_continuous *c);
/** @} */

/** Copies the latest published average into out (reshaped). QAIO_EAGAIN
 * before the first step. */
int qaio_continuous_read(const qaio_continuous *c, qaio_trace *out);

/** Stops (as qaio_continuous_stop) and frees c; neither callback runs from
 * the call on (finished is not called for this stop). From inside the step
 * callback the free happens when the task ends. NULL is ignored, and so is
 * a call off the loop thread, where the run could not be waited for. */
void qaio_continuous_free(qaio_continuous *c);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
