/* The io layer's per-loop state, shared by src/net's files. Not installed. */
#ifndef QAIO_IO_INTERNAL_H
#define QAIO_IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "qaio/io.h"
#include "../core/loop_internal.h"
#include "../core/future_internal.h"

typedef struct {
    qaio_cb rcb, wcb;
    void *rarg, *warg;
    uint32_t gen;    /* bumped when the fd stops being watched */
    uint8_t events;  /* QAIO__IO_READ | QAIO__IO_WRITE */
    bool registered; /* in the epoll set */
} qaio__watch;

typedef struct qaio__signals qaio__signals;

typedef struct {
    int epfd;            /* -1: one backend notifier per fd */
    qaio__watch *watch;  /* indexed by fd */
    int cap;
    qaio__signals *signals; /* io_signal.c, created on first use */
} qaio__io;

/* The loop's io state, created on first use (NULL: out of memory or no
 * epoll fd). Loop thread. */
qaio__io *qaio__io_get(qaio_loop *loop);

/* Restores the dispositions of the loop's signals and frees their state
 * (io_signal.c); called when the loop closes. */
void qaio__signals_free(qaio_loop *loop);

#endif
