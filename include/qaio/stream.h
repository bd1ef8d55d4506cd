/** qaio/stream.h - buffered byte streams over TCP, Unix sockets and pipes,
 * and servers that run one task per connection (asyncio's streams).
 *
 * Waiting: like every qaio wait, a stream call suspends inside a task and
 * blocks on a nested Qt loop outside one. Every waiting call takes a timeout
 * in seconds (< 0: none, QAIO_FOREVER) and fails with QAIO_ETIMEDOUT; inside
 * a cancelled task it fails with QAIO_ECANCELED. A timed-out or cancelled
 * read consumes nothing: what arrived stays buffered.
 *
 * Reading: a stream reads eagerly into its buffer as data arrives, up to
 * its limit (default QAIO_STREAM_LIMIT, qaio_stream_set_limit), then stops
 * reading until the buffer is consumed: a peer can never make a stream hold
 * more than its limit (each read(2) asks for at most what is left under
 * it, and at most 64 KiB; a limit lowered under what is buffered keeps that
 * data). A connection (qaio_open_connection, a server's) starts reading at
 * its first read call or qaio_stream_set_limit; until then what arrives
 * waits in the kernel and qaio_stream_buffered says 0, so a connection
 * nobody reads costs no fd watch. A stream over an fd (qaio_stream_open_fd)
 * reads from the start. One call may wait for reading at a time
 * (QAIO_EBUSY for a second).
 *
 * End of stream: qaio_stream_read returns 0 once the buffer is empty and
 * the peer closed its side; readline returns the last, unterminated line
 * first. readexactly and readuntil fail with QAIO_EPIPE when the peer closes
 * before they are complete, and the partial data stays buffered for read().
 *
 * Errors: a reset peer (or any socket error) is reported by the next call
 * that needs more than what is buffered: QAIO_ECONNRESET; data received
 * before the reset is still delivered first. Writes fail with the error too.
 *
 * Writing: qaio_stream_write never waits. It sends what the socket takes
 * and buffers the rest; the loop sends the buffer in the background. Apply
 * back-pressure with qaio_stream_drain, which waits while the buffer is
 * over its high-water mark, until it is at or under the low-water mark
 * (defaults 64 KiB and 16 KiB). With both marks 0, drain waits until
 * everything was handed to the kernel.
 *
 * Closing: qaio_stream_close stops reading, hands what is still buffered
 * to a background flush (at most QAIO_STREAM_LINGER_S seconds) and frees the
 * stream; qaio_stream_wait_closed does the same and waits for the flush.
 * Calls waiting on the stream in other tasks return QAIO_ECLOSED. A flush
 * still running when the loop closes is given up: the unsent rest is
 * dropped and the fd closed.
 *
 * Threads: every function runs on the stream's loop thread (QAIO_EWRONGTHREAD
 * elsewhere). Streams belong to the loop that made them; when the loop
 * closes, calls fail with QAIO_ECLOSED and qaio_stream_close still frees.
 * @file
 * @ingroup stream
 */
/** @defgroup stream Streams and servers
 * @ingroup core
 * @{ */
#ifndef QAIO_STREAM_H
#define QAIO_STREAM_H

#include <stddef.h>
#include <sys/types.h>
#include "qaio/loop.h"
#include "qaio/wait_site.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A buffered byte stream: a connection, a pipe (opaque). */
typedef struct qaio_stream qaio_stream;
/** A listening server that hands each connection to a task (opaque). */
typedef struct qaio_server qaio_server;

/** default read limit: the longest line or separator-ended record, in bytes */
#define QAIO_STREAM_LIMIT (64 * 1024)
/** default write buffer size above which writers wait (drain) */
#define QAIO_STREAM_HIGH_WATER (64 * 1024)
/** default write buffer size below which waiting writers resume */
#define QAIO_STREAM_LOW_WATER (16 * 1024)
/** default time a closed stream keeps flushing in the background, in seconds */
#define QAIO_STREAM_LINGER_S 10.0

/* --- connecting ----------------------------------------------------------- */

/** Connects to host:port over TCP. host is a name or an IPv4/IPv6 literal;
 * names are resolved on the executor (getaddrinfo blocks) and each address
 * is tried in turn. TCP_NODELAY is set: instrument protocols are
 * request/response. A connection that is established at once (over
 * loopback, usually) returns without suspending or running the loop, so a
 * server in the same thread may not have accepted it yet. On success *out
 * is a new stream the caller owns (qaio_stream_close). Returns 0,
 * QAIO_EINVAL (NULL, port outside 1..65535), QAIO_ENOENT (the name does
 * not resolve), QAIO_ECONNREFUSED,
 * QAIO_ETIMEDOUT (the whole call, resolution included, took longer than
 * timeout_s), QAIO_EHOSTUNREACH, QAIO_ENETUNREACH, QAIO_ECANCELED,
 * QAIO_ENOMEM, QAIO_ECLOSED, QAIO_EWRONGTHREAD or another negative errno. */
