/* The loop: per-thread creation, the ready queue's drain, timers, runs, and
 * closing. The cross-thread queue lives in threadsafe.c.
 *
 * Draining. One Qt wakeup event drains the ready queue in passes. A pass
 * first moves expired timers to the queue, then runs the calls that were
 * queued when it started (what they schedule waits for the next pass: the
 * asyncio rule that keeps timers and I/O from starving). Passes run back to
 * back while work is ready, but the drain returns to Qt after 1 ms (checked
 * every 32 calls) and continues from a zero-delay Qt timer, so paint, input
 * and QTimers are served during a flood of callbacks. (Why 1 ms: a 1 ms Qt
 * PreciseTimer should never be held back more than about 2 ms, and Qt fires
 * such a timer only on every other timer activation, so 1 ms slices are what
 * keeps it within 2 ms; the extra Qt iteration per millisecond costs under
 * 1%.)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "loop_internal.h"
#include "park.h"

#define QAIO__SLICE_NS 1000000
#define QAIO__SLOW_DEFAULT_S 0.1

/* initial-exec, like task.c's `current`: every loop-thread check reads it,
 * several per stream call, and the default model makes each read a call. */
static _Thread_local qaio_loop *tls_loop __attribute__((tls_model("initial-exec")));
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t closed_lock = PTHREAD_MUTEX_INITIALIZER;
static qaio_loop *closed_loops;

static void loop_close(qaio_loop *loop);

/* A thread that ends with its loop open closes it, so its Qt objects go. */
static void on_thread_exit(void *arg)
{
    qaio_loop *loop = arg;
    if (loop && !atomic_load(&loop->closed) && loop->execs == 0)
        loop_close(loop);
}

static void make_exit_key(void) { pthread_key_create(&exit_key, on_thread_exit); }

bool qaio__on_thread(const qaio_loop *loop) { return tls_loop == loop; }

int qaio__check_loop(const qaio_loop *loop)
{
    if (!loop)
        return QAIO_EINVAL;
    if (atomic_load_explicit(&loop->closed, memory_order_relaxed))
        return QAIO_ECLOSED;
    if (!qaio__on_thread(loop))
        return QAIO_EWRONGTHREAD;
    return 0;
}

qaio_loop *qaio_loop_get(void)
{
    if (tls_loop)
        return tls_loop;
    qaio_loop *loop = calloc(1, sizeof *loop);
    if (!loop || qaio__ready_init(&loop->ready) != 0) {
        free(loop);
        errno = ENOMEM;
        return NULL;
    }
    qaio__timers_init(&loop->timers);
    pthread_mutex_init(&loop->ts_lock, NULL);
    loop->armed = INT64_MAX;
    const char *dbg = getenv("QAIO_DEBUG");
    loop->debug = dbg && *dbg && strcmp(dbg, "0") != 0;
    loop->slow_ns = (int64_t)(QAIO__SLOW_DEFAULT_S * 1e9);
    if (qaio__backend_new(loop, &loop->backend) != 0) {
        qaio__ready_free(&loop->ready);
        pthread_mutex_destroy(&loop->ts_lock);
        free(loop);
        errno = ENOMEM;
        return NULL;
    }
    tls_loop = loop;
    pthread_once(&exit_once, make_exit_key);
    pthread_setspecific(exit_key, loop);
    return loop;
}

int qaio_loop_set_debug(qaio_loop *loop, bool enabled, double slow_callback_s)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (!(slow_callback_s >= 0) || !isfinite(slow_callback_s))
        return QAIO_EINVAL;
    loop->debug = enabled;
    loop->slow_ns = (int64_t)(slow_callback_s * 1e9);
    return 0;
}

double qaio_loop_time(const qaio_loop *loop)
{
    (void)loop;
    return (double)qaio__now_ns() / 1e9;
}

/* Re-arms the backend timer when the earliest deadline moved earlier. A
 * later one (its timer was cancelled) keeps the armed deadline: the early
 * wakeup finds nothing due and re-arms then. Waits with timeouts cancel
 * their timer nearly every time, and re-arming for each one cost a
 * timerfd_settime per wait. */
static void arm(qaio_loop *loop)
{
    int64_t next = qaio__timers_next(&loop->timers);
    if (next < loop->armed) {
        /* Already due (a timeout of 0, a deadline in the past): the next
         * pass runs it through the zero-delay timer drains continue with.
         * The timerfd would cost a settime and a read, and a settime may
         * trap to the hypervisor; the armed deadline stays. */
        if (next <= qaio__now_ns()) {
            qaio__backend_yield(loop->backend);
            return;
        }
        loop->armed = next;
        qaio__backend_arm_timer(loop->backend, next);
    }
}

