/* Internal to the SCPI driver: a USBTMC character device (Linux usbtmc,
 * /dev/usbtmcN) as a qaio stream. Not installed.
 *
 * The kernel's usbtmc device is not pollable for reading: a read() asks
 * the instrument for its pending message and blocks until it comes (or
 * the driver's own timeout). So a bridge thread owns the device: it takes
 * each program line written to the stream, write()s it as one message,
 * and when the line holds a query, read()s the answer -- one message per
 * read, repeated while a read fills its whole buffer -- and passes it
 * back. The stream's side is a socket pair, so everything above it
 * (deadlines, cancellation, bounds) is the ordinary stream code. */
#ifndef QAIO_SRC_INSTR_SCOPE_USBTMC_H
#define QAIO_SRC_INSTR_SCOPE_USBTMC_H

#include "qaio/stream.h"

/* Opens device and a bridge thread; *out is the stream, closed by the
 * caller with qaio_stream_close (which also ends the thread once the
 * device's current exchange is over). Returns 0, QAIO_ENOENT,
 * QAIO_EACCES (errno of open, negated), QAIO_ENOMEM. Loop thread. */
int qaio__usbtmc_open(qaio_loop *loop, const char *device, qaio_stream **out);

#endif
