/* Records with samples from before the trigger (sim_pretrig.h). */
#include "sim_pretrig.h"

#include "qaio/instr/signal.h"

int qaio__sim_pretrigger(qaio__scpi_session *s, long pre)
{
    if (!qaio__sim_held(s))
        return QAIO_EINVAL;
    qaio_instrument *scope = s->srv->scope;
    qaio_scope_settings set;
    qaio_scope_get_settings(scope, &set);
    uint64_t trig = qaio_scope_last_start(scope);
    if (pre > 0 && trig < (uint64_t)pre)
        return 0;
    uint64_t first = pre > 0 ? trig - (uint64_t)pre : trig + (uint64_t)(-pre);
    qaio_trace *rec = s->rec; /* the session's, sim_record.c's */
    for (size_t c = 0; c < rec->nch; c++) {
        unsigned ch = rec->channel[c] > 0 ? (unsigned)rec->channel[c] : (unsigned)c + 1;
        qaio_signal_generate(qaio_scope_signal(scope, ch), ch, first, set.rate, rec->y[c],
                             rec->n);
    }
    rec->x0 = -(double)pre / set.rate;
    return 1;
}

int qaio__sim_take_pretrigger(qaio__scpi_session *s, long pre)
{
    /* The second record starts a whole record later in the stream, so a
     * pre-trigger part no longer than the record always fits by then. */
    for (int tries = 0; tries < 4; tries++) {
        int err = qaio__sim_take(s);
        if (err || !qaio__sim_held(s))
            return err;
        if (qaio__sim_pretrigger(s, pre) == 1)
            return 0;
    }
    return qaio__sim_fail(s, QAIO_SCPI_ERR_HARDWARE, "no trigger after the pre-trigger buffer");
}
