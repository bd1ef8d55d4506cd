/* Tasks: a future whose value a function computes on its own fiber.
 *
 * A task runs only on its loop's thread. It is started, and every time it is
 * resumed, from a loop callback: a done-callback of what it awaited, its
 * timer, or a call_soon. Those always run from a fresh loop pass, never
 * inside the set_result that woke them: otherwise the task's code would run
 * in the middle of its waker's call, re-entering state the waker has not
 * finished updating. A wait
 * registers its ways back (a done-callback on the awaited future, or the
 * unparking of a waiter it parked for; a timer), suspends, and on resume
 * removes whichever did not fire; `wake` records which did.
 *
 * Cancellation is a flag (atomic: any thread may set it) plus a nudge on the
 * loop thread: a task awaiting a future cancels that future and wakes when it
 * is done (so an awaited child never outlives it); a sleeping, yielding or
 * parked task is woken from a fresh pass, unless its park is shielded.
 * Every wait that starts after the flag is set returns QAIO_ECANCELED at
 * once (sticky, libdill-style), so a cancelled task cannot be held up by
 * its own cleanup.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fiber.h"
#include "task_internal.h"
#include "wait.h"

enum { WAKE_NONE, WAKE_DONE, WAKE_TIMER, WAKE_CANCEL };

typedef struct qaio__task {
    struct qaio_future fut;     /* first: a task is a future */
    /* A task takes its stack when it first runs, so spawned tasks that have
     * not run commit no stack memory: until then `fiber` is NULL and
     * stack_size holds the rounded size asked for. */
    union {
        qaio__fiber *fiber;     /* started: NULL again once the function returned */
        size_t stack_size;      /* not started yet */
    };
    qaio_task_fn fn;
    void *arg;
    atomic_bool cancel_requested;
    bool started;               /* its fiber was made: `fiber` is valid */
    bool suspended;
    unsigned char wake;         /* why the current wait ended */
    bool parked;                /* in qaio__task_park: waiting_on is not a future */
    bool shielded;              /* parked, deaf to its cancellation */
    unsigned char wait_kind;    /* the site's qaio_wait_kind */
    /* Suspensions so far, modulo 2^16: names the current one. Only
     * compared for equality with `nudged`, whose nudge runs in the next
     * loop pass, and a task suspends at most once a pass per wake queued
     * before it: far fewer than 2^16 suspensions apart. */
    uint16_t waits;
    uint16_t nudged;            /* the suspension a cancel nudge was queued for */
    int wait_line;              /* the site's line */
    const void *waiting_on;     /* the future a wait is registered on, or what it parked on */
    qaio__wait_site site;       /* where it waits (introspect.c) */
    struct qaio__task *prev, *next; /* the loop's live tasks */
    char name[48];
} qaio__task;

/* 248 bytes is a 256-byte malloc chunk: each byte more shows in the memory
 * of every sleeping task, which has a budget of one page plus this. */
_Static_assert(sizeof(qaio__task) <= 248, "a task must stay in a 256-byte chunk");
_Static_assert(QAIO_WAIT_PROCESS <= UINT8_MAX, "wait_kind holds every qaio_wait_kind");

/* initial-exec: one load from the thread pointer instead of a call to
 * __tls_get_addr, which every wait pays (qaio_wait_site reads it, so do
 * suspend and resume). Costs 8 bytes of the static TLS that glibc keeps
 * spare for libraries loaded with dlopen. */
static _Thread_local qaio__task *current __attribute__((tls_model("initial-exec")));
static atomic_ulong task_counter;

bool qaio__task_running(void) { return current != NULL; }

qaio__task *qaio__task_current(void) { return current; }

void qaio_wait_site(qaio_wait_kind kind, const char *file, int line, const char *func)
{
    qaio__task *t = current;
    if (t && file) {
        t->wait_kind = (unsigned char)kind;
        t->site.file = file;
        t->wait_line = line;
        t->site.func = func;
    }
}
bool qaio_in_task(void) { return current != NULL; }
qaio_future *qaio_current_task(void) { return current ? &current->fut : NULL; }

