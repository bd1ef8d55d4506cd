/* The spectrum analyzer: another instrument's records, the spectrum
 * averager's curve. */
#include "qaio/instr/analyzer.h"

#include <errno.h>
#include <stdlib.h>

typedef struct analyzer {
    qaio_instrument base;
    qaio_instrument *source;
    qaio_spectrum_settings set;
} analyzer;

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
    return qaio_spectrum_averager_new(&((analyzer *)inst)->set);
}

static void analyzer_destroy(qaio_instrument *inst) { free(inst); }

static const qaio_instrument_ops analyzer_ops = {"spectrum", analyzer_acquire,
                                                 analyzer_averager_new, analyzer_destroy};

qaio_instrument *qaio_spectrum_analyzer_new(qaio_instrument *source, const qaio_spectrum_settings *s)
{
    qaio_spectrum_settings def;
    if (!s) {
        qaio_spectrum_settings_default(&def);
        s = &def;
    }
    /* Validate by making (and dropping) an averager with these settings. */
    qaio_averager *probe = qaio_spectrum_averager_new(s);
    if (!source || !source->ops || !probe) {
        qaio_averager_free(probe);
        errno = EINVAL;
        return NULL;
    }
    qaio_averager_free(probe);
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
    return &a->base;
}

int qaio_spectrum_analyzer_set_settings(qaio_instrument *inst, const qaio_spectrum_settings *s)
{
    analyzer *a = as_analyzer(inst);
    qaio_averager *probe = a ? qaio_spectrum_averager_new(s) : NULL;
    if (!probe)
        return QAIO_EINVAL;
    qaio_averager_free(probe);
    a->set = *s;
    return 0;
}

int qaio_spectrum_analyzer_get_settings(const qaio_instrument *inst, qaio_spectrum_settings *out)
{
    analyzer *a = as_analyzer(inst);
    if (!a || !out)
        return QAIO_EINVAL;
    *out = a->set;
    return 0;
}

qaio_instrument *qaio_spectrum_analyzer_source(const qaio_instrument *inst)
{
    analyzer *a = as_analyzer(inst);
    return a ? a->source : NULL;
}
