/** qaio/instr/scope.h - the simulated two-channel oscilloscope.
 *
 * Each channel's input is a signal description (signal.h), sampled at the
 * scope's rate on one endless, deterministic stream: the scope keeps a
 * stream position (a sample index) that only moves forward, so consecutive
 * records see consecutive (and, for the noise, independent) samples.
 *
 * Acquiring a record (qaio_instrument_acquire) takes as long as a real
 * scope: the time the trigger search covered, plus the record time N/fs,
 * plus the configured latency, all spent in qaio_sleep.
 *
 * Trigger: a record starts at the first sample i of the source channel
 * with x[i-1] < level <= x[i] (rising), x[i-1] > level >= x[i] (falling)
 * or either; x = 0 is the trigger sample, which is the record's first
 * (x0 = 0) unless pretrigger keeps samples from before it (x0 < 0). With
 * hysteresis, as a scope's
 * noise rejection: a rising edge counts only after the signal has been
 * below level - h since the search started or the last rising edge
 * (falling: above level + h), h = 4 x the source's noise RMS (0 for a
 * noiseless signal: then the exact crossing counts). Modes:
 *   auto:   search for up to auto_timeout_s of signal; if no edge, free-run
 *           (the record starts where the search ended);
 *   normal: search until an edge is found, qaio_scope_force() is called,
 *           or the acquisition's timeout passes (QAIO_ETIMEDOUT);
 *   single: as normal, once: the scope is then disarmed and further
 *           acquisitions fail with QAIO_EAGAIN until qaio_scope_arm();
 *   force:  no search, every record starts at once (free run).
 * The search runs in chunks of N samples, each costing N/fs of waiting.
 *
 * Records: volts (float) of the enabled channels in channel order (ch1
 * first), x in seconds, dx = 1/fs, y_unit "V", trace->channel[] = 1 or 2.
 * The scope's averager is the time-domain mean (qaio_mean_averager_new):
 * run_single(scope, K) averages K triggered records, which lowers
 * uncorrelated noise by 1/sqrt(K).
 * @file
 * @ingroup scope
 */
/** @defgroup scope The simulated oscilloscope
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_SCOPE_H
#define QAIO_INSTR_SCOPE_H

#include <stdint.h>
#include "qaio/instr/instrument.h"
#include "qaio/instr/signal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** When a record is taken (see the top of this file). */
typedef enum qaio_trigger_mode {
    QAIO_TRIG_AUTO, /**< on an edge, or free-run after auto_timeout_s without one */
    QAIO_TRIG_NORMAL, /**< on an edge only */
    QAIO_TRIG_SINGLE, /**< one edge, then disarmed until qaio_scope_arm */
    QAIO_TRIG_FORCE, /**< no search: every record starts at once */
    QAIO_TRIG_MODE_COUNT /**< how many modes there are */
} qaio_trigger_mode;

/** Which edges trigger. */
typedef enum qaio_trigger_slope {
    QAIO_SLOPE_RISING, /**< x[i-1] < level <= x[i] */
    QAIO_SLOPE_FALLING, /**< x[i-1] > level >= x[i] */
    QAIO_SLOPE_EITHER, /**< either edge */
    QAIO_SLOPE_COUNT /**< how many slopes there are */
} qaio_trigger_slope;

/** The simulated scope's acquisition settings. */
typedef struct qaio_scope_settings {
    size_t points;              /**< N: 2 .. 1<<26 (default 1024) */
    double rate;                /**< fs in Hz, > 0 (default 1e6) */
    unsigned channels;          /**< enable mask: 1 ch1, 2 ch2, 3 both (default 1) */
    qaio_trigger_mode trigger;  /**< default auto */
    qaio_trigger_slope slope;   /**< default rising */
    unsigned trigger_source;    /**< 1 or 2 (default 1) */
    double trigger_level;       /**< volts (default 0) */
    double auto_timeout_s;      /**< auto mode's search span (default 0.01) */
    double latency_s;           /**< added to every acquisition (default 0) */
    /** Part of the record before the trigger sample, 0..1 (default 0): the
     * record starts round(pretrigger * (N - 1)) samples before it,
     * x0 = -that / fs. The SCPI drivers keep the instrument's own trigger
     * point and ignore it. */
    double pretrigger;
} qaio_scope_settings;

/** Fills s with the defaults above. NULL is ignored. */
void qaio_scope_settings_default(qaio_scope_settings *s);

/** A simulated scope on loop with settings s (copied; NULL: defaults). Both
 * channels start with QAIO_SIGNAL_DEFAULT (channel 2's noise is independent
 * of channel 1's: the channel number is the noise stream). Free it with
 * qaio_instrument_free. NULL with errno EINVAL (bad settings), -QAIO_EWRONGTHREAD or
 * ENOMEM. Loop thread. */
qaio_instrument *qaio_scope_new(qaio_loop *loop, const qaio_scope_settings *s);

/** @{ */
/** Replaces the settings (copied); they apply from the next acquisition.
 * QAIO_EINVAL if inst is not a scope or a setting is out of range (then
 * nothing changes). Loop thread. */
int qaio_scope_set_settings(qaio_instrument *inst, const qaio_scope_settings *s);
int qaio_scope_get_settings(const qaio_instrument *inst, qaio_scope_settings *out);
/** @} */

/** Sets channel's (1 or 2) input from a description (signal.h). On a parse
 * error returns QAIO_EINVAL with the reason in msg (msgcap bytes; may be
 * NULL) and keeps the old signal. Loop thread. */
int qaio_scope_set_signal(qaio_instrument *inst, unsigned channel, const char *desc, char *msg,
                          size_t msgcap);

/** The channel's current signal (borrowed, valid until it is replaced), or
 * NULL. */
const struct qaio_signal *qaio_scope_signal(const qaio_instrument *inst, unsigned channel);

/** Re-arms a single-mode scope. 0 or QAIO_EINVAL. */
int qaio_scope_arm(qaio_instrument *inst);
/** Whether a single-mode scope is armed (waits for its edge). */
bool qaio_scope_armed(const qaio_instrument *inst);

/** Forces a trigger: an acquisition waiting for an edge (normal, single)
 * takes its record now. If none is waiting, the next one triggers at once.
 * 0 or QAIO_EINVAL. Loop thread. */
int qaio_scope_force(qaio_instrument *inst);

/** @{ */
/** The stream position (sample index) where the next search starts, and the
 * index of the last record's first sample. Let tests recompute records. */
uint64_t qaio_scope_position(const qaio_instrument *inst);
uint64_t qaio_scope_last_start(const qaio_instrument *inst);
/** @} */

/** @{ */
/** Trigger mode / slope names: "auto", "normal", "single", "force";
 * "rising", "falling", "either". parse: case-insensitive. */
const char *qaio_trigger_mode_name(qaio_trigger_mode m);
int qaio_trigger_mode_parse(const char *name, qaio_trigger_mode *out);
const char *qaio_trigger_slope_name(qaio_trigger_slope s);
int qaio_trigger_slope_parse(const char *name, qaio_trigger_slope *out);
/** @} */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
