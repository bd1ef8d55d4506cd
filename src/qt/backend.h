/* The seam between the C core and Qt. src/core talks to Qt only through these
 * functions, implemented in src/qt/backend.cpp; the backend calls back into
 * the core through qaio__loop_dispatch and qaio__loop_on_timer.
 *
 * Everything here runs on the loop's thread except qaio__backend_wakeup.
 */
#ifndef QAIO_BACKEND_H
#define QAIO_BACKEND_H

#include <stdint.h>
#include "qaio/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qaio__backend qaio__backend;

/* One run of a Qt event loop (QEventLoop::exec). `quit` is set by
 * qaio__backend_quit; exec returns at once if it is already set, which
 * closes the quit-before-exec race of a nested loop. */
typedef struct qaio__run {
    void *impl;            /* the QEventLoop while exec runs */
    int quit;
    struct qaio__run *prev; /* the core's stack of run_forever runs */
} qaio__run;

/* Makes sure a Q(Core)Application exists, then creates the thread's waker and
 * timer source. Returns 0 or QAIO_ENOMEM. */
int  qaio__backend_new(qaio_loop *loop, qaio__backend **out);
void qaio__backend_free(qaio__backend *b);

/* Posts one wakeup event to the loop thread; it ends in qaio__loop_dispatch.
 * The core coalesces calls. Any thread. */
void qaio__backend_wakeup(qaio__backend *b);

/* Makes the loop thread call qaio__loop_dispatch again soon, after Qt has
 * served its own pending events and timers (a zero-delay QTimer). */
void qaio__backend_yield(qaio__backend *b);

/* Arms the one timer source for an absolute deadline in ns of the qaio
 * clock (CLOCK_MONOTONIC); INT64_MAX disarms. It ends in qaio__loop_on_timer
 * no earlier than the deadline. */
void qaio__backend_arm_timer(qaio__backend *b, int64_t deadline_ns);

/* Watches fd for QAIO__IO_READ and/or QAIO__IO_WRITE (0 stops watching);
 * readiness ends in qaio__io_on_ready(loop, fd, which) for each event.
 * Returns 0 or QAIO_ENOMEM. On Linux the io layer watches one epoll fd
 * through this; elsewhere every fd. */
#define QAIO__IO_READ 1
#define QAIO__IO_WRITE 2
int qaio__backend_watch(qaio__backend *b, int fd, int events);

/* Runs a nested QEventLoop until qaio__backend_quit(b, run); returns at
 * once when no application object exists. */
void qaio__backend_exec(qaio__backend *b, qaio__run *run);
void qaio__backend_quit(qaio__run *run);

/* Implemented by the core: the wakeup event arrived; the yield timer fired;
 * the timer source fired; the thread's Qt dispatcher is about to sleep. */
void qaio__loop_on_wakeup(qaio_loop *loop);
void qaio__loop_dispatch(qaio_loop *loop);
void qaio__loop_on_timer(qaio_loop *loop);
void qaio__loop_about_to_block(qaio_loop *loop);
/* Implemented by the core: the loop's Qt dispatcher is gone for good (the
 * application object of its thread was destroyed). On the loop thread. */
void qaio__loop_on_backend_gone(qaio_loop *loop);

/* Core helpers the shim's files use too. Argument check shared by
 * loop-thread-only functions: 0, QAIO_EINVAL, QAIO_ECLOSED or
 * QAIO_EWRONGTHREAD. */
int qaio__check_loop(const qaio_loop *loop);

/* Reports through the log hook (printf-style). Any thread. */
void qaio__log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Implemented by the io layer (src/net/io.c): fd is ready for `events`. */
void qaio__io_on_ready(qaio_loop *loop, int fd, int events);

#ifdef __cplusplus
}
#endif
#endif
