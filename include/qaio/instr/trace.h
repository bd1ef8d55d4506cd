/** qaio/instr/trace.h - records and curves: what instruments produce.
 *
 * A trace is nch channels of n float values over one x axis: a scope record
 * (volts over seconds), a spectrum (a unit over hertz), a network-analyzer
 * sweep (dB and degrees over hertz). The x axis is uniform (x0 + i*dx)
 * unless the trace carries explicit x values (a logarithmic sweep).
 *
 * The struct's public fields may be read freely; write them only through
 * the functions below (the trailing underscore fields are private). A trace
 * keeps its capacity when reshaped smaller, so a record that is refilled
 * again and again allocates only when it grows: the acquisition engine
 * reuses one record per run, and nothing in the per-record path mallocs.
 *
 * Traces are plain memory: any thread may use a trace nobody else uses.
 * @file
 * @ingroup trace
 */
/** @defgroup trace Traces: records and curves
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_TRACE_H
#define QAIO_INSTR_TRACE_H

#include <stddef.h>
#include "qaio/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QAIO_TRACE_MAX_CHANNELS 4 /**< the most channels a trace has */

/** What a trace's x axis is, so nobody guesses it from the unit's name. */
typedef enum qaio_trace_domain {
    QAIO_DOMAIN_UNKNOWN,   /**< not said (a trace made by hand) */
    QAIO_DOMAIN_TIME,      /**< x in seconds: a record or its average */
    QAIO_DOMAIN_FREQUENCY, /**< x in hertz: a spectrum or a sweep */
    QAIO_DOMAIN_COUNT      /**< the number of domains */
} qaio_trace_domain;

/** nch channels of n values over one x axis. */
typedef struct qaio_trace {
    size_t n;                              /**< points per channel */
    size_t nch;                            /**< channels, <= QAIO_TRACE_MAX_CHANNELS */
    float *y[QAIO_TRACE_MAX_CHANNELS];     /**< y[c][i]: channel c's values (one buffer) */
    int channel[QAIO_TRACE_MAX_CHANNELS];  /**< the source channel number (1-based), 0 unknown */
    double x0;                             /**< uniform axis: x_i = x0 + i*dx */
    double dx;                             /**< the uniform axis's step */
    double *x;                             /**< explicit axis (n values) or NULL */
    qaio_trace_domain domain;              /**< time or frequency: set by who fills it */
    char x_unit[8];                        /**< "s", "Hz" */
    char y_unit[16];                       /**< "V", "dBV", "V/sqrt(Hz)", ... */
    double enbw_hz;                        /**< spectra: a bin's noise bandwidth; else 0 */
    unsigned averages;                     /**< records averaged into this curve (0: raw) */
    /* private */
    float *buf_;
    size_t cap_, xcap_;
} qaio_trace;

/** A new trace of nch channels (0..QAIO_TRACE_MAX_CHANNELS) by n points,
 * values zero, uniform axis x0 = 0, dx = 1, units empty. The caller owns it
 * (qaio_trace_free). NULL with errno EINVAL (nch too large, n*nch
 * overflowing) or ENOMEM. Any thread. */
qaio_trace *qaio_trace_new(size_t n, size_t nch);

/** Frees t and its buffers. NULL is ignored. */
void qaio_trace_free(qaio_trace *t);
/** The same, typed as a qaio_dtor (a future whose value is a trace). */
void qaio_trace_dtor(void *t);

/** Makes t nch x n, reallocating only when it grows; values are then
 * unspecified (zero when newly allocated). The x axis, units and metadata
 * are kept. 0, QAIO_EINVAL (NULL, nch too large) or QAIO_ENOMEM (t is
 * unchanged). */
int qaio_trace_reshape(qaio_trace *t, size_t n, size_t nch);

/** Gives t an explicit x axis: copies t->n values from x (borrowed for the
 * call). x == NULL returns to the uniform axis. 0, QAIO_EINVAL, QAIO_ENOMEM. */
int qaio_trace_set_x(qaio_trace *t, const double *x);

/** x value of point i (explicit or uniform). 0 for NULL or i out of range. */
double qaio_trace_x(const qaio_trace *t, size_t i);

/** Copies src (values, axis, units, metadata) into dst, reshaping it.
 * 0, QAIO_EINVAL (NULL, dst == src is allowed and does nothing), QAIO_ENOMEM. */
int qaio_trace_copy_into(qaio_trace *dst, const qaio_trace *src);

/** A new trace equal to src; the caller owns it. NULL with errno. */
qaio_trace *qaio_trace_copy(const qaio_trace *src);

/** The domain's name ("time", "frequency", "unknown"); NULL out of range.
 *  A static string. Any thread. */
const char *qaio_trace_domain_name(qaio_trace_domain d);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