int qaio_open_connection(qaio_loop *loop, const char *host, int port, double timeout_s,
                         qaio_stream **out);

/** Connects to the Unix stream socket at path. As qaio_open_connection;
 * QAIO_ENOENT if nothing is there, QAIO_EINVAL for a path too long. */
int qaio_open_unix_connection(qaio_loop *loop, const char *path, double timeout_s,
                              qaio_stream **out);

/** Makes a stream of an fd the caller already has: a connected socket, a
 * pipe's end, a terminal. The stream takes ownership of fd (it closes it)
 * and makes it non-blocking. On error fd is left open and the caller's.
 * Returns 0, QAIO_EINVAL, QAIO_EBADF, QAIO_ENOTSUP (fd cannot be polled),
 * QAIO_ENOMEM, QAIO_ECLOSED or QAIO_EWRONGTHREAD. Writing to a pipe whose reader
 * is gone fails with QAIO_EPIPE; the process never receives SIGPIPE. */
int qaio_stream_open_fd(qaio_loop *loop, int fd, qaio_stream **out);

/* --- servers -------------------------------------------------------------- */

/** A connection handler. It runs as a task of its own per connection; conn
 * belongs to the server and is closed (flushed) and freed when the handler
 * returns. The handler may close conn itself (later calls on it return
 * QAIO_ECLOSED). A negative return is logged (except QAIO_ECANCELED and
 * connection errors) and affects no other connection. */
typedef int (*qaio_conn_fn)(qaio_stream *conn, void *arg);

/** Listens on host:port (TCP) and runs handler(conn, arg) for each accepted
 * connection. host NULL binds 127.0.0.1 (loopback: an instrument is not
 * exposed to the network unless asked); "0.0.0.0" or "::" binds all
 * interfaces; a name is resolved (blocking, before the call returns). port
 * 0 picks a free port (qaio_server_port tells which). SO_REUSEADDR is set.
 * *out is owned by the caller (qaio_server_close). Returns 0, QAIO_EINVAL,
 * QAIO_EADDRINUSE, QAIO_EADDRNOTAVAIL, QAIO_ENOENT, QAIO_ENOMEM,
 * QAIO_ECLOSED, QAIO_EWRONGTHREAD or another negative errno. */
int qaio_start_server(qaio_loop *loop, const char *host, int port, qaio_conn_fn handler,
                      void *arg, qaio_server **out);

/** Listens on a Unix stream socket at path. A stale socket file left at path
 * (nothing listening) is replaced; any other file gives QAIO_EADDRINUSE.
 * The file is removed when the server closes. */
int qaio_start_unix_server(qaio_loop *loop, const char *path, qaio_conn_fn handler, void *arg,
                           qaio_server **out);

/** The bound TCP port (0 for a Unix server), or QAIO_EINVAL. Any thread. */
int qaio_server_port(const qaio_server *srv);

/** How many connection handlers run now, or QAIO_EINVAL. Loop thread. */
int qaio_server_connections(const qaio_server *srv);

/** Stops accepting, cancels every connection handler still running and
 * waits (suspending in a task, else a nested loop) until they returned, so
 * the handler's arg may be freed right after; then frees srv. Returns 0,
 * QAIO_EINVAL or QAIO_EWRONGTHREAD (then nothing happened). */
int qaio_server_close(qaio_server *srv);

/* --- reading -------------------------------------------------------------- */

/** Reads up to n bytes (n > 0): what is buffered, else waits for data.
 * Returns the count (> 0), 0 at end of stream, or a negative error. */
ssize_t qaio_stream_read(qaio_stream *s, void *buf, size_t n, double timeout_s);

/** Reads exactly n bytes. Returns n, or an error; QAIO_EPIPE if the stream
 * ends first. Up to the stream's limit the bytes are taken all at once, so
 * on any error nothing is consumed. Beyond the limit they go to buf as they
 * arrive; an error then leaves the copied part consumed. */
ssize_t qaio_stream_readexactly(qaio_stream *s, void *buf, size_t n, double timeout_s);

/** Reads through the first occurrence of sep (seplen > 0), which is
 * included, into buf (cap bytes). Returns the length. QAIO_EMSGSIZE when
 * the data up to the separator would exceed cap or the stream's limit (the
 * data stays buffered: read it with qaio_stream_read, or close); QAIO_EPIPE
 * at end of stream before a separator. */
