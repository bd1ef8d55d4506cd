/* What the connect and server files need from stream.c. Not installed. */
#ifndef QAIO_STREAM_INTERNAL_H
#define QAIO_STREAM_INTERNAL_H

#include <stdint.h>
#include "qaio/stream.h"
#include "io_internal.h"

/* A new stream over fd (already non-blocking and close-on-exec), which it
 * owns from now on; on failure fd stays the caller's. socket_fd: fd is a
 * connected stream socket qaio made (no need to probe it). 0 or
 * QAIO_ENOMEM, or the error of watching fd. Loop thread, loop checked by
 * the caller. */
int qaio__stream_new(qaio_loop *loop, int fd, bool socket_fd, qaio_stream **out);

/* Marks s as a server's connection: the handler's qaio_stream_close does
 * not free it; qaio__stream_release (after the handler returned) does. */
void qaio__stream_set_server_owned(qaio_stream *s);
void qaio__stream_release(qaio_stream *s);

/* Waits until fd is readable (QAIO__IO_READ) or writable, or the absolute
 * deadline (ns, INT64_MAX: none) passes: 0, QAIO_ETIMEDOUT, QAIO_ECANCELED,
 * or the error of watching fd. The wait's watcher replaces any other of fd
 * and is removed after: for fds nothing else watches. Loop thread. */
int qaio__wait_fd(qaio_loop *loop, int fd, int which, int64_t deadline);

#endif
