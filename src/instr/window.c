/* Cosine-sum windows in the periodic form (see window.h for the table). */
#include "qaio/instr/window.h"

#include <math.h>
#include <stdbool.h>
#include <strings.h>

static const double rect[] = {1.0};
static const double hann[] = {0.5, 0.5};
static const double hamming[] = {0.54, 0.46};
static const double bh4[] = {0.35875, 0.48829, 0.14128, 0.01168};
static const double flattop[] = {0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368};

static const struct {
    const char *name;
    const double *a;
    size_t count;
} windows[QAIO_WINDOW_COUNT] = {
    [QAIO_WINDOW_RECT] = {"rect", rect, 1},
    [QAIO_WINDOW_HANN] = {"hann", hann, 2},
    [QAIO_WINDOW_HAMMING] = {"hamming", hamming, 2},
    [QAIO_WINDOW_BLACKMAN_HARRIS] = {"blackman-harris", bh4, 4},
    [QAIO_WINDOW_FLATTOP] = {"flattop", flattop, 5},
};

static bool valid(qaio_window t) { return (unsigned)t < QAIO_WINDOW_COUNT; }

int qaio_window_fill(qaio_window type, size_t n, float *w)
{
    if (!valid(type) || !w || n == 0)
        return QAIO_EINVAL;
    const double *a = windows[type].a;
    size_t count = windows[type].count;
    for (size_t i = 0; i < n; i++) {
        double z = 2.0 * M_PI * (double)i / (double)n, v = a[0];
        for (size_t k = 1; k < count; k++)
            v += (k & 1 ? -a[k] : a[k]) * cos((double)k * z);
        w[i] = (float)v;
    }
    return 0;
}

int qaio_window_coefficients(qaio_window type, const double **a, size_t *count)
{
    if (!valid(type) || !a || !count)
        return QAIO_EINVAL;
    *a = windows[type].a;
    *count = windows[type].count;
    return 0;
}

const char *qaio_window_name(qaio_window type)
{
    return valid(type) ? windows[type].name : NULL;
}

int qaio_window_parse(const char *name, qaio_window *out)
{
    static const struct {
        const char *name;
        qaio_window w;
    } names[] = {
        {"rect", QAIO_WINDOW_RECT},       {"rectangular", QAIO_WINDOW_RECT},
        {"none", QAIO_WINDOW_RECT},       {"hann", QAIO_WINDOW_HANN},
        {"hanning", QAIO_WINDOW_HANN},    {"hamming", QAIO_WINDOW_HAMMING},
        {"blackman-harris", QAIO_WINDOW_BLACKMAN_HARRIS},
        {"blackmanharris", QAIO_WINDOW_BLACKMAN_HARRIS},
        {"bh", QAIO_WINDOW_BLACKMAN_HARRIS},
        {"flattop", QAIO_WINDOW_FLATTOP}, {"flat-top", QAIO_WINDOW_FLATTOP},
    };
    if (!name || !out)
        return QAIO_EINVAL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].w;
            return 0;
        }
    return QAIO_EINVAL;
}