static int task_cancel(qaio_future *f);
static void task_destroy(qaio_future *f);
static const qaio__future_ops task_ops = {task_cancel, task_destroy, qaio_task_name};

static qaio__task *as_task(const qaio_future *f)
{
    return f && f->ops == &task_ops ? (qaio__task *)f : NULL;
}

const char *qaio_task_name(const qaio_future *f)
{
    qaio__task *t = as_task(f);
    return t ? t->name : NULL;
}

static void unlink_task(qaio__task *t)
{
    qaio_loop *loop = t->fut.loop;
    if (t->prev)
        t->prev->next = t->next;
    else if (loop->tasks == t)
        loop->tasks = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->prev = t->next = NULL;
}

/* t ran to its end (or never could): it leaves the loop's live tasks. */
static void finish(qaio__task *t)
{
    qaio__fiber_free(t->fiber);
    t->fiber = NULL;
    unlink_task(t);
    qaio_future_unref(&t->fut); /* the reference the running task held */
}

static void entry(void *arg);

/* A task's first step: its fiber and stack. False when there is no memory
 * for them; the task then fails with QAIO_ENOMEM without running. */
static bool start(qaio__task *t)
{
    qaio__fiber *f = qaio__fiber_new(t->stack_size, t->name, entry, t);
    t->started = true;
    t->fiber = f;
    if (!f)
        qaio_future_set_error(&t->fut, QAIO_ENOMEM, "no memory for the task's stack");
    return f != NULL;
}

/* Resumes t's fiber until its next wait or its end. Loop thread. */
static void step(qaio__task *t)
{
    if (!t->started && !start(t)) {
        finish(t);
        return;
    }
    qaio_loop *loop = t->fut.loop;
    qaio__task *outer = current;
    int64_t t0 = loop->debug ? qaio__now_ns() : 0;
    current = t;
    t->suspended = false;
    bool finished = qaio__fiber_resume(t->fiber);
    current = outer;
    if (loop->debug) {
        int64_t dt = qaio__now_ns() - t0;
        if (dt >= loop->slow_ns) {
            qaio__log("task '%s' ran %.1f ms without yielding", t->name, dt / 1e6);
            loop->slow_reported = true;
        }
    }
    if (finished)
        finish(t);
}

static void step_cb(void *arg) { step(arg); }

static void wake(qaio__task *t, int why)
{
    if (!t->suspended || t->wake != WAKE_NONE)
        return;
    t->wake = why;
    step(t);
}

static void entry(void *arg)
{
    qaio__task *t = arg;
    int rc = atomic_load(&t->cancel_requested) ? QAIO_ECANCELED : t->fn(t->arg, &t->fut);
    if (qaio__future_is_done(&t->fut))
        return; /* the function completed its own future */
    if (rc == QAIO_ECANCELED)
        qaio__future_finish_cancelled(&t->fut);
    else if (rc < 0)
        qaio_future_set_error(&t->fut, rc, NULL);
    else
        qaio_future_set_result(&t->fut, NULL, NULL);
}

static void tasks_close(qaio_loop *loop) { qaio__tasks_shutdown(loop, QAIO__CLOSE_TASKS_S); }

/* Closing the loop cancels the tasks still alive and waits for them. */
static const qaio__layer task_layer = {tasks_close, NULL, NULL};

/* "task-N" by hand: printf's machinery cost a tenth of a microsecond per
 * spawn, for a name most programs never read. */
static void default_name(char name[static 48], unsigned long n)
{
    char digits[20]; /* an unsigned long has at most 20 */
    size_t k = 0;
    do
        digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    memcpy(name, "task-", 5);
    size_t i = 5;
    while (k)
        name[i++] = digits[--k];
    name[i] = '\0';
}

