/** qaio/instr/window.h - spectral windows.
 *
 * All windows are cosine sums w[i] = sum_k (-1)^k a_k cos(2 pi k i / N),
 * in the periodic ("DFT-even") form that Heinzel et al. (2002) recommend
 * for spectral analysis: a tone exactly on a bin centre then reads its true
 * level and the sums S1 = sum w, S2 = sum w^2 are N a_0 and
 * N (a_0^2 + sum_{k>0} a_k^2 / 2) exactly (N > 2 * terms).
 *
 *   window           a_0 .. a_K                                   ENBW (bins)
 *   rect             1                                            1
 *   hann             0.5 0.5                                      1.5
 *   hamming          0.54 0.46                                    1.3628
 *   blackman-harris  0.35875 0.48829 0.14128 0.01168 (4-term,     2.0044
 *                    -92 dB side lobes)
 *   flattop          0.21557895 0.41663158 0.277263158            3.7702
 *                    0.083578947 0.006947368 (as scipy / MATLAB
 *                    flattopwin; scalloping < 0.02 dB)
 * @file
 * @ingroup window
 */
/** @defgroup window Spectral windows
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_WINDOW_H
#define QAIO_INSTR_WINDOW_H

#include <stddef.h>
#include "qaio/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The spectral windows (their coefficients: window.c, after Heinzel et al. 2002). */
typedef enum qaio_window {
    QAIO_WINDOW_RECT, /**< rectangular: no window */
    QAIO_WINDOW_HANN, /**< Hann */
    QAIO_WINDOW_HAMMING, /**< Hamming */
    QAIO_WINDOW_BLACKMAN_HARRIS, /**< 4-term Blackman-Harris */
    QAIO_WINDOW_FLATTOP, /**< flat-top (as scipy / MATLAB flattopwin) */
    QAIO_WINDOW_COUNT /**< how many windows there are */
} qaio_window;

/** Writes the n-point periodic window to w (caller's buffer of n floats),
 * computed in double. 0 or QAIO_EINVAL (bad type, NULL, n == 0). Any thread. */
int qaio_window_fill(qaio_window type, size_t n, float *w);

/** The cosine-sum coefficients a_0..a_K of a window: *a points to static
 * storage, *count = K + 1. 0 or QAIO_EINVAL. Any thread. */
int qaio_window_coefficients(qaio_window type, const double **a, size_t *count);

/** Short lower-case name ("hann"), or NULL for a bad type. */
const char *qaio_window_name(qaio_window type);

/** Parses a name, case-insensitive: rect|rectangular|none, hann|hanning,
 * hamming, blackman-harris|bh|blackmanharris, flattop|flat-top.
 * 0 or QAIO_EINVAL. */
int qaio_window_parse(const char *name, qaio_window *out);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
