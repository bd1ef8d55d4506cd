/** @file qaio/http.h
 * @brief HTTP requests as futures (Qt Network's QNetworkAccessManager).
 *
 * A request returns a qaio_future that completes with a
 * qaio_http_response: the status, the headers and the body. It waits like
 * every qaio future: qaio_await() suspends inside a task,
 * qaio_future_result() runs a nested loop on the loop's thread outside a
 * task, and blocks on a condition variable on any other thread.
 *
 * Any HTTP status is a result, 404 and 500 included: the future fails only
 * when no complete response arrived. Its error is then one of
 *   - QAIO_ECONNREFUSED: nothing listens there;
 *   - QAIO_ENOENT: the host name does not resolve;
 *   - QAIO_ETIMEDOUT: the whole exchange (connecting, redirects, the body)
 *     took longer than the timeout;
 *   - QAIO_ELOOP: more redirects than allowed (a redirect loop);
 *   - QAIO_EMSGSIZE: the body is over its limit (the request is aborted as
 *     soon as the limit is passed, or at once when Content-Length says so);
 *   - QAIO_EPIPE: the server closed the connection before the response was
 *     complete;
 *   - QAIO_EPROTO: a TLS error (handshake failed, certificate refused), an
 *     insecure (https to http) redirect, or a malformed response;
 *   - QAIO_ENOTSUP: https without TLS support in Qt;
 *   - QAIO_ENETUNREACH (no network), QAIO_ECONNABORTED (Qt aborted the
 *     request on its own), QAIO_EIO (any other failure);
 *   - QAIO_ECLOSED: the thread's network manager went away (thread exit).
 * qaio_future_error_message() then gives Qt's (or qaio's) explanation.
 *
 * Cancelling the future (qaio_future_cancel, a qaio_wait_for timeout, the
 * cancellation of a task awaiting it) aborts the request: the connection is
 * closed and nothing more is read.
 *
 * Threads: a request is made on its loop's thread (QAIO_EWRONGTHREAD elsewhere):
 * Qt's network objects belong to one thread. Each thread has one
 * QNetworkAccessManager, created by its first request and deleted when the
 * thread ends, so connections to a host are reused (keep-alive, at most six
 * at a time per host, as Qt does). The future itself may be waited for and
 * cancelled from any thread; to start a request from another thread, post
 * a function that makes it with qaio_call_soon_threadsafe().
 *
 * Each request stands alone: no cookie is stored or sent unless the
 * options' headers carry it, and nothing is cached.
 *
 * Limits: Qt reads responses on a network thread of its own. A body with
 * a Content-Length within the limit is read into one buffer of that
 * length. Otherwise Qt is told, right after the request starts, to read
 * at most 1 MiB ahead of qaio, which aborts the request once the limit is
 * passed; but Qt applies that on its thread, so a response that arrives
 * before it does (a peer on the same machine answering at once, on a busy
 * machine) and then streams without a pause is read by Qt until the
 * stream pauses, and only then refused (a timeout or a cancellation takes
 * effect then too).
 * @ingroup http
 */
/** @defgroup http HTTP requests
 * @ingroup core
 * @{ */
#ifndef QAIO_HTTP_H
#define QAIO_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include "qaio/future.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The whole-exchange timeout, in seconds, when the options give 0. */
#define QAIO_HTTP_TIMEOUT_S 30.0
/** How many redirects are followed when the options give 0. */
#define QAIO_HTTP_MAX_REDIRECTS 10
/** The largest response body accepted when the options give 0 (16 MiB). */
#define QAIO_HTTP_BODY_LIMIT ((size_t)16 * 1024 * 1024)

/** Options of a request. A zero-initialised struct (or a NULL pointer)
 * means every default. Everything is borrowed for the call only: qaio
 * copies what it keeps. */
typedef struct qaio_http_options {
    /** Request headers as a NULL-terminated list of name, value pairs:
     * {"Accept", "text/html", "X-Token", "abc", NULL}; NULL for none. */
    const char *const *headers;
    /** Seconds the whole exchange may take: 0 means QAIO_HTTP_TIMEOUT_S,
     * a negative value no limit (QAIO_FOREVER). */
    double timeout_s;
    /** Redirects to follow (Location of a 3xx): 0 means
     * QAIO_HTTP_MAX_REDIRECTS, a negative value follows none (the 3xx
     * response is the result). More than allowed fails with QAIO_ELOOP.
     * An https URL is never redirected to http. */
    int max_redirects;
    /** The largest body accepted, in bytes: 0 means QAIO_HTTP_BODY_LIMIT.
     * A longer one fails the request with QAIO_EMSGSIZE. */
    size_t max_body;
} qaio_http_options;

