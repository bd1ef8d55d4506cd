/* The spectrum averager: window, r2c FFT, per-bin running mean of |X|^2
 * (or of its dB value, or its max / min), and the unit conversion on read.
 * See spectrum.h for the scaling. */
#include "qaio/instr/spectrum.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qaio/instr/fft.h"

/* spec_add gets an AVX2 clone chosen at load time by an ifunc resolver.
 * Resolvers run during relocation, before a sanitizer's runtime is set up,
 * and an instrumented one crashes there (seen under TSan): sanitized builds
 * keep the default version only. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define QAIO__NO_IFUNC 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define QAIO__NO_IFUNC 1
#endif
#ifdef QAIO__NO_IFUNC
#define AVX2_CLONE
#else
#define AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#endif

/* |X|^2 below this is taken as this before a logarithm (-300 dB). */
#define TINY 1e-30f

typedef struct spec_av {
    qaio_averager base;
    qaio_spectrum_settings set;
    size_t n, nbins, nch;
    double fs, s1, s2;
    float *w;      /* the window */
    float *acc;    /* nch * nbins: mean |X|^2, mean dB, max or min */
    qaio_fft *fft;
    int channel[QAIO_TRACE_MAX_CHANNELS];
} spec_av;

static const qaio_averager_ops spec_ops;

void qaio_spectrum_settings_default(qaio_spectrum_settings *s)
{
    if (!s)
        return;
    s->window = QAIO_WINDOW_HANN;
    s->mode = QAIO_AVG_POWER;
    s->unit = QAIO_UNIT_DBV;
    s->load_ohm = 50;
}

int qaio_spectrum_settings_check(const qaio_spectrum_settings *s)
{
    bool ok = s && (unsigned)s->window < QAIO_WINDOW_COUNT && (unsigned)s->mode < QAIO_AVG_MODE_COUNT &&
              (unsigned)s->unit < QAIO_UNIT_COUNT && s->load_ohm > 0 && isfinite(s->load_ohm);
    return ok ? 0 : QAIO_EINVAL;
}

/* Makes the window, plan and accumulators for n points x nch channels. */
static int configure(spec_av *s, size_t n, size_t nch, double fs)
{
    qaio_fft *fft = NULL;
    float *w = NULL, *acc = NULL;
    size_t nbins = n / 2 + 1;
    int err = qaio_fft_new(n, &fft);
    if (err)
        return err;
    w = malloc(n * sizeof *w);
    acc = malloc(nch * nbins * sizeof *acc);
    if (!w || !acc) {
        qaio_fft_free(fft);
        free(w);
        free(acc);
        return QAIO_ENOMEM;
    }
    qaio_window_fill(s->set.window, n, w);
    double s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        s1 += w[i];
        s2 += (double)w[i] * w[i];
    }
    qaio_fft_free(s->fft);
    free(s->w);
    free(s->acc);
    s->fft = fft;
    s->w = w;
    s->acc = acc;
    s->n = n;
    s->nbins = nbins;
    s->nch = nch;
    s->fs = fs;
    s->s1 = s1;
    s->s2 = s2;
    return 0;
}

AVX2_CLONE
static int spec_add(qaio_averager *base, const qaio_trace *rec, double weight)
{
    spec_av *s = (spec_av *)base;
    if (rec->n < 4 || rec->n % 2 || !(rec->dx > 0) || rec->x)
        return QAIO_EINVAL;
    double fs = 1.0 / rec->dx;
    int changed = 0;
    if (!s->fft || rec->n != s->n || rec->nch != s->nch || fs != s->fs) {
        int err = configure(s, rec->n, rec->nch, fs);
        if (err)
            return err;
        changed = base->count > 0;
        base->count = 0;
    }
    memcpy(s->channel, rec->channel, sizeof s->channel);
    const size_t n = s->n, nb = s->nbins;
    const bool first = base->count == 0;
    /* Weight 1 replaces the mean exactly (acc + 1 * (p - acc) may round);
     * the holds restart only after a reset. */
    const bool replace = first || weight >= 1;
    const float wt = (float)weight;
    float *restrict in = qaio_fft_input(s->fft);
    const qaio_cpx *restrict X = qaio_fft_output(s->fft);
    const float *restrict w = s->w;
    for (size_t c = 0; c < s->nch; c++) {
        const float *restrict y = rec->y[c];
        float *restrict acc = s->acc + c * nb;
        for (size_t i = 0; i < n; i++)
            in[i] = y[i] * w[i];
        qaio_fft_execute(s->fft);
        switch (s->set.mode) {
        case QAIO_AVG_POWER:
            if (replace) {
                for (size_t k = 0; k < nb; k++)
                    acc[k] = X[k].re * X[k].re + X[k].im * X[k].im;
            } else {
                for (size_t k = 0; k < nb; k++) {
                    float p = X[k].re * X[k].re + X[k].im * X[k].im;
                    acc[k] += wt * (p - acc[k]);
                }
            }
            break;
        case QAIO_AVG_LOG:
            for (size_t k = 0; k < nb; k++) {
                float p = X[k].re * X[k].re + X[k].im * X[k].im;
                float db = 10.0f * log10f(p > TINY ? p : TINY);
                acc[k] = replace ? db : acc[k] + wt * (db - acc[k]);
            }
            break;
        case QAIO_AVG_PEAK:
            for (size_t k = 0; k < nb; k++) {
                float p = X[k].re * X[k].re + X[k].im * X[k].im;
                acc[k] = first || p > acc[k] ? p : acc[k];
            }
            break;
        case QAIO_AVG_MIN:
            for (size_t k = 0; k < nb; k++) {
                float p = X[k].re * X[k].re + X[k].im * X[k].im;
                acc[k] = first || p < acc[k] ? p : acc[k];
            }
            break;
        default:
            return QAIO_EINVAL;
        }
    }
    return changed;
}