qaio_future *qaio_spawn_named(qaio_loop *loop, const char *name, size_t stack_size,
                              qaio_task_fn fn, void *arg)
{
    int err = fn ? qaio__check_loop(loop) : QAIO_EINVAL;
    if (err) {
        errno = -err;
        return NULL;
    }
    qaio__task *t = (qaio__task *)qaio__future_alloc(loop, sizeof *t, &task_ops);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    if (name && *name)
        snprintf(t->name, sizeof t->name, "%s", name);
    else
        default_name(t->name, atomic_fetch_add(&task_counter, 1) + 1);
    t->stack_size = qaio__fiber_stack_bytes(stack_size);
    if (!t->stack_size) {
        free(t);
        errno = EINVAL;
        return NULL;
    }
    qaio_future_ref(&t->fut); /* held by the running task until it ends */
    if (!qaio_call_soon(loop, step_cb, t)) {
        free(t);
        errno = ENOMEM;
        return NULL;
    }
    if (!loop->tasks)
        qaio__loop_attach(loop, QAIO__LAYER_TASKS, &task_layer, NULL);
    t->next = loop->tasks;
    if (t->next)
        t->next->prev = t;
    loop->tasks = t;
    return &t->fut;
}

qaio_future *qaio_spawn(qaio_loop *loop, qaio_task_fn fn, void *arg)
{
    return qaio_spawn_named(loop, NULL, 0, fn, arg);
}

static void task_destroy(qaio_future *f)
{
    qaio__task *t = (qaio__task *)f;
    if (t->started && t->fiber) /* only when a loop closed with the task stuck */
        qaio__fiber_free(t->fiber);
}

/* --- waiting -------------------------------------------------------------- */

static void on_done(qaio_future *f, void *arg)
{
    (void)f;
    wake(arg, WAKE_DONE);
}

static void on_timer(void *arg) { wake(arg, WAKE_TIMER); }

/* Suspends the running task until one of its registered ways back fires. */
static int suspend(qaio__task *t)
{
    t->wake = WAKE_NONE;
    t->suspended = true;
    t->waits++;
    qaio__fiber_suspend();
    return t->wake;
}

/* True when t waiting for f would close a cycle of tasks each awaiting the
 * next (A awaits B awaits A): none of them could ever finish, and
 * cancelling one would not help, as each waits for the other's end. Only
 * direct task-on-task waits are followed; the walk is bounded in case a
 * cycle formed another way (through a gather) lies ahead. */
static bool closes_cycle(const qaio__task *t, const qaio_future *f)
{
    for (unsigned hops = 0; f && hops < 100000; hops++) {
        if (f == &t->fut)
            return true;
        const qaio__task *next = as_task(f);
        f = next && !next->parked ? next->waiting_on : NULL;
    }
    return false;
}

static int task_wait(qaio_future *f, int64_t deadline, bool shielded)
{
    qaio__task *t = current;
    qaio_loop *loop = t->fut.loop;
    if (f->loop != loop || f == &t->fut)
        return QAIO_EINVAL;
    if (!shielded && atomic_load(&t->cancel_requested))
        return QAIO_ECANCELED;
    if (qaio__future_is_done(f))
        return 0;
    if (deadline != INT64_MAX && deadline <= qaio__now_ns())
        return QAIO_ETIMEDOUT;
    if (closes_cycle(t, f))
        return QAIO_EDEADLK;
    qaio__wakeup wk;
    int err = qaio__wakeup_arm(&wk, f, deadline, on_done, on_timer, t);
    if (err)
        return err;
    t->waiting_on = qaio_future_ref(f);
    t->site.deadline = deadline;
    t->site.since = loop->pass_ns;
    int why = suspend(t);
    t->waiting_on = NULL;
    qaio__wakeup_disarm(&wk, why == WAKE_DONE, why == WAKE_TIMER);
    qaio_future_unref(f);
    if (why == WAKE_TIMER)
        return QAIO_ETIMEDOUT;
    /* Done: if f was cancelled because we were, the caller sees
     * QAIO_ECANCELED from f itself. */
    return why == WAKE_CANCEL ? QAIO_ECANCELED : 0;
}

int qaio__task_wait(qaio_future *f, int64_t deadline) { return task_wait(f, deadline, false); }

int qaio__task_wait_shielded(qaio_future *f) { return task_wait(f, INT64_MAX, true); }

static void on_unpark(void *arg) { wake(arg, WAKE_DONE); }

qaio_handle qaio__task_unpark(qaio__task *t)
{
    qaio_handle h = qaio_call_soon(t->fut.loop, on_unpark, t);
    if (!h)
        qaio__log("no memory to wake task '%s': it waits on until its deadline or "
                  "cancellation", t->name);
    return h;
}

