/* Introspection: a snapshot of a loop's live tasks and where each waits,
 * and its dump through the log hook. The task layer keeps the facts (a few
 * stores per wait); this file turns them into qaio_task_info and text only
 * when someone asks, so the cost lands on the asker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qaio/introspect.h"
#include "task_internal.h"

static const char *const kind_names[] = {
    [QAIO_WAIT_NONE] = "none",
    [QAIO_WAIT_FUTURE] = "future",
    [QAIO_WAIT_TASK] = "task",
    [QAIO_WAIT_ANY] = "any",
    [QAIO_WAIT_GROUP] = "group",
    [QAIO_WAIT_SLEEP] = "sleep",
    [QAIO_WAIT_LOCK] = "lock",
    [QAIO_WAIT_SEMAPHORE] = "semaphore",
    [QAIO_WAIT_EVENT] = "event",
    [QAIO_WAIT_CONDITION] = "condition",
    [QAIO_WAIT_QUEUE_PUT] = "queue-put",
    [QAIO_WAIT_QUEUE_GET] = "queue-get",
    [QAIO_WAIT_STREAM_READ] = "stream-read",
    [QAIO_WAIT_STREAM_WRITE] = "stream-write",
    [QAIO_WAIT_STREAM_CLOSE] = "stream-close",
    [QAIO_WAIT_CONNECT] = "connect",
    [QAIO_WAIT_PROCESS] = "process",
};

const char *qaio_wait_kind_name(qaio_wait_kind kind)
{
    unsigned k = (unsigned)kind;
    return k < sizeof kind_names / sizeof *kind_names && kind_names[k] ? kind_names[k] : "?";
}

const char *qaio_task_state_name(qaio_task_state s)
{
    switch (s) {
    case QAIO_TASK_READY: return "ready";
    case QAIO_TASK_RUNNING: return "running";
    case QAIO_TASK_WAITING: return "waiting";
    case QAIO_TASK_DONE: return "done";
    }
    return "?";
}

/* The kind the site names, corrected by what the task actually suspended
 * in: a site recorded by an earlier call (this wait was made without the
 * macros) must not call a sleep a lock wait, nor a future wait a sleep. */
static qaio_wait_kind actual_kind(const qaio__task_view *v)
{
    qaio_wait_kind k = v->kind;
    /* A lock, queue, stream, process or connection: only the site says
     * which (the kinds from QAIO_WAIT_LOCK on are those of the waiter). */
    if (v->parked)
        return k >= QAIO_WAIT_LOCK ? k : QAIO_WAIT_FUTURE;
    if (!v->waiting_on)
        return QAIO_WAIT_SLEEP;
    if (k == QAIO_WAIT_SLEEP || k == QAIO_WAIT_NONE || k == QAIO_WAIT_FUTURE)
        return v->waiting_on_name ? QAIO_WAIT_TASK : QAIO_WAIT_FUTURE;
    return k;
}

static void fill(qaio_task_info *info, const qaio__task_view *v, int64_t now)
{
    memset(info, 0, sizeof *info);
    info->task = qaio_future_ref(v->task);
    snprintf(info->name, sizeof info->name, "%s", v->name);
    info->state = v->state;
    info->cancelling = v->cancelling && v->state != QAIO_TASK_DONE;
    info->file = v->site.file;
    info->line = v->line;
    info->func = v->site.func;
    info->timeout_s = QAIO_FOREVER;
    if (v->state != QAIO_TASK_WAITING)
        return;
    info->wait = actual_kind(v);
    info->object = v->waiting_on;
    if (info->wait == QAIO_WAIT_TASK && v->waiting_on_name)
        snprintf(info->object_name, sizeof info->object_name, "%s", v->waiting_on_name);
    if (v->site.deadline != INT64_MAX)
        info->timeout_s = v->site.deadline > now ? (v->site.deadline - now) / 1e9 : 0.0;
    info->waited_s = now > v->site.since ? (now - v->site.since) / 1e9 : 0.0;
}

int qaio_loop_tasks(qaio_loop *loop, qaio_task_info **out, size_t *n)
{
    if (!out || !n)
        return QAIO_EINVAL;
    int err = qaio__check_loop(loop);
    if (err)
        return err;
    *out = NULL;
    *n = 0;
    size_t count = qaio__tasks_view(loop, NULL, 0);
    if (count == 0)
        return 0;
    qaio__task_view *views = malloc(count * sizeof *views);
    qaio_task_info *infos = calloc(count, sizeof *infos);
    if (!views || !infos) {
        free(views);
        free(infos);
        return QAIO_ENOMEM;
    }
    qaio__tasks_view(loop, views, count);
    int64_t now = qaio__now_ns();
    for (size_t i = 0; i < count; i++)
        fill(&infos[i], &views[i], now);
    free(views);
    *out = infos;
    *n = count;
    return 0;
}

void qaio_task_info_free(qaio_task_info *infos, size_t n)
{
    if (!infos)
        return;
    for (size_t i = 0; i < n; i++)
        qaio_future_unref(infos[i].task);
    free(infos);
}

int qaio_task_info_format(const qaio_task_info *info, char *buf, size_t cap)
{
    if (!info || !buf)
        return QAIO_EINVAL;
    char what[160] = "", where[320] = "";
    if (info->state == QAIO_TASK_WAITING) {
        char deadline[48] = "no deadline";
        if (info->timeout_s >= 0)
            snprintf(deadline, sizeof deadline, "deadline in %.3f s", info->timeout_s);
        snprintf(what, sizeof what, " %s%s%s%s for %.3f s (%s)", qaio_wait_kind_name(info->wait),
                 info->object_name[0] ? " '" : "", info->object_name,
                 info->object_name[0] ? "'" : "", info->waited_s, deadline);
    }
    if (info->file)
        snprintf(where, sizeof where, " at %s:%d (%s)", info->file, info->line,
                 info->func ? info->func : "?");
    int len = snprintf(buf, cap, "'%s' %s%s%s%s", info->name, qaio_task_state_name(info->state),
                       info->cancelling ? " cancelling" : "", what, where);
    return len;
}

int qaio_loop_dump_tasks(qaio_loop *loop)
{
    qaio_task_info *infos;
    size_t n;
    int err = qaio_loop_tasks(loop, &infos, &n);
    if (err)
        return err;
    qaio__log("loop %p: %zu live task%s", (void *)loop, n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        char line[512];
        qaio_task_info_format(&infos[i], line, sizeof line);
        qaio__log("  %s", line);
    }
    qaio_task_info_free(infos, n);
    return (int)n;
}
