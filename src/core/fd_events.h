/* The readiness an fd is watched for, shared by the backend seam and the io
 * layer. Base layer: includes nothing. */
#ifndef QAIO_FD_EVENTS_H
#define QAIO_FD_EVENTS_H

#define QAIO__IO_READ 1
#define QAIO__IO_WRITE 2

#endif
