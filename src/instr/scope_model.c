/* The knob sequences and nearest values of an oscilloscope's model, shared
 * by the drivers and the simulator personalities (see scope_model.h). */
#include "scope_model.h"

#include <math.h>

static const double m125[] = {1, 2, 5};
static const double m124[] = {1, 2, 4};
static const double m1225[] = {1, 2, 2.5, 5};

const qaio__steps qaio__steps_125 = {m125, 3};
const qaio__steps qaio__steps_124 = {m124, 3};
const qaio__steps qaio__steps_1225 = {m1225, 4};

/* How far apart a and b are, as a knob sees it. */
static double ratio_distance(double a, double b)
{
    return fabs(log(a / b));
}

/* The step of mantissa i in decade 10^e. */
static double step(const qaio__steps *s, size_t i, double e)
{
    return s->m[i] * pow(10, e);
}

double qaio__step_nearest(const qaio__steps *s, double v)
{
    /* The nearest step is in v's decade or one of its neighbours; the
     * candidates come in ascending order, so a tie keeps the lower. */
    double e = floor(log10(v)), best = 1, bestd = INFINITY;
    for (int k = -1; k <= 1; k++)
        for (size_t i = 0; i < s->n; i++) {
            double c = step(s, i, e + k);
            double dist = ratio_distance(c, v);
            if (dist < bestd)
                bestd = dist, best = c;
        }
    return best;
}

double qaio__step_nearest_in(const qaio__steps *s, double v, double lo, double hi)
{
    /* The distance in ratio only grows away from the nearest step, so the
     * nearest within [lo, hi] is the nearest, held to the range. */
    double c = qaio__step_nearest(s, v);
    return c < lo ? lo : c > hi ? hi : c;
}

double qaio__step_floor(const qaio__steps *s, double v)
{
    double e = floor(log10(v)), r = 0;
    for (int k = -1; k <= 0; k++)
        for (size_t i = 0; i < s->n; i++) {
            double c = step(s, i, e + k);
            if (c <= v * (1 + 1e-9) && c > r)
                r = c;
        }
    return r;
}

double qaio__step_ceil(const qaio__steps *s, double v)
{
    double e = floor(log10(v));
    for (int k = 0; k <= 1; k++)
        for (size_t i = 0; i < s->n; i++) {
            double c = step(s, i, e + k);
            if (c >= v * (1 - 1e-9))
                return c;
        }
    return step(s, 0, e + 2); /* not reached: 10^(e+1) >= v */
}

double qaio__nearest_125(double v)
{
    return qaio__step_nearest(&qaio__steps_125, v);
}

size_t qaio__nearest_index(const double *values, size_t n, double v)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (ratio_distance(v, values[i]) < ratio_distance(v, values[best]))
            best = i;
    return best;
}