int qaio__task_park(const void *on, int64_t deadline, bool shielded, qaio_handle *unpark)
{
    qaio__task *t = current;
    qaio_loop *loop = t->fut.loop;
    if (!shielded && atomic_load(&t->cancel_requested))
        return QAIO_ECANCELED;
    qaio_handle timer = 0;
    if (deadline != INT64_MAX) {
        if (deadline <= qaio__now_ns())
            return QAIO_ETIMEDOUT;
        if (!(timer = qaio__call_at_ns(loop, deadline, on_timer, t)))
            return QAIO_ENOMEM;
    }
    t->parked = true;
    t->shielded = shielded;
    t->waiting_on = on;
    t->site.deadline = deadline;
    t->site.since = loop->pass_ns;
    int why = suspend(t);
    t->parked = t->shielded = false;
    t->waiting_on = NULL;
    if (timer && why != WAKE_TIMER)
        qaio_cancel(loop, timer);
    if (*unpark && why != WAKE_DONE)
        qaio_cancel(loop, *unpark); /* served, but woken another way first */
    *unpark = 0;
    return why == WAKE_DONE ? 0 : why == WAKE_TIMER ? QAIO_ETIMEDOUT : QAIO_ECANCELED;
}

int qaio_sleep(double seconds)
{
    if (!(seconds >= 0) || !isfinite(seconds))
        return QAIO_EINVAL;
    qaio__task *t = current;
    if (!t) {
        /* Outside a task: a nested loop for the duration. */
        qaio_loop *loop = qaio_loop_get();
        qaio_future *never = qaio_future_new(loop);
        if (!never)
            return -errno;
        int err = qaio__loop_block(never, qaio__deadline(seconds), false);
        qaio_future_unref(never);
        return err == QAIO_ETIMEDOUT ? 0 : err;
    }
    if (atomic_load(&t->cancel_requested))
        return QAIO_ECANCELED;
    qaio_loop *loop = t->fut.loop;
    qaio_handle timer = seconds > 0 ? qaio_call_later(loop, seconds, on_timer, t)
                                    : qaio_call_soon(loop, on_timer, t);
    if (!timer)
        return QAIO_ENOMEM;
    /* From the pass's clock: a sleep reads none of its own. */
    t->site.since = loop->pass_ns;
    t->site.deadline = loop->pass_ns + (int64_t)(seconds * 1e9);
    int why = suspend(t);
    if (why == WAKE_CANCEL) {
        qaio_cancel(loop, timer);
        return QAIO_ECANCELED;
    }
    return 0;
}

int qaio_yield(void) { return qaio_sleep(0); }

/* --- cancellation ------------------------------------------------------- */

/* The nudge wakes only the suspension it was queued for: when that one
 * ended first (its timer was already queued), the task may be in another
 * wait by now -- a shielded one, which a cancellation must not end. */
static void wake_cancelled(void *arg)
{
    qaio__task *t = arg;
    if (t->waits == t->nudged)
        wake(t, WAKE_CANCEL);
    qaio_future_unref(&t->fut);
}

/* On the loop thread: nudge a suspended task so it sees the flag. */
static void deliver_cancel(void *arg)
{
    qaio__task *t = arg;
    if (t->waiting_on && !t->parked) {
        /* Wakes us when it is done. Only a wait's own future is here. */
        qaio_future_cancel((qaio_future *)t->waiting_on);
    } else if (t->suspended && !t->shielded) {
        t->nudged = t->waits;
        qaio_future_ref(&t->fut);
        if (!qaio_call_soon(t->fut.loop, wake_cancelled, t))
            qaio_future_unref(&t->fut);
    }
}

static void deliver_cancel_cb(void *arg)
{
    deliver_cancel(arg);
    qaio_future_unref(arg);
}

static int task_cancel(qaio_future *f)
{
    qaio__task *t = (qaio__task *)f;
    if (qaio__future_is_done(f))
        return 0;
    if (atomic_exchange(&t->cancel_requested, true))
        return 1;
    if (qaio__on_thread(f->loop)) {
        deliver_cancel(t);
    } else {
        qaio_future_ref(f);
        if (qaio_call_soon_threadsafe(f->loop, deliver_cancel_cb, t) != 0)
            qaio_future_unref(f);
    }
    return 1;
}

