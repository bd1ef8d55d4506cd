/** qaio/error.h - error codes.
 *
 * Every qaio function that can fail returns a negative code (the libuv
 * convention). Two kinds share one enum:
 *   - negated errno values: QAIO_EINVAL is -EINVAL, and so on; an error a
 *     system call reported reaches the caller unchanged as one of these
 *     (a socket's EPERM is QAIO_EPERM);
 *   - qaio's own conditions (a closed loop, the wrong thread, a stopped run),
 *     numbered from -4001 down, outside every platform's errno range, so a
 *     real errno can never be mistaken for one.
 * Constructors that return NULL set errno to the negated code, so `-errno`
 * is always the QAIO_ code, also for qaio's own conditions (errno is then
 * 4001 for QAIO_ECLOSED, which strerror() does not know: use
 * qaio_strerror(-errno)). The codes come from two X-macro tables so that
 * the enum, qaio_err_name() and qaio_strerror() can never disagree.
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
    XX(ESHUTDOWN,    "endpoint shut down")                                      \
    XX(EPERM,        "operation not permitted")                                 \
    XX(EINTR,        "interrupted system call")                                 \
    XX(EDEADLK,      "waiting here would deadlock")                             \
    XX(ELOOP,        "too deep (nested waits) or a loop (redirects)")           \
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
    XX(EAFNOSUPPORT, "address family not supported")

/** XX(name, value, message): qaio's own conditions, which no system call
 * reports. Their values start at -4001, far below every errno (Linux's end
 * near 133, other systems' within a few hundred), and never change: they
 * are part of the ABI. */
#define QAIO_OWN_MAP(XX)                                                        \
    XX(ECLOSED,      -4001, "loop or object is closed")                         \
    XX(EWRONGTHREAD, -4002, "called from a thread that does not own the loop")  \
    XX(ESTOPPED,     -4003, "loop stopped before the future completed")

/** Every qaio error code: QAIO_OK (0), the negated errno values of
 * QAIO_ERRNO_MAP and qaio's own codes of QAIO_OWN_MAP. */
typedef enum {
#define QAIO__ERR_ENUM(name, msg) QAIO_##name = -name,
    QAIO_ERRNO_MAP(QAIO__ERR_ENUM)
#undef QAIO__ERR_ENUM
#define QAIO__OWN_ENUM(name, value, msg) QAIO_##name = value,
    QAIO_OWN_MAP(QAIO__OWN_ENUM)
#undef QAIO__OWN_ENUM
    QAIO_OK = 0 /**< success */
} qaio_errno;

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