/* At most one wakeup event is ever pending. */
static void post_wakeup(qaio_loop *loop)
{
    if (!loop->wakeup_posted) {
        loop->wakeup_posted = true;
        qaio__backend_wakeup(loop->backend);
    }
}

qaio_handle qaio_call_soon(qaio_loop *loop, qaio_cb cb, void *arg)
{
    if (!cb || qaio__check_loop(loop) != 0)
        return 0;
    uint64_t seq = qaio__ready_push(&loop->ready, cb, arg, -1);
    /* A drain does not post for what its own callbacks schedule: it keeps
     * draining, then yields through a zero-delay timer. */
    if (seq && !loop->in_drain)
        post_wakeup(loop);
    return seq;
}

qaio_handle qaio_call_at(qaio_loop *loop, double when, qaio_cb cb, void *arg)
{
    if (!cb || qaio__check_loop(loop) != 0 || isnan(when))
        return 0;
    /* Round the deadline up to whole ns so it is never earlier than asked. */
    double ns = ceil(when * 1e9);
    return qaio__call_at_ns(loop, ns >= 9.2e18 ? INT64_MAX - 1 : ns < 0 ? 0 : (int64_t)ns, cb, arg);
}

qaio_handle qaio__call_at_ns(qaio_loop *loop, int64_t deadline, qaio_cb cb, void *arg)
{
    if (deadline == INT64_MAX)
        deadline = INT64_MAX - 1; /* INT64_MAX means "no timer" to the heap */
    int32_t slot = qaio__timers_add(&loop->timers, deadline, cb, arg);
    if (slot < 0)
        return 0;
    /* Arm now even inside a drain: the callback may go on to block in a
     * nested loop, and that loop must see this timer. */
    arm(loop);
    return qaio__timer_handle(&loop->timers, slot);
}

qaio_handle qaio_call_later(qaio_loop *loop, double delay_s, qaio_cb cb, void *arg)
{
    if (!(delay_s >= 0) || !isfinite(delay_s))
        return 0;
    return qaio_call_at(loop, qaio_loop_time(loop) + delay_s, cb, arg);
}

int qaio_cancel(qaio_loop *loop, qaio_handle handle)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    int32_t slot;
    qaio__timer *t = qaio__timers_lookup(&loop->timers, handle, &slot);
    if (t) {
        if (t->state == QAIO__TIMER_QUEUED) {
            /* Already in the ready queue: leave a cancelled record, which
             * the drain frees when it reaches the entry. */
            int was = t->cb != NULL;
            t->cb = NULL;
            return was;
        }
        qaio__timers_release(&loop->timers, slot);
        arm(loop);
        return 1;
    }
    qaio__ready_entry *e = (handle >> 63) ? NULL : qaio__ready_find(&loop->ready, handle);
    if (!e || !e->cb)
        return 0;
    e->cb = NULL;
    return 1;
}

static void run_one(qaio_loop *loop, qaio_cb cb, void *arg)
{
    if (!loop->debug) {
        cb(arg);
        return;
    }
    int64_t t0 = qaio__now_ns();
    cb(arg);
    int64_t dt = qaio__now_ns() - t0;
    if (loop->slow_reported)
        loop->slow_reported = false; /* a task step named itself */
    else if (dt >= loop->slow_ns)
        qaio__log("slow callback %p(%p) took %.1f ms", (void *)(uintptr_t)cb, arg, dt / 1e6);
}

void qaio__loop_dispatch(qaio_loop *loop)
{
    if (atomic_load(&loop->closed))
        return;
    /* The clock is read at the start and then once per 32 callbacks, not per
     * pass: a chain of one-callback passes would otherwise spend most of its
     * time in clock_gettime. A stale `now` is never ahead of real time, so
     * it can only make a timer a few microseconds late, never early. */
    int64_t now = loop->pass_ns = qaio__now_ns();
    int64_t slice_end = now + QAIO__SLICE_NS;
    unsigned n = 0;
    bool outer_drain = loop->in_drain;
    loop->in_drain = true;
    loop->dispatching++;
    for (;;) {
        qaio__threadsafe_take(loop);
        if (qaio__timers_next(&loop->timers) <= now) {
            int32_t slot;
            while ((slot = qaio__timers_pop_expired(&loop->timers, now)) >= 0)
                qaio__ready_push(&loop->ready, NULL, NULL, slot);
        }
        arm(loop); /* for nested loops entered by this pass's callbacks */
        /* A nested drain (a callback that waits in a nested loop) may advance
         * head past entries of this pass; re-reading it is enough. */
        uint64_t end = loop->ready.tail;
        while (loop->ready.head < end) {
            qaio__ready_entry e;
            qaio__ready_pop(&loop->ready, &e);
            if (e.timer >= 0) {
                qaio__timer *t = &loop->timers.timers[e.timer];
                e.cb = t->cb;
                e.arg = t->arg;
                qaio__timers_release(&loop->timers, e.timer);
            }
            if (!e.cb)
                continue;
            run_one(loop, e.cb, e.arg);
            if (atomic_load_explicit(&loop->closed, memory_order_relaxed))
                goto out;
            if ((++n & 31) == 0 && (now = loop->pass_ns = qaio__now_ns()) >= slice_end)
                goto yield;
        }
        if (qaio__ready_empty(&loop->ready) && !atomic_load(&loop->ts_posted)) {
            now = loop->pass_ns = qaio__now_ns();
            if (qaio__timers_next(&loop->timers) > now) {
                qaio__ready_trim(&loop->ready);
                break;
            }
        }
        if (now >= slice_end)
            goto yield;
    }
    goto out;
yield:
    /* Continue through a zero-delay Qt timer, not a posted event: Qt's glib
     * dispatcher demotes timers to idle priority after they fire, so an
     * event re-posted every 2 ms would starve every QTimer in the
     * application. */
    qaio__backend_yield(loop->backend);
out:
    loop->dispatching--;
    loop->in_drain = outer_drain;
}

