/* The averager dispatchers and the mean averager (time-domain averaging of
 * records, vector averaging of complex sweeps). */
#include "qaio/instr/averager.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int qaio_averager_add(qaio_averager *av, const qaio_trace *rec, double weight)
{
    if (!av || !rec || rec->n == 0 || rec->nch == 0 || !(weight > 0 && weight <= 1))
        return QAIO_EINVAL;
    int r = av->ops->add(av, rec, weight);
    if (r == 1)
        av->count = 1;
    else if (r == 0)
        av->count++;
    return r;
}

int qaio_averager_read(qaio_averager *av, qaio_trace *out)
{
    if (!av || !out)
        return QAIO_EINVAL;
    if (av->count == 0)
        return QAIO_EAGAIN;
    int err = av->ops->read(av, out);
    if (!err)
        out->averages = av->count;
    return err;
}

int qaio_averager_reset(qaio_averager *av)
{
    if (!av)
        return QAIO_EINVAL;
    av->ops->reset(av);
    av->count = 0;
    return 0;
}

void qaio_averager_free(qaio_averager *av)
{
    if (av)
        av->ops->destroy(av);
}

/* --- mean --------------------------------------------------------------- */

typedef struct mean_av {
    qaio_averager base;
    qaio_mean_output output;
    qaio_trace *acc; /* the running mean, with the records' axis and units */
    bool shaped;
} mean_av;

static int mean_add(qaio_averager *base, const qaio_trace *rec, double weight)
{
    mean_av *m = (mean_av *)base;
    if (m->output == QAIO_MEAN_POLAR && rec->nch < 2)
        return QAIO_EINVAL;
    qaio_trace *a = m->acc;
    bool same = m->shaped && a->n == rec->n && a->nch == rec->nch && a->dx == rec->dx &&
                a->x0 == rec->x0 && !a->x == !rec->x;
    if (!same || base->count == 0 || weight >= 1) {
        int err = qaio_trace_copy_into(a, rec);
        if (err)
            return err;
        m->shaped = true;
        return same || base->count == 0 ? 0 : 1;
    }
    float w = (float)weight;
    for (size_t c = 0; c < rec->nch; c++) {
        float *restrict acc = a->y[c];
        const float *restrict y = rec->y[c];
        for (size_t i = 0; i < rec->n; i++)
            acc[i] += w * (y[i] - acc[i]);
    }
    return 0;
}

static int mean_read(qaio_averager *base, qaio_trace *out)
{
    mean_av *m = (mean_av *)base;
    int err = qaio_trace_copy_into(out, m->acc);
    if (err || m->output != QAIO_MEAN_POLAR)
        return err;
    err = qaio_trace_reshape(out, m->acc->n, 2);
    if (err)
        return err;
    for (size_t i = 0; i < out->n; i++) {
        double re = m->acc->y[0][i], im = m->acc->y[1][i];
        double mag2 = re * re + im * im;
        out->y[0][i] = (float)(10.0 * log10(mag2 > 1e-300 ? mag2 : 1e-300));
        out->y[1][i] = (float)(atan2(im, re) * (180.0 / M_PI));
    }
    out->channel[0] = 1;
    out->channel[1] = 2;
    strcpy(out->y_unit, "dB,deg");
    return 0;
}

static void mean_reset(qaio_averager *base) { (void)base; }

static void mean_destroy(qaio_averager *base)
{
    mean_av *m = (mean_av *)base;
    qaio_trace_free(m->acc);
    free(m);
}

static const qaio_averager_ops mean_ops = {mean_add, mean_read, mean_reset, mean_destroy};

qaio_averager *qaio_mean_averager_new(qaio_mean_output output)
{
    if (output != QAIO_MEAN_LINEAR && output != QAIO_MEAN_POLAR) {
        errno = EINVAL;
        return NULL;
    }
    mean_av *m = calloc(1, sizeof *m);
    if (!m || !(m->acc = qaio_trace_new(0, 0))) {
        free(m);
        errno = ENOMEM;
        return NULL;
    }
    m->base.ops = &mean_ops;
    m->output = output;
    return &m->base;
}
