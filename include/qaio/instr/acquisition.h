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
 *
 * Large records (from 128k samples: points times channels) are folded in
 * and read out on qaio's executor while the run's task waits, so the loop
 * thread stays free for milliseconds-long FFTs; the averager is then used
 * by one worker at a time and by nothing else (a restart or
 * qaio_continuous_read meanwhile waits for the record in hand).
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

/** What a continuous run hands over once per published frame: the curves
 *  it produced for this frame (each read from its averager once), borrowed
 *  for the call -- copy what you keep. */
typedef struct qaio_frame {
    const qaio_trace *curve;    /**< the instrument's running average (an analyzer's: the spectrum) */
    const qaio_trace *source;   /**< an analyzer's average of its source's records (the scope
                                     view) when qaio_spectrum_analyzer_keep_source_average is on;
                                     else NULL */
    unsigned k;                 /**< as the step callback's */
    unsigned n;                 /**< as the step callback's */
    unsigned long long records; /**< records folded in since the start (restarts included) */
} qaio_frame;

/** A continuous run's frame callback: loop thread, inside the run's task or
 *  from a loop timer; it may call every qaio_continuous function on its run. */
typedef void (*qaio_frame_fn)(const qaio_frame *frame, void *arg);

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
     * QAIO_ECANCELED after a stop, 0 when a single_block run completed, or
     * the acquisition error that ended it.
     * Loop thread. May be NULL. Not called after qaio_continuous_free. */
    void (*finished)(int err, void *arg);
    void *finished_arg; /**< passed to finished */
    /** Continuous mode: frames (qaio_frame) at most one per
     * frame_interval_s (>= 0, finite; 0: after every record). A record that
     * lands sooner is published when the interval has passed (a loop
     * timer), so the last record is never left unshown; the curves are read
     * from the averagers only for a frame, never per record. NULL: none. */
    qaio_frame_fn frame;
    void *frame_arg;          /**< passed to frame */
    double frame_interval_s;  /**< the shortest time between two frames */
    /** Continuous mode: end the run (finished with 0, state idle) once N
     * records are averaged -- one block, with the run's stop, restart and
     * state machine. */
    bool single_block;
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

/** The states of a continuous run. Every call below is an event; one
 * transition table (acquisition.c) says what each does in each state:
 * @verbatim
   state \ event  start      pause    resume   restart  stop/request  task ends
   IDLE, FAILED   RUNNING    EINVAL   EINVAL   EINVAL   (stays)       -
   RUNNING        EALREADY   PAUSED   EINVAL   RUNNING  STOPPING      IDLE / FAILED
   PAUSED         EALREADY   EINVAL   RUNNING  RUNNING  STOPPING      IDLE / FAILED
   STOPPING       STARTING   EINVAL   EINVAL   EINVAL   (stays)       IDLE / FAILED
   STARTING       (stays)    EINVAL   EINVAL   EINVAL   STOPPING      RUNNING (a new task)
   @endverbatim */
typedef enum qaio_run_state {
    QAIO_RUN_IDLE,    /**< made, or stopped: no task */
    QAIO_RUN_RUNNING, /**< its task is acquiring */
    QAIO_RUN_PAUSED,  /**< task waiting for resume; the average is kept */
    QAIO_RUN_FAILED,  /**< the task ended with an error (qaio_continuous_error) */
    QAIO_RUN_STOPPING, /**< stop requested; the task is unwinding (the instrument is still in use) */
    QAIO_RUN_STARTING  /**< started again while stopping: a new task once the old one ended */
} qaio_run_state;

/** A continuous acquisition of inst with options o (copied). It does not run
 * until started. The caller owns it (qaio_continuous_free). NULL with errno
 * EINVAL / -QAIO_EWRONGTHREAD / ENOMEM. Loop thread, as every function below. */
qaio_continuous *qaio_continuous_new(qaio_instrument *inst, const qaio_run_options *o);

/** Starts a fresh average (k = 0) in a new task -- while stopping, as soon
 * as the old task has ended (STARTING). 0, QAIO_EALREADY (running or
 * paused), QAIO_EBUSY (the instrument is in another run), QAIO_ENOMEM. */
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
 * running; the averager is made anew (now), so instrument settings changed
 * since (window, unit, points) apply. Also un-pauses. QAIO_EINVAL when not
 * running or paused, QAIO_ENOMEM (nothing changed). */
int qaio_continuous_restart(qaio_continuous *c);

/** Replaces the options; they apply at the next start or restart. */
int qaio_continuous_set_options(qaio_continuous *c, const qaio_run_options *o);

/** Stops: cancels the task and waits until it has ended (suspends inside a
 * task, nested loop outside), so the instrument is free when it returns.
 * Called from the step callback it only requests the stop (the task ends
 * when the callback returns). The last average stays readable. 0 (also
 * when already idle). A GUI slot should use qaio_continuous_request_stop:
 * a nested loop inside a slot re-enters the program. */
int qaio_continuous_stop(qaio_continuous *c);

/** Requests a stop and returns at once: the state is STOPPING until the
 *  task has unwound, then IDLE (or FAILED), and the finished callback says
 *  so -- unless a start came meanwhile (STARTING: the run goes on in a new
 *  task and finished is not called for the old one). The instrument stays
 *  in use until then. @return 0 (also when idle or already stopping),
 *  QAIO_EINVAL (NULL), QAIO_EWRONGTHREAD. Loop thread, any context. */
int qaio_continuous_request_stop(qaio_continuous *c);

/** @{ */
/** State, the running k, the error that ended a failed run (else 0). */
qaio_run_state qaio_continuous_state(const qaio_continuous *c);
unsigned qaio_continuous_count(const qaio_continuous *c);
int qaio_continuous_error(const qaio_continuous *c);
/** @} */

/** Reads the running average into out (reshaped) -- a conversion of the
 * whole curve: a display should take its frames instead. QAIO_EAGAIN
 * before the first record since the (re)start. */
int qaio_continuous_read(const qaio_continuous *c, qaio_trace *out);

/** Stops (as qaio_continuous_stop) and frees c; no callback (step, frame,
 * finished) runs from the call on (finished is not called for this stop).
 * From inside a step or frame callback of the run's task the free happens
 * when the task ends. NULL is ignored, and so is
 * a call off the loop thread, where the run could not be waited for. */
void qaio_continuous_free(qaio_continuous *c);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
