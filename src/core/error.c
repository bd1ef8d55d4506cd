/* Error names and messages, generated from the one table in qaio/error.h. */
#include "qaio/error.h"

const char *qaio_strerror(int err)
{
    switch (err) {
    case 0: return "success";
#define QAIO__ERR_MSG(name, msg) case QAIO_##name: return msg;
    QAIO_ERRNO_MAP(QAIO__ERR_MSG)
#undef QAIO__ERR_MSG
    default: return "unknown error";
    }
}

const char *qaio_err_name(int err)
{
    switch (err) {
    case 0: return "OK";
#define QAIO__ERR_NAME(name, msg) case QAIO_##name: return #name;
    QAIO_ERRNO_MAP(QAIO__ERR_NAME)
#undef QAIO__ERR_NAME
    default: return "UNKNOWN";
    }
}
