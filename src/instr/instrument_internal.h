/* What the instrument library's files share about instruments. Not
 * installed. */
#ifndef QAIO_INSTR_INSTRUMENT_INTERNAL_H
#define QAIO_INSTR_INSTRUMENT_INTERNAL_H

#include <pthread.h>
#include "qaio/instr/instrument.h"

/* The entry check of every call that uses an instrument: QAIO_EINVAL for
 * NULL, QAIO_EWRONGTHREAD off the thread it was made on (instrument.h). */
static inline int qaio__instrument_check(const qaio_instrument *inst)
{
    if (!inst || !inst->ops)
        return QAIO_EINVAL;
    return pthread_equal(pthread_self(), inst->thread) ? 0 : QAIO_EWRONGTHREAD;
}

#endif
