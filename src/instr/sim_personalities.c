/* The simulator's personalities (scpi_session.h), "qaio" first. */
#include "scpi_session.h"

extern const qaio__sim_personality qaio__sim_qaio;

const qaio__sim_personality *const qaio__sim_personalities[] = {
    &qaio__sim_qaio,
    NULL,
};