ssize_t qaio_stream_readuntil(qaio_stream *s, const void *sep, size_t seplen, void *buf,
                              size_t cap, double timeout_s);

/** readuntil("\n") into a NUL-terminated string (cap counts the NUL), except
 * at end of stream: the last, unterminated line is returned as is, then 0. */
ssize_t qaio_stream_readline(qaio_stream *s, char *buf, size_t cap, double timeout_s);

/** Bytes buffered and not yet read, or a negative error. */
ssize_t qaio_stream_buffered(const qaio_stream *s);

/** Sets the read limit (>= 1 byte). Lowering it under what is buffered
 * keeps the data; reading resumes once under the new limit. */
int qaio_stream_set_limit(qaio_stream *s, size_t limit);

/* --- writing -------------------------------------------------------------- */

/** Sends or buffers n bytes (copied). Returns 0, QAIO_EINVAL, QAIO_ECLOSED,
 * or the stream's write error (QAIO_ECONNRESET, QAIO_EPIPE, ...). */
int qaio_stream_write(qaio_stream *s, const void *buf, size_t n);

/** Waits while the write buffer is over the high-water mark, until it is at
 * or under the low-water mark (see the top of this file). Returns 0, the
 * write error, QAIO_ETIMEDOUT, QAIO_ECANCELED or QAIO_ECLOSED. */
int qaio_stream_drain(qaio_stream *s, double timeout_s);

/** Sets the marks (low <= high). Returns 0 or QAIO_EINVAL. */
int qaio_stream_set_write_limits(qaio_stream *s, size_t high, size_t low);

/** Bytes written but not yet handed to the kernel. */
ssize_t qaio_stream_write_buffered(const qaio_stream *s);

/** Shuts down the sending side once the buffer is flushed (the peer reads
 * end of stream); reading goes on. For a pipe it closes the fd's writing.
 * Returns 0 or an error. */
int qaio_stream_write_eof(qaio_stream *s);

/* --- closing and information ---------------------------------------------- */

/** Closes and frees s (see the top of this file). NULL is ignored (0). For
 * a server's connection: closes it, and the server frees it once the
 * handler returns. Returns 0, or QAIO_EWRONGTHREAD (then nothing happened). */
int qaio_stream_close(qaio_stream *s);

/** Closes s like qaio_stream_close and waits until the buffered data was
 * sent (or timeout_s passed: the rest is dropped). Frees s in every case
 * but QAIO_EWRONGTHREAD and QAIO_EINVAL (a NaN timeout): then nothing happened.
 * Returns 0, the write error, QAIO_ETIMEDOUT or QAIO_ECANCELED. */
int qaio_stream_wait_closed(qaio_stream *s, double timeout_s);

/** Writes the peer's address as text into buf: "127.0.0.1:5025",
 * "[::1]:5025", the Unix socket's path, or "fd N" for a pipe. Returns the
 * length, or QAIO_EINVAL / QAIO_EMSGSIZE (cap too small). */
int qaio_stream_peer_address(const qaio_stream *s, char *buf, size_t cap);

/** The stream's fd (still owned by the stream), or QAIO_EINVAL/QAIO_ECLOSED. */
int qaio_stream_fd(const qaio_stream *s);

/* The waiting calls above record where they are made (qaio/wait_site.h):
 * same names, same symbols, arguments evaluated once. */
/** @cond */
#ifndef QAIO_NO_WAIT_SITES
#define qaio_open_connection(...) QAIO_AT(QAIO_WAIT_CONNECT, qaio_open_connection(__VA_ARGS__))
#define qaio_open_unix_connection(...) QAIO_AT(QAIO_WAIT_CONNECT, qaio_open_unix_connection(__VA_ARGS__))
#define qaio_stream_read(...) QAIO_AT(QAIO_WAIT_STREAM_READ, qaio_stream_read(__VA_ARGS__))
#define qaio_stream_readexactly(...) QAIO_AT(QAIO_WAIT_STREAM_READ, qaio_stream_readexactly(__VA_ARGS__))
#define qaio_stream_readuntil(...) QAIO_AT(QAIO_WAIT_STREAM_READ, qaio_stream_readuntil(__VA_ARGS__))
#define qaio_stream_readline(...) QAIO_AT(QAIO_WAIT_STREAM_READ, qaio_stream_readline(__VA_ARGS__))
#define qaio_stream_drain(...) QAIO_AT(QAIO_WAIT_STREAM_WRITE, qaio_stream_drain(__VA_ARGS__))
#define qaio_stream_wait_closed(...) QAIO_AT(QAIO_WAIT_STREAM_CLOSE, qaio_stream_wait_closed(__VA_ARGS__))
#endif
/** @endcond */

#ifdef __cplusplus
}
#endif
/** @} */
#endif
