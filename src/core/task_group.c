/* Task groups: structured concurrency (trio nurseries, asyncio.TaskGroup).
 *
 * The group keeps a reference to every running child, in a list it leaves
 * as soon as the child is done, so a long-lived group (a server's
 * connections) stays the size of what runs now. The first child that fails
 * with anything but a cancellation the group itself requested records its
 * error and cancels the siblings; from then on the group refuses new
 * children. `idle`, a plain future, is completed each time the number of
 * running children drops to zero, which is what qaio_task_group_wait
 * awaits. qaio_task_group_free cancels and waits, so no child outlives its
 * group. */
#include <math.h>
#include <stdlib.h>
#include "task_internal.h"

typedef struct child {
    qaio_future *task;
    qaio_task_group *group;
    struct child *prev, *next;
} child;

struct qaio_task_group {
    qaio_loop *loop;
    child *children;          /* the running ones */
    size_t running;
    int first_err;
    bool cancelled;          /* the group cancelled its children */
    qaio_future *idle;       /* completed when running drops to 0 */
};

qaio_task_group *qaio_task_group_new(qaio_loop *loop)
{
    int err = qaio__check_loop(loop);
    if (err) {
        errno = -err;
        return NULL;
    }
    qaio_task_group *g = calloc(1, sizeof *g);
    if (!g) {
        errno = ENOMEM;
        return NULL;
    }
    g->loop = loop;
    return g;
}

static void cancel_all(qaio_task_group *g)
{
    g->cancelled = true;
    for (child *c = g->children; c; c = c->next)
        qaio_future_cancel(c->task);
}

static void unlink_child(qaio_task_group *g, child *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        g->children = c->next;
    if (c->next)
        c->next->prev = c->prev;
    qaio_future_unref(c->task);
    free(c);
}

static void child_done(qaio_future *task, void *arg)
{
    child *c = arg;
    qaio_task_group *g = c->group;
    int err = qaio_future_error(task);
    unlink_child(g, c); /* may drop the last reference to task */
    bool ours = err == QAIO_ECANCELED && g->cancelled;
    if (err && !ours && !g->first_err) {
        g->first_err = err;
        cancel_all(g);
    }
    if (--g->running == 0 && g->idle) {
        qaio_future_set_result(g->idle, NULL, NULL);
        qaio_future_unref(g->idle);
        g->idle = NULL;
    }
}

qaio_future *qaio_task_group_spawn(qaio_task_group *g, const char *name, qaio_task_fn fn,
                                   void *arg)
{
    if (!g || !fn) {
        errno = EINVAL;
        return NULL;
    }
    if (g->first_err || g->cancelled) {
        errno = -QAIO_ECLOSED;
        return NULL;
    }
    child *c = calloc(1, sizeof *c);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    qaio_future *f = qaio_spawn_named(g->loop, name, 0, fn, arg);
    if (!f) {
        free(c);
        return NULL;
    }
    int err = qaio_future_add_done_callback(f, child_done, c);
    if (err) {
        qaio_future_cancel(f);
        qaio_future_unref(f);
        free(c);
        errno = -err;
        return NULL;
    }
    c->task = qaio_future_ref(f);
    c->group = g;
    c->next = g->children;
    if (c->next)
        c->next->prev = c;
    g->children = c;
    g->running++;
    return f;
}

/* The pending future that completes when no child runs, with a reference
 * for the caller. A waiter's cancellation cancels the future it waits on, so
 * a done one is replaced. */
static qaio_future *idle_future(qaio_task_group *g)
{
    if (g->idle && qaio_future_done(g->idle)) {
        qaio_future_unref(g->idle);
        g->idle = NULL;
    }
    if (!g->idle && !(g->idle = qaio_future_new(g->loop)))
        return NULL;
    return qaio_future_ref(g->idle);
}

/* Waits, shielded from the caller's own cancellation, until no child runs. */
static void wait_idle(qaio_task_group *g)
{
    while (g->running > 0) {
        qaio_future *idle = idle_future(g);
        if (!idle)
            return;
        int err = qaio__wait_done(idle);
        qaio_future_unref(idle);
        if (err)
            return;
    }
}

int qaio_task_group_wait(qaio_task_group *g, double timeout_s)
{
    if (!g)
        return QAIO_EINVAL;
    int err = qaio__check_loop(g->loop);
    if (err)
        return err;
    if (isnan(timeout_s))
        return QAIO_EINVAL; /* also when there is nothing to wait for */
    if (g->running > 0) {
        qaio_future *idle = idle_future(g);
        if (!idle)
            return QAIO_ENOMEM;
        err = qaio_future_result_timeout(idle, timeout_s, NULL);
        qaio_future_unref(idle);
        if (err == QAIO_ECANCELED && g->running > 0) {
            /* The waiter was cancelled: take the children down with it. */
            cancel_all(g);
            wait_idle(g);
        }
        if (err == QAIO_ETIMEDOUT)
            return err;
    }
    if (g->first_err)
        return g->first_err;
    return err == QAIO_ECANCELED ? err : 0;
}

int qaio_task_group_cancel(qaio_task_group *g)
{
    if (!g)
        return QAIO_EINVAL;
    int err = qaio__check_loop(g->loop);
    if (err)
        return err;
    int asked = 0;
    for (child *c = g->children; c; c = c->next)
        asked += qaio_future_cancel(c->task) == 1;
    g->cancelled = true;
    return asked;
}

int qaio_task_group_error(const qaio_task_group *g) { return g ? g->first_err : QAIO_EINVAL; }

void qaio_task_group_free(qaio_task_group *g)
{
    if (!g)
        return;
    int err = qaio__check_loop(g->loop);
    if (err == QAIO_EWRONGTHREAD) {
        /* Here it could neither wait for the children nor take back their
         * done-callbacks (which would then run on a freed group). */
        qaio__log("qaio_task_group_free off its loop's thread: ignored");
        return;
    }
    if (g->running > 0 && err == 0) {
        cancel_all(g);
        wait_idle(g);
    }
    /* Only when the loop closed under the group can children remain. */
    while (g->children) {
        child *c = g->children;
        qaio_future_remove_done_callback(c->task, child_done, c);
        unlink_child(g, c);
    }
    qaio_future_unref(g->idle);
    free(g);
}
