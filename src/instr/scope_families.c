/* The SCPI driver's families, in the order auto-detection asks them
 * (scope_driver.h). "qaio" also takes what no other family claims. */
#include "scope_driver.h"

extern const qaio__scope_family qaio__family_qaio;
extern const qaio__scope_family qaio__family_redpitaya;
extern const qaio__scope_family qaio__family_rigol_ds1000z;

const qaio__scope_family *const qaio__scope_families[] = {
    &qaio__family_qaio,
    &qaio__family_redpitaya,
    &qaio__family_rigol_ds1000z,
    NULL,
};