/** A response: status, headers and body, immutable and reference-counted.
 * The request's future owns one reference and frees it with the future;
 * what the accessors return is borrowed from the response. */
typedef struct qaio_http_response qaio_http_response;

/** Starts an HTTP request and returns its future, which completes with a
 * `qaio_http_response *` (owned by the future: borrow it while you hold the
 * future, or take a reference with qaio_http_response_ref()).
 *
 * @param loop the loop whose thread makes the request.
 * @param method "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", or any
 *        other token.
 * @param url an absolute http:// or https:// URL.
 * @param body the request body (copied), or NULL; without a Content-Type
 *        header in the options it is sent as application/octet-stream.
 * @param body_len its length in bytes (0 for none).
 * @param opts the options, or NULL for the defaults.
 * @return the future with one reference for the caller, or NULL with errno
 *         EINVAL (NULL loop, method or url; a URL that is not absolute
 *         http(s); a NaN timeout; body NULL with body_len > 0; an odd
 *         header list), -QAIO_EWRONGTHREAD (not the loop's thread),
 *         -QAIO_ECLOSED (closed loop) or ENOMEM.
 * Errors of the exchange itself fail the future (see the top of this file).
 * Loop thread. */
qaio_future *qaio_http_request(qaio_loop *loop, const char *method, const char *url,
                               const void *body, size_t body_len, const qaio_http_options *opts);

/** qaio_http_request(loop, "GET", url, NULL, 0, opts). Same errors. Loop thread. */
qaio_future *qaio_http_get(qaio_loop *loop, const char *url, const qaio_http_options *opts);

/** A POST of body (copied) with the Content-Type content_type (NULL:
 * application/octet-stream, unless the options' headers name one). As
 * qaio_http_request otherwise. Loop thread. */
qaio_future *qaio_http_post(qaio_loop *loop, const char *url, const char *content_type,
                            const void *body, size_t body_len, const qaio_http_options *opts);

/** A PUT, as qaio_http_post. Loop thread. */
qaio_future *qaio_http_put(qaio_loop *loop, const char *url, const char *content_type,
                           const void *body, size_t body_len, const qaio_http_options *opts);

/** qaio_http_request(loop, "DELETE", url, NULL, 0, opts). Loop thread. */
qaio_future *qaio_http_delete(qaio_loop *loop, const char *url, const qaio_http_options *opts);

/** True when this Qt can make https requests (Qt Network found its TLS
 * library at run time). Without it an https request fails with
 * QAIO_ENOTSUP. Any thread. */
bool qaio_http_tls_available(void);

/** The HTTP status code (200, 404, ...), or QAIO_EINVAL for NULL. Any
 * thread. */
int qaio_http_response_status(const qaio_http_response *r);

/** The reason phrase of the status line ("OK"; may be ""), borrowed from
 * r; NULL for NULL. Any thread. */
const char *qaio_http_response_reason(const qaio_http_response *r);

/** The URL the response came from: the request's, or the last redirect's
 * target. Borrowed from r; NULL for NULL. Any thread. */
const char *qaio_http_response_url(const qaio_http_response *r);

/** The body, borrowed from r (never NULL for a response: "" when empty),
 * followed by a NUL byte that len does not count, so a text body can be
 * printed as a string. *len (if len is not NULL) receives its length.
 * NULL (and *len 0) for NULL. Any thread. */
const char *qaio_http_response_body(const qaio_http_response *r, size_t *len);

/** The value of the first header named name (compared case-insensitively),
 * borrowed from r, or NULL when there is none (or r or name is NULL). Any
 * thread. */
const char *qaio_http_response_header(const qaio_http_response *r, const char *name);

/** How many headers the response has (0 for NULL). Any thread. */
size_t qaio_http_response_header_count(const qaio_http_response *r);

/** The i-th header, in the order received: *name and *value (either may
 * be NULL) receive strings borrowed from r. A header the server repeated
 * appears once, its values joined with ", " (as Qt reports it). Returns 0, or QAIO_EINVAL (NULL
 * r, i out of range). Any thread. */
int qaio_http_response_header_at(const qaio_http_response *r, size_t i, const char **name,
                                 const char **value);

/** Takes another reference to r, to keep it after its future is freed;
 * returns r (NULL for NULL). Any thread. */
qaio_http_response *qaio_http_response_ref(qaio_http_response *r);

/** Drops a reference taken with qaio_http_response_ref(); the last one
 * frees r. NULL is ignored. Any thread. */
void qaio_http_response_unref(qaio_http_response *r);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
