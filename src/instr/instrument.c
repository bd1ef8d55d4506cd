/* The instrument interface's dispatchers: argument, thread and
 * re-entrancy checks shared by every driver. */
#include "qaio/instr/instrument.h"

#include <errno.h>
#include <math.h>

#include "instrument_internal.h"
#include "qaio/task.h"

int qaio_instrument_init(qaio_instrument *inst, const qaio_instrument_ops *ops, qaio_loop *loop)
{
    if (!inst || !ops || !ops->acquire || !ops->averager_new || !ops->destroy || !loop)
        return QAIO_EINVAL;
    if (qaio_loop_get() != loop)
        return QAIO_EWRONGTHREAD;
    inst->ops = ops;
    inst->loop = loop;
    inst->thread = pthread_self();
    inst->runs = 0;
    inst->acquiring = 0;
    return 0;
}

int qaio_instrument_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s)
{
    int err = rec ? qaio__instrument_check(inst) : QAIO_EINVAL;
    if (err)
        return err;
    if (isnan(timeout_s))
        return QAIO_EINVAL;
    /* A simulated instrument keeps its stream position across the waits of
     * an acquisition; a second one interleaved with it would garble both. */
    if (inst->acquiring)
        return QAIO_EBUSY;
    inst->acquiring = 1;
    err = inst->ops->acquire(inst, rec, timeout_s);
    inst->acquiring = 0;
    return err;
}

qaio_averager *qaio_instrument_averager_new(qaio_instrument *inst)
{
    if (!inst || !inst->ops) {
        errno = EINVAL;
        return NULL;
    }
    return inst->ops->averager_new(inst);
}

const char *qaio_instrument_kind(const qaio_instrument *inst)
{
    return inst && inst->ops ? inst->ops->kind : NULL;
}

int qaio_instrument_free(qaio_instrument *inst)
{
    if (!inst)
        return 0;
    int err = qaio__instrument_check(inst);
    if (err)
        return err;
    if (inst->runs || inst->acquiring)
        return QAIO_EBUSY;
    inst->ops->destroy(inst);
    return 0;
}
