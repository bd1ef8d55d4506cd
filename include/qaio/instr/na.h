/** qaio/instr/na.h - the simulated network analyzer: a swept sine through a
 * simulated resonator, measured by a lock-in receiver.
 *
 * Device under test: a second-order band-pass resonance
 *     H(f) = gain / (1 + j Q (f/f0 - f0/f)),
 * |H| = gain at f0, phase 0 there, -3 dB and -/+45 degrees at
 * f0 (sqrt(1 + 1/(4Q^2)) -/+ 1/(2Q)), so the -3 dB bandwidth is f0/Q.
 *
 * Each sweep point: the source sine (peak `amplitude`) at f drives the DUT;
 * the receiver samples the steady-state response plus white Gaussian noise
 * (noise_rms per sample, counter-based generator, seed) at 16 samples per
 * cycle over C = max(1, round(f / if_bandwidth)) whole cycles, and
 * demodulates it against the source: an unbiased estimate of H(f) whose
 * error has rms noise_rms / amplitude * sqrt(2 / (16 C)) per component.
 * A sweep takes points / if_bandwidth seconds plus the latency.
 *
 * Records: channels 0 and 1 are Re H and Im H at the sweep frequencies
 * (explicit x axis for a log sweep, uniform for a linear one), x in Hz.
 * The NA's averager is the vector (complex) mean written out as magnitude
 * in dB (channel 0, "dB") and phase in degrees (channel 1, "deg").
 * @file
 * @ingroup na
 */
/** @defgroup na The simulated network analyzer
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_NA_H
#define QAIO_INSTR_NA_H

#include <stdbool.h>
#include <stdint.h>
#include "qaio/instr/instrument.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The simulated network analyzer's sweep and device. */
typedef struct qaio_na_settings {
    double start_hz;          /**< 0 < start < stop (default 5 kHz .. 15 kHz) */
    double stop_hz;           /**< the sweep's end, Hz */
    size_t points;            /**< >= 2 (default 201) */
    bool log_sweep;           /**< default false (linear) */
    double amplitude;         /**< source, V peak, > 0 (default 1) */
    double if_bandwidth;      /**< Hz, > 0 (default 10 kHz) */
    double latency_s;         /**< per sweep (default 0) */
    /** the simulated device and receiver */
    double f0;                /**< resonance, Hz > 0 (default 10 kHz) */
    double q;                 /**< quality factor > 0 (default 20) */
    double gain;              /**< |H(f0)| > 0 (default 1) */
    double noise_rms;         /**< V per receiver sample >= 0 (default 1e-3) */
    uint64_t seed;            /**< default 1 */
} qaio_na_settings;

/** Fills s with the defaults given beside each field. */
void qaio_na_settings_default(qaio_na_settings *s);

/** @{ */
/** A simulated network analyzer; free with qaio_instrument_free. NULL with
 * errno EINVAL / -QAIO_EWRONGTHREAD / ENOMEM. Loop thread. */
qaio_instrument *qaio_na_new(qaio_loop *loop, const qaio_na_settings *s);
int qaio_na_set_settings(qaio_instrument *inst, const qaio_na_settings *s);
int qaio_na_get_settings(const qaio_instrument *inst, qaio_na_settings *out);
/** @} */

/** The exact simulated response at f (what the receiver estimates). */
void qaio_na_model(const qaio_na_settings *s, double f, double *re, double *im);

/** Estimates the resonance from a magnitude/phase curve (the NA averager's
 * output: dB in channel 0, degrees in channel 1): f0 where the phase
 * crosses 0 and Q = f0 / (f+45 - f-45), the -/+45 degree crossings (the
 * -3 dB points), each by linear interpolation between sweep points.
 * 0, QAIO_EINVAL (NULL, fewer than 2 channels), QAIO_ENOENT (a crossing is
 * outside the sweep). Any thread. */
int qaio_na_fit_resonance(const qaio_trace *polar, double *f0, double *q);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
