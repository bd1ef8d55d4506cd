/* The seam between the C core and an event loop. src/core drives its
 * backend only through these functions, and a backend reports back only
 * through qaio__loop_on_event, the one entry the core implements for it.
 * Two implementations: src/qt/backend.cpp (Qt's event loop, the library's)
 * and tests/poll/backend_poll.c (poll(2), for the test builds without Qt in
 * the library).
 *
 * Everything here runs on the loop's thread except qaio__backend_wakeup.
 */
#ifndef QAIO_BACKEND_H
#define QAIO_BACKEND_H

#include <stdint.h>
#include "qaio/loop.h"
#include "../core/fd_events.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qaio__backend qaio__backend;

/* One run of a nested event loop (QEventLoop::exec). `quit` is set by
 * qaio__backend_quit; exec returns at once if it is already set, which
 * closes the quit-before-exec race of a nested loop. */
typedef struct qaio__run {
    void *impl;            /* the backend's loop while exec runs */
    int quit;
    struct qaio__run *prev; /* the core's stack of run_forever runs */
} qaio__run;

/* Creates the thread's waker and timer source (the Qt backend first makes
 * sure a Q(Core)Application exists). Returns 0 or QAIO_ENOMEM. */
int  qaio__backend_new(qaio_loop *loop, qaio__backend **out);
void qaio__backend_free(qaio__backend *b);

/* Posts one wakeup to the loop thread: QAIO__EV_WAKEUP. The core coalesces
 * calls. Any thread. */
void qaio__backend_wakeup(qaio__backend *b);

/* Makes the loop thread report QAIO__EV_YIELD soon, after the backend has
 * served its own pending events and timers (a zero-delay QTimer). */
void qaio__backend_yield(qaio__backend *b);

/* Arms the one timer source for an absolute deadline in ns of the qaio
 * clock (CLOCK_MONOTONIC); INT64_MAX disarms. It reports QAIO__EV_TIMER no
 * earlier than the deadline. */
void qaio__backend_arm_timer(qaio__backend *b, int64_t deadline_ns);

/* Watches fd for QAIO__IO_READ and/or QAIO__IO_WRITE (0 stops watching);
 * each readiness is reported as QAIO__EV_FD. Returns 0 or QAIO_ENOMEM. On
 * Linux the io layer watches one epoll fd through this; elsewhere every
 * fd. */
int qaio__backend_watch(qaio__backend *b, int fd, int events);

/* Runs a nested event loop until qaio__backend_quit(b, run); the Qt backend
 * returns at once when no application object exists. */
void qaio__backend_exec(qaio__backend *b, qaio__run *run);
void qaio__backend_quit(qaio__run *run);

/* What a backend reports. */
typedef enum {
    QAIO__EV_WAKEUP, /* a wakeup posted by qaio__backend_wakeup arrived */
    QAIO__EV_YIELD,  /* the zero-delay continuation of qaio__backend_yield */
    QAIO__EV_TIMER,  /* the timer source fired */
    QAIO__EV_IDLE,   /* the thread's dispatcher is about to sleep */
    QAIO__EV_FD,     /* fd is ready for `events` */
    QAIO__EV_GONE,   /* the dispatcher is gone for good (the application
                        object of the loop's thread was destroyed) */
} qaio__event;

/* Implemented by the core (loop.c): the backend's one way back. fd and
 * events are meaningful for QAIO__EV_FD only. Loop thread. */
void qaio__loop_on_event(qaio_loop *loop, qaio__event ev, int fd, int events);

#ifdef __cplusplus
}
#endif
#endif
