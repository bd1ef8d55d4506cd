/* The simulated network analyzer: a lock-in measurement of a resonator at
 * each sweep frequency (see na.h for the model and its noise). */
#include "qaio/instr/na.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "instrument_internal.h"
#include "qaio/instr/signal.h"
#include "qaio/task.h"

/* Receiver samples per cycle of the source: 16 keeps the demodulation
 * exact (whole cycles) and cheap. */
#define SPC 16
/* The noise stream number of the receiver ("NA"). */
#define NA_STREAM 0x4e41

typedef struct na {
    qaio_instrument base;
    qaio_na_settings set;
    uint64_t noise_pos; /* receiver sample counter: fresh noise every sweep */
    double *freqs;
    size_t freqs_cap;
} na;

static const qaio_instrument_ops na_ops;

static na *as_na(const qaio_instrument *inst)
{
    return inst && inst->ops == &na_ops ? (na *)inst : NULL;
}

void qaio_na_settings_default(qaio_na_settings *s)
{
    if (!s)
        return;
    *s = (qaio_na_settings){
        .start_hz = 5e3, .stop_hz = 15e3, .points = 201, .log_sweep = false,
        .amplitude = 1, .if_bandwidth = 10e3, .latency_s = 0,
        .f0 = 10e3, .q = 20, .gain = 1, .noise_rms = 1e-3, .seed = 1,
    };
}

static bool pos_finite(double v) { return v > 0 && isfinite(v); }

static bool settings_ok(const qaio_na_settings *s)
{
    return s && pos_finite(s->start_hz) && pos_finite(s->stop_hz) && s->start_hz < s->stop_hz &&
           s->points >= 2 && s->points <= ((size_t)1 << 20) && pos_finite(s->amplitude) &&
           pos_finite(s->if_bandwidth) && s->latency_s >= 0 && isfinite(s->latency_s) &&
           pos_finite(s->f0) && pos_finite(s->q) && pos_finite(s->gain) && s->noise_rms >= 0 &&
           isfinite(s->noise_rms);
}

void qaio_na_model(const qaio_na_settings *s, double f, double *re, double *im)
{
    if (!s || !re || !im)
        return;
    /* gain / (1 + j u), u = Q (f/f0 - f0/f) */
    double u = s->q * (f / s->f0 - s->f0 / f), d = 1 + u * u;
    *re = s->gain / d;
    *im = -s->gain * u / d;
}

static double sweep_freq(const qaio_na_settings *s, size_t i)
{
    double t = (double)i / (double)(s->points - 1);
    return s->log_sweep ? s->start_hz * pow(s->stop_hz / s->start_hz, t)
                        : s->start_hz + t * (s->stop_hz - s->start_hz);
}

static int na_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s)
{
    na *a = (na *)inst;
    qaio_na_settings set = a->set;
    size_t p = set.points;
    double sweep = (double)p / set.if_bandwidth + set.latency_s;
    if (timeout_s >= 0 && sweep > timeout_s) {
        int err = qaio_sleep(timeout_s);
        return err ? err : QAIO_ETIMEDOUT;
    }
    int err = qaio_trace_reshape(rec, p, 2);
    if (err)
        return err;
    if (set.log_sweep && a->freqs_cap < p) {
        double *f = malloc(p * sizeof *f);
        if (!f)
            return QAIO_ENOMEM;
        free(a->freqs);
        a->freqs = f;
        a->freqs_cap = p;
    }
    err = qaio_sleep(sweep);
    if (err)
        return err;
    double sn[SPC], cs[SPC];
    for (int i = 0; i < SPC; i++) {
        sn[i] = sin(2 * M_PI * i / SPC);
        cs[i] = cos(2 * M_PI * i / SPC);
    }
    for (size_t i = 0; i < p; i++) {
        double f = sweep_freq(&set, i), hre, him;
        qaio_na_model(&set, f, &hre, &him);
        long cycles = lround(f / set.if_bandwidth);
        size_t m = (size_t)(cycles < 1 ? 1 : cycles > 100000 ? 100000 : cycles) * SPC;
        /* Steady-state response A |H| sin(theta + phi) = A (Re H sin theta +
         * Im H cos theta), plus receiver noise; demodulated by sin / cos. */
        double ss = 0, sc = 0;
        for (size_t j = 0; j < m; j++) {
            double y = set.amplitude * (hre * sn[j % SPC] + him * cs[j % SPC]);
            if (set.noise_rms > 0)
                y += set.noise_rms * qaio_gauss(set.seed, NA_STREAM, a->noise_pos + j);
            ss += y * sn[j % SPC];
            sc += y * cs[j % SPC];
        }
        a->noise_pos += m;
        double scale = 2.0 / (set.amplitude * (double)m);
        rec->y[0][i] = (float)(ss * scale);
        rec->y[1][i] = (float)(sc * scale);
        if (set.log_sweep)
            a->freqs[i] = f;
    }
    if (set.log_sweep) {
        err = qaio_trace_set_x(rec, a->freqs);
        if (err)
            return err;
    } else {
        qaio_trace_set_x(rec, NULL);
        rec->x0 = set.start_hz;
        rec->dx = (set.stop_hz - set.start_hz) / (double)(p - 1);
    }
    rec->channel[0] = 1;
    rec->channel[1] = 2;
    rec->domain = QAIO_DOMAIN_FREQUENCY;
    strcpy(rec->x_unit, "Hz");
    strcpy(rec->y_unit, "re,im");
    rec->enbw_hz = 0;
    rec->averages = 0;
    return 0;
}

