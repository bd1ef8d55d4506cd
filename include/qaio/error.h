/** qaio/error.h - error codes.
 *
 * Every qaio function that can fail returns a negative errno value (the
 * libuv convention): QAIO_EINVAL is -EINVAL, and so on. The codes come from
 * one X-macro table so that the enum, qaio_err_name() and qaio_strerror()
 * can never disagree. A few codes carry a qaio meaning on top of the errno
 * one; the aliases below name them (QAIO_ECLOSED is QAIO_ESHUTDOWN, ...).
 * @file
 * @ingroup error
 */
/** @defgroup error Error codes
 * @ingroup core
 * @{ */
#ifndef QAIO_ERROR_H
#define QAIO_ERROR_H

#include <errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/** XX(name, message). The message says what the code means *in qaio*. */
#define QAIO_ERRNO_MAP(XX)                                                      \
    XX(EINVAL,       "invalid argument")                                        \
    XX(ENOMEM,       "out of memory")                                           \
    XX(EAGAIN,       "result not ready yet (future pending)")                   \
    XX(ECANCELED,    "operation cancelled")                                     \
    XX(ETIMEDOUT,    "operation timed out")                                     \
    XX(EALREADY,     "already done (a future is single-assignment)")            \
    XX(ESHUTDOWN,    "loop or object is closed")                                \
    XX(EPERM,        "called from a thread that does not own the loop")         \
    XX(EINTR,        "loop stopped before the future completed")                \
    XX(EDEADLK,      "waiting here would deadlock")                             \
    XX(EBUSY,        "resource busy (loop running, lock held)")                 \
    XX(ENOENT,       "no such entry")                                           \
    XX(EEXIST,       "already exists")                                          \
    XX(ERANGE,       "value out of range")                                      \
    XX(ENOSYS,       "not implemented on this platform")                        \
    XX(ENOTSUP,      "operation not supported")                                 \
    XX(EPIPE,        "closed (end of stream or queue)")                         \
    XX(EMSGSIZE,     "message or line too long")                                \
    XX(EIO,          "input/output error")                                      \
    XX(EPROTO,       "protocol error")                                          \
    XX(EBADF,        "bad file descriptor")                                     \
    XX(ECONNRESET,   "connection reset by peer")                                \
    XX(ECONNREFUSED, "connection refused")                                      \
    XX(ECONNABORTED, "connection aborted")                                      \
    XX(ENOTCONN,     "not connected")                                           \
    XX(EADDRINUSE,   "address already in use")                                  \
    XX(EADDRNOTAVAIL,"address not available")                                   \
    XX(EHOSTUNREACH, "host unreachable")                                        \
    XX(ENETUNREACH,  "network unreachable")                                     \
    XX(ECHILD,       "no child process")                                        \
    XX(ESRCH,        "no such process or task")                                 \
    XX(EOVERFLOW,    "value too large (stack or buffer overflow)")          \
    XX(EACCES,       "permission denied")                                     \
    XX(ENOEXEC,      "not an executable file")                                \
    XX(ENOTDIR,      "not a directory")                                       \
    XX(EMFILE,       "too many open files")                                   \
    XX(EAFNOSUPPORT, "address family not supported")                           \
    XX(ELOOP,        "too many redirects (a redirect loop)")

/** The error codes: `QAIO_E...` is minus the errno value of the same name,
 * one per QAIO_ERRNO_MAP entry, and QAIO_OK (0). */
typedef enum {
#define QAIO__ERR_ENUM(name, msg) QAIO_##name = -name,
    QAIO_ERRNO_MAP(QAIO__ERR_ENUM)
#undef QAIO__ERR_ENUM
    QAIO_OK = 0 /**< success */
} qaio_errno;

/** Aliases that name what a code means in qaio. */
#define QAIO_ECLOSED      QAIO_ESHUTDOWN  /**< loop (or stream, queue) closed */
#define QAIO_EWRONGTHREAD QAIO_EPERM      /**< loop-thread-only call from elsewhere */
#define QAIO_ESTOPPED     QAIO_EINTR      /**< run_until_complete: stop() came first */

/** Returns a static, human-readable message for a qaio error code (negative),
 * or "unknown error" for a code outside the table, and "success" for 0.
 * Never NULL. Any thread. */
const char *qaio_strerror(int err);

/** Returns the static name of an error code without the QAIO_ prefix
 * ("ETIMEDOUT"), "OK" for 0, or "UNKNOWN". Never NULL. Any thread. */
const char *qaio_err_name(int err);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
