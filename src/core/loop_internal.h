/* The loop's state, shared by the core's files. Not installed. */
#ifndef QAIO_LOOP_INTERNAL_H
#define QAIO_LOOP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "qaio/future.h"
#include "core_net.h"
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
    int64_t pass_ns;          /* the dispatch's latest clock reading:
                                 when a task's wait began, without a read */
    struct qaio__task *tasks; /* live tasks (the task layer's list) */
    struct {
        const qaio__layer *hooks;
        void *state;
    } layers[QAIO__LAYERS];   /* the layers above, attached to this loop */

    /* Shared with other threads. */
    atomic_bool closed;
    pthread_mutex_t ts_lock;  /* guards ts_queue and backend use by others */
    qaio__call_vec ts_queue;  /* calls from other threads */
    qaio__call_vec ts_spare;  /* the loop thread's half of the double buffer */
    atomic_bool ts_posted;    /* a threadsafe wakeup is in Qt's queue */

    struct qaio_loop *next_closed; /* closed loops stay reachable */
};

/* qaio_call_at for an absolute deadline in ns of qaio__now_ns(), the one
 * deadline type of the core's waits. Loop thread, loop checked by the
 * caller. 0 when out of memory. */
qaio_handle qaio__call_at_ns(qaio_loop *loop, int64_t deadline, qaio_cb cb, void *arg);

/* True on the loop's own thread. */
bool qaio__on_thread(const qaio_loop *loop);

/* Runs a nested Qt event loop on the loop thread until quit; counted so
 * close() refuses while one is active. */
void qaio__loop_exec(qaio_loop *loop, qaio__run *run);

/* What the backend's events end in (qaio__loop_on_event): the wakeup
 * arrived; a drain (also the yield timer); the timer source fired; the
 * thread's dispatcher is about to sleep. */
void qaio__loop_on_wakeup(qaio_loop *loop);
void qaio__loop_dispatch(qaio_loop *loop);
void qaio__loop_on_timer(qaio_loop *loop);
void qaio__loop_about_to_block(qaio_loop *loop);

/* threadsafe.c: move other threads' calls into the ready queue; free. */
void qaio__threadsafe_take(qaio_loop *loop);
void qaio__threadsafe_free(qaio_loop *loop);

/* True when nothing is ready to run on loop: no call queued (by this or
 * another thread) and no timer due. Loop thread. */
bool qaio__loop_idle(const qaio_loop *loop);

/* Declares that calls of cb own their argument: when a loop closes with
 * such a call still pending, drop(arg) runs instead (on the closing
 * thread) to release it. Any thread; idempotent; a handful of kinds. */
void qaio__loop_add_dropper(qaio_cb cb, qaio_cb drop);

#endif
