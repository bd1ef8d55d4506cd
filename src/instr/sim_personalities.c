/* The simulator's personalities (scpi_session.h), "qaio" first. */
#include "scpi_session.h"

extern const qaio__sim_personality qaio__sim_qaio;
extern const qaio__sim_personality qaio__sim_siglent_sds1000xe;
extern const qaio__sim_personality qaio__sim_siglent_sds2000xp;
extern const qaio__sim_personality qaio__sim_rs_rtb2000;
extern const qaio__sim_personality qaio__sim_keysight;
extern const qaio__sim_personality qaio__sim_tektronix;
extern const qaio__sim_personality qaio__sim_redpitaya;
extern const qaio__sim_personality qaio__sim_rigol_ds1000z;

const qaio__sim_personality *const qaio__sim_personalities[] = {
    &qaio__sim_qaio,
    &qaio__sim_siglent_sds1000xe,
    &qaio__sim_siglent_sds2000xp,
    &qaio__sim_rs_rtb2000,
    &qaio__sim_keysight,
    &qaio__sim_tektronix,
    &qaio__sim_redpitaya,
    &qaio__sim_rigol_ds1000z,
    NULL,
};