/* Every unit is one of three shapes over one of two quantities: the power
 * spectrum PS = d |X|^2 / S1^2 or the density PSD = d |X|^2 / (fs S2),
 * times a factor (2 for a sine's peak, 1/(R * 1 mW) for dBm), then taken
 * as it is, its square root or 10 log10. One row per unit: the exact
 * per-bin conversion and the fast per-row one both read it. */
typedef enum unit_shape { LIN, ROOT, DB } unit_shape;
typedef struct unit_row {
    const char *name;
    bool density;     /* PSD rather than PS */
    unit_shape shape;
    bool peak;        /* x2 inside the root, except at DC and Nyquist (no pair of bins) */
    bool per_mw;      /* divided by load_ohm * 1 mW */
} unit_row;

static const unit_row units[QAIO_UNIT_COUNT] = {
    [QAIO_UNIT_VRMS] = {"Vrms", false, ROOT, false, false},
    [QAIO_UNIT_VPK] = {"Vpk", false, ROOT, true, false},
    [QAIO_UNIT_DBV] = {"dBV", false, DB, false, false},
    [QAIO_UNIT_DBM] = {"dBm", false, DB, false, true},
    [QAIO_UNIT_V_RTHZ] = {"V/sqrt(Hz)", true, ROOT, false, false},
    [QAIO_UNIT_DBM_HZ] = {"dBm/Hz", true, DB, false, true},
    [QAIO_UNIT_VRMS2] = {"V^2", false, LIN, false, false},
    [QAIO_UNIT_V2_HZ] = {"V^2/Hz", true, LIN, false, false},
};

/* The factor that turns |X|^2 into the unit's quantity (before its shape)
 * at a bin of weight d (2 inside, 1 at DC and Nyquist). */
static double unit_factor(const unit_row *u, double d, double fs, double s1, double s2, double load_ohm)
{
    double m = u->density ? d / (fs * s2) : d / (s1 * s1);
    if (u->peak && d == 2)
        m *= 2;
    if (u->per_mw)
        m /= load_ohm * 1e-3;
    return m;
}

static double apply_shape(unit_shape shape, double v)
{
    switch (shape) {
    case ROOT: return sqrt(v);
    case DB: return 10.0 * log10(v > 1e-300 ? v : 1e-300);
    default: return v;
    }
}

double qaio_spectrum_convert(double x2, size_t k, size_t n, double fs, double s1, double s2,
                             qaio_unit unit, double load_ohm)
{
    if ((unsigned)unit >= QAIO_UNIT_COUNT)
        return NAN;
    const unit_row *u = &units[unit];
    double d = (k == 0 || 2 * k == n) ? 1.0 : 2.0;
    return apply_shape(u->shape, x2 * unit_factor(u, d, fs, s1, s2, load_ohm));
}

/* One channel's curve in the chosen unit. Bins 1 .. N/2-1 share one
 * factor, so they go through a tight single-precision loop (log10f is
 * exact to ~1e-6 dB, far below a float curve's resolution); DC, Nyquist
 * and powers too small for float take qaio_spectrum_convert. Log
 * averaging keeps dB of |X|^2: dB units only add the factor's dB. */
