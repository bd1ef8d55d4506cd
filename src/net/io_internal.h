/* The io layer's per-loop state, shared by src/net's files. Not installed. */
#ifndef QAIO_IO_INTERNAL_H
#define QAIO_IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "qaio/io.h"
#include "../core/core_net.h"

typedef struct {
    qaio_cb rcb, wcb;
    void *rarg, *warg;
    uint32_t gen;    /* bumped when the fd stops being watched */
    uint8_t events;  /* QAIO__IO_READ | QAIO__IO_WRITE */
    bool registered; /* in the epoll set */
    bool once;       /* watching until the first event (qaio__io_add_once) */
} qaio__watch;

typedef struct qaio__signals qaio__signals;

/* Work that outlives its owner's handle: a closed stream's background
 * flush, a freed process waiting for its child. Once the loop closes no
 * callback of it would ever run again, so the loop's close calls abandon()
 * instead, which must release everything it holds without the loop. */
typedef struct qaio__orphan {
    struct qaio__orphan *prev, *next;
    void (*abandon)(struct qaio__orphan *o);
} qaio__orphan;

typedef struct {
    int epfd;            /* -1: one backend notifier per fd */
    qaio__watch *watch;  /* indexed by fd */
    int cap;
    qaio__signals *signals; /* io_signal.c, created on first use */
    qaio__orphan *orphans;  /* abandoned when the loop closes */
} qaio__io;

/* As qaio_add_reader/qaio_add_writer (which: QAIO__IO_READ or _WRITE),
 * but the watcher ends by itself when cb is called (removing it then is a
 * no-op). With epoll the kernel disarms it (EPOLLONESHOT), so the fd stays
 * in the set and watching it again costs one EPOLL_CTL_MOD instead of a
 * DEL and an ADD: a connecting socket's stream then takes over its
 * registration. An fd watched the other way too is watched normally. */
int qaio__io_add_once(qaio_loop *loop, int fd, int which, qaio_cb cb, void *arg);

/* fd is about to be closed while nothing watches it: a registration left
 * disarmed in the epoll set (a once-watch that fired) is forgotten without
 * a system call, since closing the file takes it out of the set, and a
 * disarmed one never reports even if a dup keeps the file open. A new
 * file given the same number is then ADDed directly. Loop thread. */
void qaio__io_forget(qaio_loop *loop, int fd);

/* The loop's io state, created on first use (NULL: out of memory or no
 * epoll fd). Loop thread. */
qaio__io *qaio__io_get(qaio_loop *loop);

/* Registers o (its abandon set) until qaio__orphan_remove, or until the
 * loop closes and abandons it. 0, or QAIO_ENOMEM (no io state could be
 * made; never for a loop that watches an fd). Loop thread. */
int qaio__orphan_add(qaio_loop *loop, qaio__orphan *o);
void qaio__orphan_remove(qaio_loop *loop, qaio__orphan *o);

/* Restores the dispositions of the loop's signals and frees their state
 * (io_signal.c); called when the loop closes. */
void qaio__signals_free(qaio_loop *loop);

#endif
