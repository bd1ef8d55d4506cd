/* The library's own version, for programs that want to know which libqaio
 * they run on rather than which headers they were compiled with. */
#include "qaio/version.h"

unsigned qaio_version(void) { return QAIO_VERSION; }

const char *qaio_version_string(void) { return QAIO_VERSION_STRING; }
