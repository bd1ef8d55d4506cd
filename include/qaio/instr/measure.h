/** qaio/instr/measure.h - a bench scope's automatic measurements.
 *
 * Pure functions over one channel of samples and their sample interval:
 * no allocation, no state, any thread. Amplitude levels are in the
 * samples' unit (volts for a scope record), times in the interval's unit
 * (seconds).
 *
 *   min, max   the extreme samples; vpp = max - min
 *   mean       the arithmetic mean (the DC level)
 *   rms        the true RMS, DC included; ac_rms without the DC
 *   top, base  the most common level in the upper and the lower half of
 *              the range (a 256-bin histogram, refined to the mean of the
 *              samples in the winning bin): the flat tops of a square
 *              wave, not its overshoot; a sine's are near its peaks
 *   amplitude  top - base
 *   frequency  from the rising edges through the mean, each placed where it
 *              crossed the mean (linear interpolation between the two
 *              samples around it): (edges - 1) / (last - first). An edge
 *              counts only when the signal goes from below lo (two samples
 *              in a row: one noise sample cannot) to above hi, lo and hi
 *              35 % of the way from the mean to min and to max (a Schmitt
 *              trigger, as a scope's noise rejection), so noise adds no
 *              false edges and a pulse train of low duty cycle (its mean
 *              near its base) still counts. A period needs about 8 samples
 *              or more; a lone spike far beyond the swing can lift hi over
 *              it. NaN with fewer than two edges (DC, less than one period
 *              in the record).
 *   period     1 / frequency (NaN alike)
 *
 * @file
 * @ingroup measure
 */
/** @defgroup measure Automatic measurements
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_MEASURE_H
#define QAIO_INSTR_MEASURE_H

#include <stddef.h>
#include "qaio/error.h"
#include "qaio/instr/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One channel's measurements (see the file comment for each definition);
 * NaN where a value is undefined for the samples given. */
typedef struct qaio_measurements {
    double min;       /**< the smallest sample */
    double max;       /**< the largest sample */
    double vpp;       /**< max - min */
    double mean;      /**< the DC level */
    double rms;       /**< true RMS, DC included */
    double ac_rms;    /**< RMS without the DC */
    double top;       /**< the upper flat level (histogram mode) */
    double base;      /**< the lower flat level (histogram mode) */
    double amplitude; /**< top - base */
    double frequency; /**< from the mean's rising crossings */
    double period;    /**< 1 / frequency */
    size_t crossings;            /**< rising edges counted */
} qaio_measurements;

/** Sets every value of out to NaN and crossings to 0. NULL is ignored. */
void qaio_measurements_clear(qaio_measurements *out);

/** Measures n samples y (borrowed for the call) taken dx apart into out.
 * Returns 0 (values NaN where undefined: frequency and period without two
 * crossings), or QAIO_EINVAL with every value NaN when y or out is NULL,
 * n == 0, dx is not finite and > 0, or a sample is not finite (a clipped
 * or missing sample makes every statistic meaningless). Any thread. */
int qaio_measure(const float *y, size_t n, double dx, qaio_measurements *out);

/** qaio_measure over channel c (0-based slot) of t's uniform axis (dx).
 * QAIO_EINVAL (every value NaN) for NULL, c >= t->nch, or an explicit x
 * axis (non-uniform samples), or as qaio_measure. Any thread. */
int qaio_measure_trace(const qaio_trace *t, size_t c, qaio_measurements *out);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
