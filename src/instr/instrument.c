/* The instrument interface's dispatchers: argument, thread and
 * re-entrancy checks shared by every driver. */
#include "qaio/instr/instrument.h"

#include <errno.h>

#include "qaio/task.h"

static bool on_thread(const qaio_instrument *inst)
{
    return pthread_equal(pthread_self(), inst->thread);
}

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
    if (!inst || !inst->ops || !rec)
        return QAIO_EINVAL;
    if (!on_thread(inst))
        return QAIO_EWRONGTHREAD;
    /* A simulated instrument keeps its stream position across the waits of
     * an acquisition; a second one interleaved with it would garble both. */
    if (inst->acquiring)
        return QAIO_EBUSY;
    inst->acquiring = 1;
    int err = inst->ops->acquire(inst, rec, timeout_s);
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
    if (!on_thread(inst))
        return QAIO_EWRONGTHREAD;
    if (inst->runs || inst->acquiring)
        return QAIO_EBUSY;
    inst->ops->destroy(inst);
    return 0;
}