static void convert_row(const spec_av *s, const float *acc, float *y)
{
    const size_t nb = s->nbins, n = s->n;
    const unit_row *u = &units[s->set.unit];
    const unit_shape kind = u->shape;
    const double m = unit_factor(u, 2, s->fs, s->s1, s->s2, s->set.load_ohm);
    const bool logavg = s->set.mode == QAIO_AVG_LOG;
    const float mf = (float)m, mdb = (float)(10.0 * log10(m));
    for (size_t k = 1; k + 1 < nb; k++) {
        float a = acc[k];
        if (logavg && kind == DB) {
            y[k] = a + mdb;
            continue;
        }
        float v = (logavg ? powf(10.0f, a / 10.0f) : a) * mf;
        if (v < 1e-30f) /* near float's floor: the exact path */
            y[k] = (float)qaio_spectrum_convert(logavg ? pow(10.0, a / 10.0) : a, k, n, s->fs, s->s1, s->s2,
                                                s->set.unit, s->set.load_ohm);
        else
            y[k] = kind == DB ? 10.0f * log10f(v) : kind == ROOT ? sqrtf(v) : v;
    }
    size_t ends[2] = {0, nb - 1};
    for (int e = 0; e < 2; e++) {
        size_t k = ends[e];
        double x2 = logavg ? pow(10.0, acc[k] / 10.0) : acc[k];
        y[k] = (float)qaio_spectrum_convert(x2, k, n, s->fs, s->s1, s->s2, s->set.unit, s->set.load_ohm);
    }
}

static int spec_read(qaio_averager *base, qaio_trace *out)
{
    spec_av *s = (spec_av *)base;
    int err = qaio_trace_reshape(out, s->nbins, s->nch);
    if (!err)
        err = qaio_trace_set_x(out, NULL);
    if (err)
        return err;
    out->x0 = 0;
    out->dx = s->fs / (double)s->n;
    out->domain = QAIO_DOMAIN_FREQUENCY;
    strcpy(out->x_unit, "Hz");
    snprintf(out->y_unit, sizeof out->y_unit, "%s", qaio_unit_name(s->set.unit));
    out->enbw_hz = s->fs * s->s2 / (s->s1 * s->s1);
    memcpy(out->channel, s->channel, sizeof out->channel);
    for (size_t c = 0; c < s->nch; c++)
        convert_row(s, s->acc + c * s->nbins, out->y[c]);
    return 0;
}

static void spec_reset(qaio_averager *base) { (void)base; }

static void spec_destroy(qaio_averager *base)
{
    spec_av *s = (spec_av *)base;
    qaio_fft_free(s->fft);
    free(s->w);
    free(s->acc);
    free(s);
}

static const qaio_averager_ops spec_ops = {spec_add, spec_read, spec_reset, spec_destroy};

qaio_averager *qaio_spectrum_averager_new(const qaio_spectrum_settings *set)
{
    if (qaio_spectrum_settings_check(set)) {
        errno = EINVAL;
        return NULL;
    }
    spec_av *s = calloc(1, sizeof *s);
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    s->base.ops = &spec_ops;
    s->set = *set;
    return &s->base;
}

int qaio_spectrum_set_unit(qaio_averager *av, qaio_unit unit)
{
    if (!av || av->ops != &spec_ops || (unsigned)unit >= QAIO_UNIT_COUNT)
        return QAIO_EINVAL;
    ((spec_av *)av)->set.unit = unit;
    return 0;
}

int qaio_spectrum_info(const qaio_averager *av, double *s1, double *s2, double *enbw_bins,
                       double *enbw_hz)
{
    if (!av || av->ops != &spec_ops)
        return QAIO_EINVAL;
    const spec_av *s = (const spec_av *)av;
    if (!s->fft)
        return QAIO_EAGAIN;
    if (s1)
        *s1 = s->s1;
    if (s2)
        *s2 = s->s2;
    if (enbw_bins)
        *enbw_bins = (double)s->n * s->s2 / (s->s1 * s->s1);
    if (enbw_hz)
        *enbw_hz = s->fs * s->s2 / (s->s1 * s->s1);
    return 0;
}

/* --- names ------------------------------------------------------------- */

static const char *const mode_names[QAIO_AVG_MODE_COUNT] = {"power", "log", "peak", "min"};

const char *qaio_unit_name(qaio_unit u) { return (unsigned)u < QAIO_UNIT_COUNT ? units[u].name : NULL; }

int qaio_unit_parse(const char *name, qaio_unit *out)
{
    if (!name || !out)
        return QAIO_EINVAL;
    for (int u = 0; u < QAIO_UNIT_COUNT; u++)
        if (strcasecmp(name, units[u].name) == 0) {
            *out = (qaio_unit)u;
            return 0;
        }
    if (strcasecmp(name, "vrthz") == 0 || strcasecmp(name, "v/rthz") == 0) {
        *out = QAIO_UNIT_V_RTHZ;
        return 0;
    }
    return QAIO_EINVAL;
}

const char *qaio_avg_mode_name(qaio_avg_mode m)
{
    return (unsigned)m < QAIO_AVG_MODE_COUNT ? mode_names[m] : NULL;
}

int qaio_avg_mode_parse(const char *name, qaio_avg_mode *out)
{
    if (!name || !out)
        return QAIO_EINVAL;
    for (int m = 0; m < QAIO_AVG_MODE_COUNT; m++)
        if (strcasecmp(name, mode_names[m]) == 0) {
            *out = (qaio_avg_mode)m;
            return 0;
        }
    return QAIO_EINVAL;
}
