/* The automatic measurements of measure.h: two passes over the samples
 * (statistics, then histogram levels and crossings), in double. */
#include "qaio/instr/measure.h"

#include <math.h>

#define LEVEL_BINS 256

void qaio_measurements_clear(qaio_measurements *out)
{
    if (!out)
        return;
    out->min = out->max = out->vpp = NAN;
    out->mean = out->rms = out->ac_rms = NAN;
    out->top = out->base = out->amplitude = NAN;
    out->frequency = out->period = NAN;
    out->crossings = 0;
}

/* The most common level among the samples in [lo, hi] (of the full range
 * [min, min + vpp]): the mean of the samples in the fullest bin. */
static double mode_level(const float *y, size_t n, double min, double vpp, double lo, double hi)
{
    unsigned counts[LEVEL_BINS] = {0};
    double sums[LEVEL_BINS] = {0};
    for (size_t i = 0; i < n; i++) {
        double v = y[i];
        if (v < lo || v > hi)
            continue;
        int b = (int)((v - min) / vpp * LEVEL_BINS);
        b = b < 0 ? 0 : b >= LEVEL_BINS ? LEVEL_BINS - 1 : b;
        counts[b]++;
        sums[b] += v;
    }
    int best = -1;
    for (int b = 0; b < LEVEL_BINS; b++)
        if (counts[b] && (best < 0 || counts[b] > counts[best]))
            best = b;
    return best < 0 ? NAN : sums[best] / counts[best];
}

/* Rising edges through level with hysteresis (a Schmitt trigger at lo and
 * hi): the count, and the interpolated times (in samples) of the first and
 * the last, each where the edge last crossed level on its way from below lo
 * to above hi. Arming takes two samples in a row
 * below mean - h: one noise sample, however deep, cannot make a second
 * edge of one period. */
static size_t rising_crossings(const float *y, size_t n, double level, double lo, double hi, double *first,
                               double *last)
{
    size_t count = 0;
    int armed = 0, below = 0;
    double at = 0; /* the latest upward crossing of the mean */
    for (size_t i = 0; i < n; i++) {
        double v = y[i];
        if (i > 0 && (double)y[i - 1] < level && v >= level) {
            double prev = y[i - 1];
            at = (double)(i - 1) + (level - prev) / (v - prev);
        }
        below = v < lo ? below + 1 : 0;
        if (below >= 2) {
            armed = 1;
        } else if (armed && v > hi) {
            if (count == 0)
                *first = at;
            *last = at;
            count++;
            armed = 0;
        }
    }
    return count;
}

int qaio_measure(const float *y, size_t n, double dx, qaio_measurements *out)
{
    qaio_measurements_clear(out);
    if (!y || !out || n == 0 || !isfinite(dx) || dx <= 0)
        return QAIO_EINVAL;
    double min = y[0], max = y[0], sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        double v = y[i];
        if (!isfinite(v))
            return QAIO_EINVAL;
        min = v < min ? v : min;
        max = v > max ? v : max;
        sum += v;
        sum2 += v * v;
    }
    double mean = sum / (double)n;
    double ms = sum2 / (double)n;
    out->min = min;
    out->max = max;
    out->vpp = max - min;
    out->mean = mean;
    out->rms = sqrt(ms);
    /* Rounding can leave ms a hair under mean^2 for a constant signal. */
    out->ac_rms = sqrt(fmax(0, ms - mean * mean));
    if (out->vpp == 0) {
        out->top = out->base = mean;
        out->amplitude = 0;
        return 0;
    }
    double mid = min + out->vpp / 2;
    out->top = mode_level(y, n, min, out->vpp, mid, max);
    out->base = mode_level(y, n, min, out->vpp, min, mid);
    out->amplitude = out->top - out->base;
    double first = 0, last = 0;
    /* Thresholds 35 % of the way from the mean to each extreme: wide enough
     * that noise at the mean adds no edges, inside the swing, and right for
     * a pulse train, whose mean sits near its base. (The histogram's top
     * and base would ignore spikes, but a noisy sine's flat histogram puts
     * them anywhere.) */
    double lo = mean - 0.35 * (mean - min), hi = mean + 0.35 * (max - mean);
    size_t count = rising_crossings(y, n, mean, lo, hi, &first, &last);
    out->crossings = count;
    if (count >= 2 && last > first) {
        out->period = (last - first) * dx / (double)(count - 1);
        out->frequency = 1 / out->period;
    }
    return 0;
}

int qaio_measure_trace(const qaio_trace *t, size_t c, qaio_measurements *out)
{
    if (!t || c >= t->nch || t->x) {
        qaio_measurements_clear(out);
        return QAIO_EINVAL;
    }
    return qaio_measure(t->y[c], t->n, t->dx, out);
}
