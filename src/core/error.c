/* Error names and messages, generated from the two tables in qaio/error.h. */
#include "qaio/error.h"

const char *qaio_strerror(int err)
{
    switch (err) {
    case 0: return "success";
#define QAIO__ERR_MSG(name, msg) case QAIO_##name: return msg;
    QAIO_ERRNO_MAP(QAIO__ERR_MSG)
#undef QAIO__ERR_MSG
#define QAIO__OWN_MSG(name, value, msg) case value: return msg;
    QAIO_OWN_MAP(QAIO__OWN_MSG)
#undef QAIO__OWN_MSG
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
#define QAIO__OWN_NAME(name, value, msg) case value: return #name;
    QAIO_OWN_MAP(QAIO__OWN_NAME)
#undef QAIO__OWN_NAME
    default: return "UNKNOWN";
    }
}
