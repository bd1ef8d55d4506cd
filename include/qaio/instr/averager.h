/** qaio/instr/averager.h - turning records into an averaged curve.
 *
 * An averager folds records one at a time into a running curve. The
 * acquisition engine chooses each record's weight: 1/k for the k-th record
 * of a block (an exact running mean), and 1/N once an exponential average
 * is warm (k > N). Averagers keep the running mean form
 *     avg += weight * (value - avg)
 * so the first record (weight 1) simply replaces whatever was there, and
 * the curve is readable after every step with no rescaling.
 *
 * Implementations: qaio_mean_averager_new (time-domain averaging of scope
 * records, vector averaging of network-analyzer sweeps) below, and the
 * spectrum averager of spectrum.h. A driver may add its own through
 * qaio_averager_ops. Averagers are plain objects with no loop: any thread
 * may use one that no other thread uses (the acquisition engine folds
 * large records in on a worker thread, so an implementation's add and
 * read must not need the loop thread).
 * @file
 * @ingroup averager
 */
/** @defgroup averager Averaging
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_AVERAGER_H
#define QAIO_INSTR_AVERAGER_H

#include <stdbool.h>
#include "qaio/instr/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qaio_averager qaio_averager;

/** An averager's implementation: what qaio_averager_add and the others call. */
typedef struct qaio_averager_ops {
    /** Folds rec in with weight in (0, 1]. Returns 0; 1 when rec's shape
     * (points, channels, x step) differed from the previous records, so the
     * averager started over with rec alone (the caller restarts its count);
     * or a negative error. Must not allocate unless the shape changed. */
    int (*add)(qaio_averager *av, const qaio_trace *rec, double weight);
    /** Writes the current curve into out (reshaping it). QAIO_EAGAIN before
     * the first record. */
    int (*read)(qaio_averager *av, qaio_trace *out);
    /** Forgets every record (keeps buffers). */
    void (*reset)(qaio_averager *av);
    /** Frees the averager (qaio_averager_free calls it). */
    void (*destroy)(qaio_averager *av);
} qaio_averager_ops;

/** Implementations embed this as their first member. */
struct qaio_averager {
    const qaio_averager_ops *ops; /**< the implementation */
    unsigned count; /**< records folded in since the last reset (maintained by
                       qaio_averager_add) */
};

/** Dispatchers: check arguments (QAIO_EINVAL for NULL, a record with no
 * points or channels, a weight outside (0, 1]) and call the ops. add
 * maintains av->count (1 after a shape change). */
int qaio_averager_add(qaio_averager *av, const qaio_trace *rec, double weight);
/** Writes the current curve into out (ops->read). */
int qaio_averager_read(qaio_averager *av, qaio_trace *out);
/** Forgets every record (ops->reset). */
int qaio_averager_reset(qaio_averager *av);
void qaio_averager_free(qaio_averager *av); /**< NULL is ignored */

/** What a mean averager writes out. */
typedef enum qaio_mean_output {
    QAIO_MEAN_LINEAR, /**< the mean itself, same units as the records */
    QAIO_MEAN_POLAR   /**< records are (re, im) pairs in channels 0 and 1: the
                         curve is 20*log10|mean| in dB and arg(mean) in
                         degrees (vector averaging) */
} qaio_mean_output;

/** A running mean per point and channel. The caller owns the result
 * (qaio_averager_free); NULL with errno EINVAL / ENOMEM. */
qaio_averager *qaio_mean_averager_new(qaio_mean_output output);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
