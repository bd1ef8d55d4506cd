/* The SCPI driver's families, in the order auto-detection asks them
 * (scope_driver.h). "qaio" also takes what no other family claims. */
#include "scope_driver.h"

extern const qaio__scope_family qaio__family_qaio;
extern const qaio__scope_family qaio__family_siglent_sds1000xe;
extern const qaio__scope_family qaio__family_siglent_sds2000xp;
extern const qaio__scope_family qaio__family_rs_rtb2000;
extern const qaio__scope_family qaio__family_keysight;
extern const qaio__scope_family qaio__family_tektronix;
extern const qaio__scope_family qaio__family_redpitaya;
extern const qaio__scope_family qaio__family_rigol_ds1000z;

const qaio__scope_family *const qaio__scope_families[] = {
    &qaio__family_qaio,
    &qaio__family_siglent_sds1000xe,
    &qaio__family_siglent_sds2000xp,
    &qaio__family_rs_rtb2000,
    &qaio__family_keysight,
    &qaio__family_tektronix,
    &qaio__family_redpitaya,
    &qaio__family_rigol_ds1000z,
    NULL,
};
