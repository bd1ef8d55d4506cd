/** qaio/instr/spectrum.h - windowed-FFT spectra of records, averaged.
 *
 * Scaling (Heinzel, Ruediger, Schilling 2002, sections 9-10), for a record
 * of N points at fs with window w, S1 = sum w, S2 = sum w^2, X = FFT(w x):
 *   power spectrum     PS[k]  = d_k |X[k]|^2 / S1^2      (Vrms^2)
 *   spectral density   PSD[k] = d_k |X[k]|^2 / (fs S2)   (V^2/Hz)
 *   ENBW = fs S2 / S1^2 (Hz), so PSD = PS / ENBW;  RBW is reported as ENBW
 * with d_k = 2 for 0 < k < N/2 and 1 for DC (k = 0) and Nyquist (k = N/2),
 * so a DC level v reads v Vrms and a sine of peak A on a bin reads
 * A/sqrt(2) Vrms. Output: N/2 + 1 bins at k fs/N Hz.
 *
 * Averaging is done on |X|^2, never on dB:
 *   power: the mean of |X|^2 (unbiased for noise and tones);
 *   log:   the mean of 10 log10 |X|^2, converted back -- a geometric mean,
 *          deliberately biased: for Gaussian noise it reads
 *          10 log10(exp(-gamma)) = -2.507 dB low (gamma: Euler's constant);
 *   peak:  the maximum per bin (peak hold); min: the minimum (min hold).
 * Peak and min hold ignore the weights (they hold since the last reset).
 * Repeat vs exponential averaging is the acquisition engine's choice
 * (acquisition.h); the averager only sees weights.
 *
 * Hot path: one window multiply into the FFT plan's input, one r2c FFT and
 * one pass over the bins per channel; buffers and the plan are made on the
 * first record and on a shape change only.
 * @file
 * @ingroup spectrum
 */
/** @defgroup spectrum Spectra
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_SPECTRUM_H
#define QAIO_INSTR_SPECTRUM_H

#include "qaio/instr/averager.h"
#include "qaio/instr/window.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How spectra are averaged (see the top of this file). */
typedef enum qaio_avg_mode {
    QAIO_AVG_POWER, /**< the mean of |X|^2 */
    QAIO_AVG_LOG, /**< the mean of 10 log10 |X|^2 */
    QAIO_AVG_PEAK, /**< the maximum per bin (peak hold) */
    QAIO_AVG_MIN, /**< the minimum per bin (min hold) */
    QAIO_AVG_MODE_COUNT /**< how many modes there are */
} qaio_avg_mode;

/** A spectrum's unit; PS is the power spectrum, PSD the power spectral density (V^2/Hz). */
typedef enum qaio_unit {
    QAIO_UNIT_VRMS,    /**< sqrt(PS) */
    QAIO_UNIT_VPK,     /**< sqrt(2 PS) for 0 < k < N/2; sqrt(PS) at DC, Nyquist */
    QAIO_UNIT_DBV,     /**< 10 log10(PS / 1 V^2) */
    QAIO_UNIT_DBM,     /**< 10 log10(PS / R / 1 mW), R = load_ohm */
    QAIO_UNIT_V_RTHZ,  /**< sqrt(PSD), V/sqrt(Hz) */
    QAIO_UNIT_DBM_HZ,  /**< 10 log10(PSD / R / 1 mW) */
    QAIO_UNIT_VRMS2,   /**< PS itself (V^2) */
    QAIO_UNIT_V2_HZ,   /**< PSD itself (V^2/Hz) */
    QAIO_UNIT_COUNT /**< how many units there are */
} qaio_unit;

/** How the spectrum analyzer turns records into spectra. */
typedef struct qaio_spectrum_settings {
    qaio_window window; /**< default Hann */
    qaio_avg_mode mode; /**< default power */
    qaio_unit unit;     /**< default dBV */
    double load_ohm;    /**< for dBm units; default 50 */
} qaio_spectrum_settings;

/** Fills s with the defaults above. NULL is ignored. */
void qaio_spectrum_settings_default(qaio_spectrum_settings *s);

/** Checks spectrum settings without making anything (no averager, no FFT
 *  plan): every enum in range and load_ohm finite and > 0.
 *  @return 0, or QAIO_EINVAL (s NULL or a setting bad). Any thread. */
int qaio_spectrum_settings_check(const qaio_spectrum_settings *s);

/** A spectrum averager: records in (volts over seconds: dx = 1/fs, an even
 * number n >= 4 of points, any channels), spectra out (nch x (n/2 + 1),
 * x in Hz, the unit's name in y_unit, ENBW in enbw_hz). Settings are
 * copied. The caller owns it (qaio_averager_free). NULL with errno EINVAL
 * (NULL settings, bad enum, load_ohm not > 0) or ENOMEM. Any thread.
 * qaio_averager_add returns QAIO_EINVAL for an odd or short record, a
 * record without a positive dx or with an explicit x axis (not uniformly
 * sampled); QAIO_ENOMEM if a new plan fails. */
qaio_averager *qaio_spectrum_averager_new(const qaio_spectrum_settings *s);

/** Changes the output unit of a spectrum averager without touching the
 * average (display-side choice). QAIO_EINVAL if av is not one. */
int qaio_spectrum_set_unit(qaio_averager *av, qaio_unit unit);

/** Window sums and bandwidths of the last record's shape (after the first
 * add): S1, S2, ENBW in bins (N S2 / S1^2) and in Hz. QAIO_EAGAIN before
 * the first record; QAIO_EINVAL if av is not a spectrum averager. Any
 * pointer but av may be NULL. */
int qaio_spectrum_info(const qaio_averager *av, double *s1, double *s2, double *enbw_bins,
                       double *enbw_hz);

/** Converts one bin's mean |X|^2 to a unit (the formulas above), for a
 * record of n points at fs with window sums s1, s2; k is the bin (DC and
 * Nyquist are not doubled). Exposed for drivers and tests. Any thread. */
double qaio_spectrum_convert(double x2, size_t k, size_t n, double fs, double s1, double s2,
                             qaio_unit unit, double load_ohm);

/** @{ */
/** Names: "Vrms", "Vpk", "dBV", "dBm", "V/sqrt(Hz)", "dBm/Hz", "V^2", "V^2/Hz";
 * parse also accepts lower case and "vrthz", "dbm/hz". */
const char *qaio_unit_name(qaio_unit unit);
int qaio_unit_parse(const char *name, qaio_unit *out);
/** @} */
/** @{ */
/** "power", "log", "peak", "min". */
const char *qaio_avg_mode_name(qaio_avg_mode mode);
int qaio_avg_mode_parse(const char *name, qaio_avg_mode *out);
/** @} */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
