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

/* Rising edges through the mean with hysteresis h (a Schmitt trigger at
 * mean -+ h): the count, and the interpolated times (in samples) of the
 * first and the last, each where the edge last crossed the mean on its way
 * from below mean - h to above mean + h. */
static size_t rising_crossings(const float *y, size_t n, double level, double h, double *first, double *last)
{
    size_t count = 0;
    int armed = 0;
    double at = 0; /* the latest upward crossing of the mean */
    for (size_t i = 0; i < n; i++) {
        double v = y[i];
        if (i > 0 && (double)y[i - 1] < level && v >= level) {
            double prev = y[i - 1];
            at = (double)(i - 1) + (level - prev) / (v - prev);
        }
        if (v < level - h) {
            armed = 1;
        } else if (armed && v > level + h) {
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
    size_t count = rising_crossings(y, n, mean, 0.2 * out->vpp, &first, &last);
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