/* --- shutdown and qaio_run ----------------------------------------------- */

/* One pass: cancels the tasks alive now and waits for each until deadline.
 * Returns how many did not finish; *fresh counts those that were pending. */
static int shutdown_pass(qaio_loop *loop, int64_t deadline, size_t *fresh)
{
    size_t n = 0;
    *fresh = 0;
    for (qaio__task *t = loop->tasks; t; t = t->next)
        n++;
    qaio_future **live = malloc(n * sizeof *live);
    if (!live)
        return (int)n;
    size_t i = 0;
    for (qaio__task *t = loop->tasks; t; t = t->next) {
        live[i++] = qaio_future_ref(&t->fut);
        *fresh += !qaio__future_is_done(&t->fut);
    }
    for (i = 0; i < n; i++)
        qaio_future_cancel(live[i]);
    int stuck = 0;
    for (i = 0; i < n; i++) {
        /* Never inside a task: close and qaio_run refuse there. */
        if (!qaio__future_is_done(live[i]))
            qaio__loop_block(live[i], deadline, false);
        if (!qaio__future_is_done(live[i])) {
            qaio__log("task '%s' did not finish after cancellation", qaio_task_name(live[i]));
            stuck++;
        }
        qaio_future_unref(live[i]);
    }
    free(live);
    return stuck;
}

int qaio__tasks_shutdown(qaio_loop *loop, double timeout_s)
{
    /* Cleanup code may spawn tasks while a pass waits (a cancelled task's
     * handler starting another); the next pass cancels them too. With a
     * single pass the loop closed with them unfinished, and they leaked.
     * Passes go on while the previous one had pending tasks, all of which
     * finished, and time is left: a stuck task (the pass waited until the
     * deadline) or a task whose future is already done (it set its result
     * and still runs: cancelling cannot reach it) ends the rounds. */
    int64_t deadline = qaio__deadline(timeout_s);
    int stuck = 0;
    size_t fresh = 1;
    while (loop->tasks && stuck == 0 && fresh > 0 && qaio__remaining(deadline) != 0)
        stuck = shutdown_pass(loop, deadline, &fresh);
    return stuck;
}

int qaio_run(qaio_task_fn fn, void *arg, void **out)
{
    if (current)
        return QAIO_EBUSY;
    if (!fn)
        return QAIO_EINVAL;
    qaio_loop *loop = qaio_loop_get();
    if (!loop)
        return QAIO_ENOMEM;
    qaio_future *f = qaio_spawn(loop, fn, arg);
    if (!f)
        return -errno;
    int err = qaio_loop_run_until_complete(loop, f);
    qaio__tasks_shutdown(loop, QAIO__CLOSE_TASKS_S);
    if (err == 0 && out) {
        *out = f->value;
        f->dtor = NULL; /* ownership goes to the caller */
    }
    qaio_future_unref(f);
    return err;
}

/* --- introspection ------------------------------------------------------ */

size_t qaio__tasks_view(qaio_loop *loop, qaio__task_view *out, size_t cap)
{
    size_t n = 0;
    for (qaio__task *t = loop->tasks; t; t = t->next, n++) {
        if (n >= cap)
            continue;
        qaio__task_view *v = &out[n];
        v->task = &t->fut;
        v->name = t->name;
        v->cancelling = atomic_load(&t->cancel_requested);
        v->site = t->site;
        v->line = t->wait_line;
        v->kind = (qaio_wait_kind)t->wait_kind;
        v->waiting_on = t->waiting_on;
        v->parked = t->parked;
        v->waiting_on_name = t->waiting_on && !t->parked ? qaio_task_name(t->waiting_on) : NULL;
        if (qaio__future_is_done(&t->fut))
            v->state = QAIO_TASK_DONE;
        else if (t->suspended)
            v->state = QAIO_TASK_WAITING;
        else
            v->state = t->started ? QAIO_TASK_RUNNING : QAIO_TASK_READY;
    }
    return n;
}