static qaio_averager *na_averager_new(qaio_instrument *inst)
{
    (void)inst;
    return qaio_mean_averager_new(QAIO_MEAN_POLAR);
}

static void na_destroy(qaio_instrument *inst)
{
    na *a = (na *)inst;
    free(a->freqs);
    free(a);
}

static const qaio_instrument_ops na_ops = {"na", na_acquire, na_averager_new, na_destroy};

qaio_instrument *qaio_na_new(qaio_loop *loop, const qaio_na_settings *s)
{
    qaio_na_settings def;
    if (!s) {
        qaio_na_settings_default(&def);
        s = &def;
    }
    if (!loop || !settings_ok(s)) {
        errno = EINVAL;
        return NULL;
    }
    na *a = calloc(1, sizeof *a);
    if (!a) {
        errno = ENOMEM;
        return NULL;
    }
    int err = qaio_instrument_init(&a->base, &na_ops, loop);
    if (err) {
        free(a);
        errno = -err;
        return NULL;
    }
    a->set = *s;
    return &a->base;
}

int qaio_na_set_settings(qaio_instrument *inst, const qaio_na_settings *s)
{
    na *a = as_na(inst);
    int err = a ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    if (!settings_ok(s))
        return QAIO_EINVAL;
    a->set = *s;
    return 0;
}

int qaio_na_get_settings(const qaio_instrument *inst, qaio_na_settings *out)
{
    na *a = as_na(inst);
    int err = a && out ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    *out = a->set;
    return 0;
}

/* The x where y falls through level between points i and i + 1 (linear). */
static double interp(const qaio_trace *t, const float *y, size_t i, double level)
{
    double x0 = qaio_trace_x(t, i), x1 = qaio_trace_x(t, i + 1);
    return x0 + (x1 - x0) * (y[i] - level) / ((double)y[i] - y[i + 1]);
}

/* Searches from the peak outward for the phase falling through level:
 * below the peak for level >= 0, above it for level < 0. */
static int crossing(const qaio_trace *t, size_t peak, double level, double *x)
{
    const float *ph = t->y[1];
    if (level > 0) {
        for (size_t i = peak; i-- > 0;)
            if (ph[i] >= level && ph[i + 1] < level) {
                *x = interp(t, ph, i, level);
                return 0;
            }
    } else {
        size_t from = peak > 0 ? peak - 1 : 0;
        for (size_t i = from; i + 1 < t->n; i++)
            if (ph[i] >= level && ph[i + 1] < level) {
                *x = interp(t, ph, i, level);
                return 0;
            }
    }
    return QAIO_ENOENT;
}

int qaio_na_fit_resonance(const qaio_trace *polar, double *f0, double *q)
{
    if (!polar || polar->nch < 2 || polar->n < 2 || !f0 || !q)
        return QAIO_EINVAL;
    size_t peak = 0;
    for (size_t i = 1; i < polar->n; i++)
        if (polar->y[0][i] > polar->y[0][peak])
            peak = i;
    double fc, lo, hi;
    int err = crossing(polar, peak, 0.0, &fc);
    if (!err)
        err = crossing(polar, peak, 45.0, &lo);
    if (!err)
        err = crossing(polar, peak, -45.0, &hi);
    if (err)
        return err;
    *f0 = fc;
    *q = fc / (hi - lo);
    return 0;
}