bool qaio__loop_idle(const qaio_loop *loop)
{
    return qaio__ready_empty(&loop->ready) && !atomic_load(&loop->ts_posted) &&
           qaio__timers_next(&loop->timers) > qaio__now_ns();
}

void qaio__loop_on_wakeup(qaio_loop *loop)
{
    loop->wakeup_posted = false;
    qaio__loop_dispatch(loop);
}

/* The thread's Qt dispatcher is about to sleep. With calls ready, that means
 * a Qt loop nested inside one of our callbacks (a dialog's exec()) is
 * waiting while the drain that would run them is suspended below it: wake
 * that loop so it runs them. */
void qaio__loop_about_to_block(qaio_loop *loop)
{
    if (!atomic_load(&loop->closed) && !qaio__ready_empty(&loop->ready))
        post_wakeup(loop);
}

/* The application object was destroyed, and with it the thread's Qt
 * dispatcher: nothing on this loop can run again, so every wait would
 * hang. The loop counts as closed from now on (every call returns
 * QAIO_ECLOSED, blocked threads wake), but is not freed: Qt is being torn
 * down around us and its objects may not be touched any more. */
static void backend_gone(qaio_loop *loop)
{
    pthread_mutex_lock(&loop->ts_lock);
    atomic_store(&loop->closed, true);
    pthread_mutex_unlock(&loop->ts_lock);
    qaio__park_wake_all(); /* threads blocked in a cross-thread result() */
}

void qaio__loop_run_io(qaio_loop *loop, void (*fn)(qaio_loop *, void *), void *arg)
{
    if (atomic_load(&loop->closed))
        return;
    bool outer_drain = loop->in_drain;
    loop->in_drain = true;
    loop->dispatching++;
    fn(loop, arg);
    loop->dispatching--;
    loop->in_drain = outer_drain;
    qaio__loop_dispatch(loop);
}

void qaio__loop_on_timer(qaio_loop *loop)
{
    loop->armed = INT64_MAX; /* the backend's timer is one-shot */
    qaio__loop_dispatch(loop);
}

void qaio__loop_on_event(qaio_loop *loop, qaio__event ev, int fd, int events)
{
    switch (ev) {
    case QAIO__EV_WAKEUP:
        qaio__loop_on_wakeup(loop);
        break;
    case QAIO__EV_YIELD:
        qaio__loop_dispatch(loop);
        break;
    case QAIO__EV_TIMER:
        qaio__loop_on_timer(loop);
        break;
    case QAIO__EV_IDLE:
        qaio__loop_about_to_block(loop);
        break;
    case QAIO__EV_GONE:
        backend_gone(loop);
        break;
    case QAIO__EV_FD: {
        const qaio__layer *io = loop->layers[QAIO__LAYER_IO].hooks;
        if (io && io->fd_ready)
            io->fd_ready(loop, fd, events);
        break;
    }
    }
}

void qaio__loop_attach(qaio_loop *loop, int layer, const qaio__layer *hooks, void *state)
{
    loop->layers[layer].hooks = hooks;
    loop->layers[layer].state = hooks ? state : NULL;
}

void *qaio__loop_layer(const qaio_loop *loop, int layer) { return loop->layers[layer].state; }

int qaio__loop_watch_fd(qaio_loop *loop, int fd, int events)
{
    return qaio__backend_watch(loop->backend, fd, events);
}

