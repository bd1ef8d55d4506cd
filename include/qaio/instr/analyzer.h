/** qaio/instr/analyzer.h - the spectrum analyzer: an instrument whose
 * records come from another instrument (the simulated scope, or later the
 * SCPI driver) and whose averager is the spectrum averager (spectrum.h).
 *
 * Its run_single(N) returns the averaged spectrum of N source records; its
 * continuous mode shows the running spectrum. The source is borrowed: it
 * must outlive the analyzer, and the analyzer's runs acquire from it, so a
 * scope run and an analyzer run on the same scope at once make the second
 * acquisition fail with QAIO_EBUSY.
 * @file
 * @ingroup analyzer
 */
/** @defgroup analyzer The spectrum analyzer
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_ANALYZER_H
#define QAIO_INSTR_ANALYZER_H

#include "qaio/instr/instrument.h"
#include "qaio/instr/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A spectrum analyzer over source with settings s (copied; NULL: defaults).
 * Free with qaio_instrument_free. NULL with errno EINVAL / -QAIO_EWRONGTHREAD / ENOMEM.
 * Loop thread (the source's loop). */
qaio_instrument *qaio_spectrum_analyzer_new(qaio_instrument *source,
                                            const qaio_spectrum_settings *s);

/** @{ */
/** Replaces / reads the settings; new settings apply to averagers made
 * after the call (a continuous run picks them up at restart). QAIO_EINVAL
 * if inst is not an analyzer or a setting is bad. Loop thread. */
int qaio_spectrum_analyzer_set_settings(qaio_instrument *inst, const qaio_spectrum_settings *s);
int qaio_spectrum_analyzer_get_settings(const qaio_instrument *inst, qaio_spectrum_settings *out);
/** @} */

/** @{ */
/** With on, every later run (and restart) of the analyzer also folds each
 * source record into an average of the source's own kind (a scope's:
 * time-domain), with the same weights as the spectrum, so one acquisition
 * feeds a scope view and a spectrum view that converge together.
 * A continuous run's frames carry it (qaio_frame.source) beside the
 * spectrum. read_source_average reads that average -- the running one
 * during a run, the last run's after it -- into out (reshaped); during a
 * run it may wait for a record being folded in on an executor worker
 * (records of 2^17 samples or more), a few milliseconds. keep: 0 or QAIO_EINVAL
 * (not an analyzer). read: 0, QAIO_EAGAIN (no record yet), QAIO_EINVAL.
 * Loop thread. */
int qaio_spectrum_analyzer_keep_source_average(qaio_instrument *inst, bool on);
int qaio_spectrum_analyzer_read_source_average(const qaio_instrument *inst, qaio_trace *out);
/** @} */

/** The source (borrowed), or NULL. */
qaio_instrument *qaio_spectrum_analyzer_source(const qaio_instrument *inst);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
