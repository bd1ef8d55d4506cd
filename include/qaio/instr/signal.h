/** qaio/instr/signal.h - the simulated input signal, described by a string.
 *
 * Grammar: terms separated by ';', each a
 * kind followed by key=value pairs, values in SI units (a C-locale number:
 * "10e3", "-0.5"); or the lone term seed=N (an unsigned integer) for the
 * noise generator:
 *
 *   sine   amp=1 freq=10e3 phase=0 h2=-40 h3=-50   amp: peak volts (default 1),
 *          freq: Hz (required, > 0), phase: radians (default 0), hK (K = 2..9):
 *          a K-th harmonic at that level in dBc, same phase origin (K * phase)
 *   square amp=0.5 freq=1e3 phase=0              +-amp, 50 % duty
 *   noise  rms=1e-3                              white Gaussian, rms volts
 *   dc     level=0.1                             volts
 *   seed=1                                       default seed: 1
 *
 * Whitespace is free; empty terms (";;") are ignored; at least one signal
 * term is required. Every term and key may appear more than once (sines
 * add up); the last seed wins.
 *
 * Determinism: the value at sample index j of a stream is a pure function
 * of (description, seed, stream number, j, fs): the noise comes from a
 * counter-based generator (a 64-bit mix of seed, stream and j fed to
 * Box-Muller), so any range of samples can be generated in any order and a
 * test can recompute exactly what an instrument saw. Different stream
 * numbers (the scope uses its channel number) give independent noise.
 * @file
 * @ingroup signal
 */
/** @defgroup signal The simulated input signal
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_SIGNAL_H
#define QAIO_INSTR_SIGNAL_H

#include <stddef.h>
#include <stdint.h>
#include "qaio/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The default input of the simulated scope: a 1 Vpk 10 kHz sine with 2nd
 * and 3rd harmonics at -40 / -50 dBc and 1 mV rms noise. */
#define QAIO_SIGNAL_DEFAULT "sine amp=1 freq=10e3 h2=-40 h3=-50; noise rms=1e-3; seed=1"

/** A parsed signal description: sum of terms, each channel a stream (opaque). */
typedef struct qaio_signal qaio_signal;

/** Parses text into a new signal the caller owns (qaio_signal_free). On a
 * syntax or range error returns QAIO_EINVAL, sets *out to NULL and writes a
 * one-line reason naming the term ("term 2 'sine': unknown key 'ampl'") to
 * msg (msgcap bytes, always NUL-terminated; msg may be NULL). QAIO_ENOMEM.
 * text is borrowed for the call. Any thread. */
int qaio_signal_parse(const char *text, qaio_signal **out, char *msg, size_t msgcap);

/** Frees sig. NULL is ignored. */
void qaio_signal_free(qaio_signal *sig);

/** A new copy of sig (the caller owns it), or NULL with errno. */
qaio_signal *qaio_signal_copy(const qaio_signal *sig);

/** Writes n samples of stream `stream` starting at sample index `first`,
 * sampled at fs Hz, to out (caller's buffer of n floats). Returns 0 or
 * QAIO_EINVAL (NULL, fs not > 0, first + n past 2^64). sig is only read:
 * any thread. */
int qaio_signal_generate(const qaio_signal *sig, uint64_t stream, uint64_t first, double fs,
                         float *out, size_t n);

/** The canonical description of sig ("sine amp=1 freq=10000 ...; seed=1"):
 * parsing it gives the same samples. Written to buf (cap bytes, always
 * NUL-terminated). Returns the length it needed (as snprintf), or
 * QAIO_EINVAL. */
int qaio_signal_format(const qaio_signal *sig, char *buf, size_t cap);

/** @{ */
/** The seed, and the total rms of the noise terms (V). 0 for NULL. */
uint64_t qaio_signal_seed(const qaio_signal *sig);
double qaio_signal_noise_rms(const qaio_signal *sig);
/** @} */

/** Replaces the seed (0 is a valid seed). QAIO_EINVAL for NULL. */
int qaio_signal_set_seed(qaio_signal *sig, uint64_t seed);

/** One standard-normal value of the counter-based generator for (seed,
 * stream, index): what a noise term of rms 1 contributes at that sample.
 * Exposed so tests and other simulations share the generator. Any thread. */
double qaio_gauss(uint64_t seed, uint64_t stream, uint64_t index);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