void qaio__loop_exec(qaio_loop *loop, qaio__run *run)
{
    /* Calls queued behind the callback that is now entering a nested loop
     * must run inside it; their wakeup was consumed by the outer drain. And
     * what is scheduled inside it must post: the drain below cannot run it. */
    if (!qaio__ready_empty(&loop->ready))
        post_wakeup(loop);
    bool in_drain = loop->in_drain;
    loop->in_drain = false;
    loop->execs++;
    qaio__backend_exec(loop->backend, run);
    loop->execs--;
    loop->in_drain = in_drain;
}

int qaio_loop_run_forever(qaio_loop *loop)
{
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    if (loop->execs >= QAIO_MAX_NESTED_WAITS)
        return QAIO_ELOOP;
    if (loop->stop_pending) {
        /* asyncio: stop() before run_forever() means one pass, then return. */
        loop->stop_pending = false;
        qaio__loop_dispatch(loop);
        return 0;
    }
    qaio__run run = {.prev = loop->runs};
    loop->runs = &run;
    qaio__loop_exec(loop, &run);
    loop->runs = run.prev;
    return 0;
}

void qaio_loop_stop(qaio_loop *loop)
{
    if (qaio__check_loop(loop) != 0)
        return;
    if (loop->runs)
        qaio__backend_quit(loop->runs);
    else
        loop->stop_pending = true;
}

/* Calls that own a reference to their argument (a future's callback run
 * holds the future) and what releases it when the loop closes before the
 * call ran. Without this a future completed from another thread just
 * before close leaked with its value: the call holding its last reference
 * was dropped. Registered once per kind by the layer that makes the calls. */
#define QAIO__MAX_DROPPERS 8
static struct {
    qaio_cb cb, drop;
} droppers[QAIO__MAX_DROPPERS];
static atomic_int ndroppers;

void qaio__loop_add_dropper(qaio_cb cb, qaio_cb drop)
{
    pthread_mutex_lock(&closed_lock);
    int n = atomic_load(&ndroppers);
    bool known = false;
    for (int i = 0; i < n; i++)
        known |= droppers[i].cb == cb;
    if (!known && n < QAIO__MAX_DROPPERS) {
        droppers[n].cb = cb;
        droppers[n].drop = drop;
        atomic_store(&ndroppers, n + 1);
    }
    pthread_mutex_unlock(&closed_lock);
}

/* The loop is closed: its pending calls will never run. Releases what those
 * that own their argument hold. */
static void drop_pending(qaio_loop *loop)
{
    int n = atomic_load(&ndroppers);
    while (!qaio__ready_empty(&loop->ready)) {
        qaio__ready_entry e;
        qaio__ready_pop(&loop->ready, &e);
        for (int i = 0; e.timer < 0 && e.cb && i < n; i++)
            if (droppers[i].cb == e.cb)
                droppers[i].drop(e.arg);
    }
}

/* Frees everything but the struct, which stays reachable on a global list so
 * that a stale pointer reads `closed` instead of freed memory. */
static void loop_close(qaio_loop *loop)
{
    pthread_mutex_lock(&loop->ts_lock);
    atomic_store(&loop->closed, true);
    pthread_mutex_unlock(&loop->ts_lock);
    /* No thread adds calls now; those they made join the ready queue, whose
     * calls drop_pending releases. */
    qaio__threadsafe_take(loop);
    qaio__threadsafe_free(loop);

    /* The layers above free their state (the io layer its fds and its
     * abandoned work); none of their callbacks can run any more. */
    for (int i = 0; i < QAIO__LAYERS; i++) {
        const qaio__layer *h = loop->layers[i].hooks;
        if (h && h->release)
            h->release(loop);
        loop->layers[i].hooks = NULL;
        loop->layers[i].state = NULL;
    }
    qaio__backend_free(loop->backend);
    loop->backend = NULL;
    drop_pending(loop);
    qaio__ready_free(&loop->ready);
    qaio__timers_free(&loop->timers);
    if (tls_loop == loop) {
        tls_loop = NULL;
        pthread_setspecific(exit_key, NULL);
    }
    qaio__park_wake_all(); /* threads blocked in a cross-thread result() */
    pthread_mutex_lock(&closed_lock);
    loop->next_closed = closed_loops;
    closed_loops = loop;
    pthread_mutex_unlock(&closed_lock);
}

int qaio_loop_close(qaio_loop *loop)
{
    if (!loop)
        return QAIO_EINVAL;
    if (atomic_load(&loop->closed))
        return 0;
    if (!qaio__on_thread(loop))
        return QAIO_EWRONGTHREAD;
    if (loop->execs > 0 || loop->dispatching > 0)
        return QAIO_EBUSY;
    /* The layers above wind down while the loop still runs: the task layer
     * cancels and finalises the tasks still alive. */
    for (int i = 0; i < QAIO__LAYERS; i++) {
        const qaio__layer *h = loop->layers[i].hooks;
        if (h && h->shutdown)
            h->shutdown(loop);
    }
    loop_close(loop);
    return 0;
}
