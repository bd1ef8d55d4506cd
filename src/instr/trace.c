/* Traces: one float buffer for every channel, kept when reshaped smaller. */
#include "qaio/instr/trace.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void point_channels(qaio_trace *t)
{
    for (size_t c = 0; c < QAIO_TRACE_MAX_CHANNELS; c++)
        t->y[c] = c < t->nch ? t->buf_ + c * t->n : NULL;
}

qaio_trace *qaio_trace_new(size_t n, size_t nch)
{
    if (nch > QAIO_TRACE_MAX_CHANNELS) {
        errno = EINVAL;
        return NULL;
    }
    qaio_trace *t = calloc(1, sizeof *t);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    t->dx = 1;
    int err = qaio_trace_reshape(t, n, nch);
    if (err) {
        free(t);
        errno = -err;
        return NULL;
    }
    return t;
}

void qaio_trace_free(qaio_trace *t)
{
    if (!t)
        return;
    free(t->buf_);
    free(t->x);
    free(t);
}

void qaio_trace_dtor(void *t) { qaio_trace_free(t); }

int qaio_trace_reshape(qaio_trace *t, size_t n, size_t nch)
{
    if (!t || nch > QAIO_TRACE_MAX_CHANNELS)
        return QAIO_EINVAL;
    if (n > SIZE_MAX / sizeof(float) / QAIO_TRACE_MAX_CHANNELS)
        return QAIO_EINVAL;
    /* At least one float, so the channels of a trace with no points still
     * point into a buffer (arithmetic on NULL is undefined, even + 0). */
    size_t need = n * nch;
    if (need == 0)
        need = 1;
    if (need > t->cap_) {
        float *b = calloc(need, sizeof *b);
        if (!b)
            return QAIO_ENOMEM;
        free(t->buf_);
        t->buf_ = b;
        t->cap_ = need;
    }
    if (t->x && n > t->xcap_) {
        /* An explicit axis must cover every point: grow it, new x unknown. */
        double *x = calloc(n, sizeof *x);
        if (!x)
            return QAIO_ENOMEM;
        memcpy(x, t->x, t->xcap_ * sizeof *x);
        free(t->x);
        t->x = x;
        t->xcap_ = n;
    }
    t->n = n;
    t->nch = nch;
    point_channels(t);
    return 0;
}

int qaio_trace_set_x(qaio_trace *t, const double *x)
{
    if (!t)
        return QAIO_EINVAL;
    if (!x) {
        free(t->x);
        t->x = NULL;
        t->xcap_ = 0;
        return 0;
    }
    if (!t->x || t->xcap_ < t->n) {
        double *nx = malloc((t->n ? t->n : 1) * sizeof *nx);
        if (!nx)
            return QAIO_ENOMEM;
        free(t->x);
        t->x = nx;
        t->xcap_ = t->n;
    }
    if (x != t->x)
        memmove(t->x, x, t->n * sizeof *x);
    return 0;
}

double qaio_trace_x(const qaio_trace *t, size_t i)
{
    if (!t || i >= t->n)
        return 0;
    return t->x ? t->x[i] : t->x0 + (double)i * t->dx;
}

int qaio_trace_copy_into(qaio_trace *dst, const qaio_trace *src)
{
    if (!dst || !src)
        return QAIO_EINVAL;
    if (dst == src)
        return 0;
    int err = qaio_trace_reshape(dst, src->n, src->nch);
    if (err)
        return err;
    err = qaio_trace_set_x(dst, src->x);
    if (err)
        return err;
    for (size_t c = 0; c < src->nch; c++)
        memcpy(dst->y[c], src->y[c], src->n * sizeof(float));
    memcpy(dst->channel, src->channel, sizeof dst->channel);
    dst->x0 = src->x0;
    dst->dx = src->dx;
    dst->domain = src->domain;
    memcpy(dst->x_unit, src->x_unit, sizeof dst->x_unit);
    memcpy(dst->y_unit, src->y_unit, sizeof dst->y_unit);
    dst->enbw_hz = src->enbw_hz;
    dst->averages = src->averages;
    return 0;
}

qaio_trace *qaio_trace_copy(const qaio_trace *src)
{
    if (!src) {
        errno = EINVAL;
        return NULL;
    }
    qaio_trace *t = qaio_trace_new(src->n, src->nch);
    if (!t)
        return NULL;
    int err = qaio_trace_copy_into(t, src);
    if (err) {
        qaio_trace_free(t);
        errno = -err;
        return NULL;
    }
    return t;
}

const char *qaio_trace_domain_name(qaio_trace_domain d)
{
    static const char *const names[QAIO_DOMAIN_COUNT] = {"unknown", "time", "frequency"};
    return (unsigned)d < QAIO_DOMAIN_COUNT ? names[d] : NULL;
}
