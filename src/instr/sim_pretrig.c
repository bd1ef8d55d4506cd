/* Records with samples from before the trigger (sim_pretrig.h). */
#include "sim_pretrig.h"

#include "qaio/instr/signal.h"

int qaio__sim_pretrigger(qaio__scpi_session *s, long pre)
{
    if (!qaio__sim_held(s))
        return QAIO_EINVAL;
    qaio_instrument *scope = s->srv->scope;
    double fs = 1.0 / qaio__sim_held(s)->dx; /* the record's, not the scope's now */
    uint64_t trig = qaio__sim_held_start(s);
    if (pre > 0 && trig < (uint64_t)pre)
        return 0;
    uint64_t first = pre > 0 ? trig - (uint64_t)pre : trig + (uint64_t)(-pre);
    qaio_trace *rec = qaio__sim_own(s); /* shared records are immutable */
    if (!rec)
        return QAIO_ENOMEM;
    for (size_t c = 0; c < rec->nch; c++) {
        unsigned ch = rec->channel[c] > 0 ? (unsigned)rec->channel[c] : (unsigned)c + 1;
        qaio_signal_generate(qaio_scope_signal(scope, ch), ch, first, fs, rec->y[c], rec->n);
    }
    rec->x0 = -(double)pre / fs;
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
        int done = qaio__sim_pretrigger(s, pre);
        if (done == 1 || done == QAIO_ENOMEM)
            return 0; /* moved, or the -225 is queued */
    }
    return qaio__sim_fail(s, QAIO_SCPI_ERR_HARDWARE, "no trigger after the pre-trigger buffer");
}
