/* The loop's state, shared by the core's files. Not installed. */
#ifndef QAIO_LOOP_INTERNAL_H
#define QAIO_LOOP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "qaio/future.h"
#include "ready_queue.h"
#include "timer_heap.h"
#include "../qt/backend.h"

typedef struct {
    qaio_cb cb;
    void *arg;
} qaio__call;

typedef struct {
    qaio__call *items;
    size_t len, cap;
} qaio__call_vec;

struct qaio_loop {
    /* Loop-thread state. */
    qaio__ready_queue ready;
    qaio__timer_heap timers;
    qaio__backend *backend;
    int64_t armed;            /* deadline the backend timer is armed for */
    qaio__run *runs;          /* innermost run_forever / run_until_complete */
    int execs;                /* nested Qt loops of any kind now running */
    int dispatching;          /* depth of qaio__loop_dispatch */
    bool in_drain;            /* the innermost frame is a drain, which will
                                 pick up what its callbacks schedule */
    bool wakeup_posted;       /* a wakeup event is in Qt's queue (cleared
                                 only when it is delivered) */
    bool stop_pending;        /* stop() called while no run was active */
    bool debug;
    bool slow_reported;       /* a task step already reported itself slow */
    int64_t slow_ns;
    struct qaio__task *tasks; /* live tasks (task.c) */
    void *io;                 /* the io layer's state (src/net), or NULL */
    void (*io_free)(qaio_loop *loop); /* frees it when the loop closes */

    /* Shared with other threads. */
    atomic_bool closed;
    pthread_mutex_t ts_lock;  /* guards ts_queue and backend use by others */
    qaio__call_vec ts_queue;  /* calls from other threads */
    qaio__call_vec ts_spare;  /* the loop thread's half of the double buffer */
    atomic_bool ts_posted;    /* a threadsafe wakeup is in Qt's queue */

    struct qaio_loop *next_closed; /* closed loops stay reachable */
};

/* Nanoseconds of CLOCK_MONOTONIC. */
int64_t qaio__now_ns(void);

/* True on the loop's own thread. */
bool qaio__on_thread(const qaio_loop *loop);

/* Runs a nested Qt event loop on the loop thread until quit; counted so
 * close() refuses while one is active. */
void qaio__loop_exec(qaio_loop *loop, qaio__run *run);

/* Runs one I/O batch, fn(loop, arg), as the first part of a drain: what its
 * callbacks schedule (futures they complete, tasks they wake) runs right
 * after it, before Qt polls again, and needs no wakeup event. */
void qaio__loop_run_io(qaio_loop *loop, void (*fn)(qaio_loop *, void *), void *arg);

/* threadsafe.c: move other threads' calls into the ready queue; free. */
void qaio__threadsafe_take(qaio_loop *loop);
void qaio__threadsafe_free(qaio_loop *loop);

/* On the loop thread: runs a nested Qt loop until fut is done (0), timeout_s
 * passes (QAIO_ETIMEDOUT; < 0: none), the loop closes (QAIO_ECLOSED) or the
 * run is ended (QAIO_ESTOPPED: by qaio_loop_stop() when stoppable, or by
 * QCoreApplication::exit()). wait.c. */
int qaio__loop_block(qaio_future *fut, double timeout_s, bool stoppable);

/* True when nothing is ready to run on loop: no call queued (by this or
 * another thread) and no timer due. Loop thread. */
bool qaio__loop_idle(const qaio_loop *loop);

/* Declares that calls of cb own their argument: when a loop closes with
 * such a call still pending, drop(arg) runs instead (on the closing
 * thread) to release it. Any thread; idempotent; a handful of kinds. */
void qaio__loop_add_dropper(qaio_cb cb, qaio_cb drop);

/* Wakes every thread blocked in a cross-thread result() (the loop closed). */
void qaio__future_wake_all_waiters(void);

#endif
