/** qaio/instr/fft.h - the real-to-complex FFT behind a two-function
 * interface (make a plan, execute it), so the backend is a build choice:
 *
 *   FFTW3 (default, -DQAIO_FFT=fftw): single-precision r2c plans. A size
 *   not yet measured gets an FFTW_ESTIMATE plan at once while a worker
 *   thread measures it (FFTW_MEASURE takes 0.25-0.8 s, which would freeze an
 *   event loop); plans of that size then run the measured plan (the first
 *   plan of a second new size asked for during a measurement waits for it:
 *   FFTW has one planner per process). Measured
 *   plans are kept as wisdom in QAIO_FFTW_WISDOM, by default
 *   $XDG_CACHE_HOME/qaio/fftwf-wisdom ("" keeps none), so a later process
 *   gets them at once. QAIO_FFTW_PLANNER=estimate|measure|patient plans
 *   synchronously with that flag instead. The planner runs under one
 *   process-wide mutex, because FFTW's planner is not thread-safe. FFTW is
 *   GPL: a program linking this build is bound by the GPL.
 *
 *   KissFFT (-DQAIO_FFT=kissfft, Debian libkissfft-dev, BSD-3-Clause):
 *   kiss_fftr, float.
 *
 * A plan owns aligned input (n floats) and output (n/2+1 complex) buffers:
 * write the input, execute, read the output. The transform is unnormalised:
 * X[k] = sum_i x[i] exp(-2 pi j k i / n), k = 0..n/2. Executing never
 * allocates. n must be even and >= 2 (KissFFT's real transform needs it).
 *
 * Threads: plans may be made and freed on any thread; one plan is executed
 * by one thread at a time (different plans run in parallel).
 * @file
 * @ingroup fft
 */
/** @defgroup fft The FFT
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_FFT_H
#define QAIO_INSTR_FFT_H

#include <stddef.h>
#include "qaio/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Layout-compatible with fftwf_complex and kiss_fft_cpx. */
typedef struct qaio_cpx {
    float re; /**< real part */
    float im; /**< imaginary part */
} qaio_cpx;

/** An FFT plan with its input and output buffers (opaque). */
typedef struct qaio_fft qaio_fft;

/** Makes a plan for n points; the caller owns it (qaio_fft_free).
 * 0, QAIO_EINVAL (out NULL, n odd or < 2), QAIO_ENOMEM. */
int qaio_fft_new(size_t n, qaio_fft **out);

/** Transforms the plan's input buffer into its output buffer; the input is
 * left as it was. NULL is ignored. */
void qaio_fft_execute(qaio_fft *fft);

/** Frees the plan and its buffers. NULL is ignored. */
void qaio_fft_free(qaio_fft *fft);

/** @{ */
/** The plan's buffers (owned by the plan, valid until qaio_fft_free) and
 * size. NULL / 0 for NULL. */
float *qaio_fft_input(qaio_fft *fft);
const qaio_cpx *qaio_fft_output(const qaio_fft *fft);
size_t qaio_fft_size(const qaio_fft *fft);
/** @} */

/** "fftw" or "kissfft". */
const char *qaio_fft_backend(void);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
