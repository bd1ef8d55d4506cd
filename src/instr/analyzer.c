/* The spectrum analyzer: another instrument's records, the spectrum
 * averager's curve. */
#include "qaio/instr/analyzer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "instrument_internal.h"

typedef struct analyzer {
    qaio_instrument base;
    qaio_instrument *source;
    qaio_spectrum_settings set;
    bool keep_source; /* also average the records as the source would */
    qaio_averager *src_av; /* that average: the analyzer's, outlives runs */
    /* A run folds large records in on an executor worker (offload.c)
     * while the loop thread may read the average: src_av is touched only
     * under this lock. */
    pthread_mutex_t src_lock;
} analyzer;

/* A run's averager when keep_source is on: the spectrum averager, plus the
 * analyzer's source-kind averager fed the same records and weights. The
 * run owns this (and the spectrum averager in it); the source average
 * stays with the analyzer so the last run's curve can be read after it. */
typedef struct dual_av {
    qaio_averager base;
    qaio_averager *spec;
    analyzer *owner;
} dual_av;

static int dual_add(qaio_averager *av, const qaio_trace *rec, double weight)
{
    dual_av *d = (dual_av *)av;
    int r = qaio_averager_add(d->spec, rec, weight);
    if (r >= 0 && d->owner->src_av) {
        pthread_mutex_lock(&d->owner->src_lock);
        int r2 = qaio_averager_add(d->owner->src_av, rec, weight);
        pthread_mutex_unlock(&d->owner->src_lock);
        if (r2 < 0)
            return r2;
    }
    return r;
}

static int dual_read(qaio_averager *av, qaio_trace *out)
{
    return qaio_averager_read(((dual_av *)av)->spec, out);
}

static void dual_reset(qaio_averager *av)
{
    dual_av *d = (dual_av *)av;
    qaio_averager_reset(d->spec);
    pthread_mutex_lock(&d->owner->src_lock);
    qaio_averager_reset(d->owner->src_av);
    pthread_mutex_unlock(&d->owner->src_lock);
}

static void dual_destroy(qaio_averager *av)
{
    qaio_averager_free(((dual_av *)av)->spec);
    free(av);
}

static const qaio_averager_ops dual_ops = {dual_add, dual_read, dual_reset, dual_destroy};

static const qaio_instrument_ops analyzer_ops;

static analyzer *as_analyzer(const qaio_instrument *inst)
{
    return inst && inst->ops == &analyzer_ops ? (analyzer *)inst : NULL;
}

static int analyzer_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s)
{
    return qaio_instrument_acquire(((analyzer *)inst)->source, rec, timeout_s);
}

static qaio_averager *analyzer_averager_new(qaio_instrument *inst)
{
    analyzer *a = (analyzer *)inst;
    qaio_averager *spec = qaio_spectrum_averager_new(&a->set);
    if (!spec || !a->keep_source)
        return spec;
    /* A new run or restart: the source average starts over with it. */
    if (!a->src_av)
        a->src_av = qaio_instrument_averager_new(a->source);
    dual_av *d = calloc(1, sizeof *d);
    if (!a->src_av || !d) {
        qaio_averager_free(spec);
        free(d);
        errno = ENOMEM;
        return NULL;
    }
    pthread_mutex_lock(&a->src_lock);
    qaio_averager_reset(a->src_av);
    pthread_mutex_unlock(&a->src_lock);
    d->base.ops = &dual_ops;
    d->spec = spec;
    d->owner = a;
    return &d->base;
}

static void analyzer_destroy(qaio_instrument *inst)
{
    analyzer *a = (analyzer *)inst;
    qaio_averager_free(a->src_av);
    pthread_mutex_destroy(&a->src_lock);
    free(inst);
}

static const qaio_instrument_ops analyzer_ops = {"spectrum", analyzer_acquire,
                                                 analyzer_averager_new, analyzer_destroy};

qaio_instrument *qaio_spectrum_analyzer_new(qaio_instrument *source, const qaio_spectrum_settings *s)
{
    qaio_spectrum_settings def;
    if (!s) {
        qaio_spectrum_settings_default(&def);
        s = &def;
    }
    if (!source || !source->ops || qaio_spectrum_settings_check(s)) {
        errno = EINVAL;
        return NULL;
    }
    analyzer *a = calloc(1, sizeof *a);
    if (!a) {
        errno = ENOMEM;
        return NULL;
    }
    int err = qaio_instrument_init(&a->base, &analyzer_ops, source->loop);
    if (err) {
        free(a);
        errno = -err;
        return NULL;
    }
    a->source = source;
    a->set = *s;
    pthread_mutex_init(&a->src_lock, NULL);
    return &a->base;
}

int qaio_spectrum_analyzer_set_settings(qaio_instrument *inst, const qaio_spectrum_settings *s)
{
    analyzer *a = as_analyzer(inst);
    int err = a ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    err = qaio_spectrum_settings_check(s);
    if (err)
        return err;
    a->set = *s;
    return 0;
}

int qaio_spectrum_analyzer_get_settings(const qaio_instrument *inst, qaio_spectrum_settings *out)
{
    analyzer *a = as_analyzer(inst);
    int err = a && out ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    *out = a->set;
    return 0;
}

qaio_instrument *qaio_spectrum_analyzer_source(const qaio_instrument *inst)
{
    analyzer *a = as_analyzer(inst);
    return a ? a->source : NULL;
}

int qaio_spectrum_analyzer_keep_source_average(qaio_instrument *inst, bool on)
{
    analyzer *a = as_analyzer(inst);
    int err = a ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    a->keep_source = on;
    return 0;
}

int qaio_spectrum_analyzer_read_source_average(const qaio_instrument *inst, qaio_trace *out)
{
    analyzer *a = as_analyzer(inst);
    int err = a && out ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    if (!a->src_av)
        return QAIO_EAGAIN;
    pthread_mutex_lock(&a->src_lock);
    err = qaio_averager_read(a->src_av, out);
    pthread_mutex_unlock(&a->src_lock);
    return err;
}
