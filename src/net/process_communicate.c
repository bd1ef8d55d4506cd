/* qaio_process_communicate: one task per pipe in a task group, so no
 * direction can block another, the first failure stops the others, and
 * none outlives the call. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "qaio/task.h"
#include "process_internal.h"

#define CHUNK (64 * 1024)

typedef struct {
    qaio_process *p;
    const char *data;
    size_t len;
} feeder;

typedef struct {
    qaio_stream *s;
    char *buf;
    size_t len, cap, max;
} reader;

/* Writes the input, then closes stdin so the child sees end of file: this
 * must not wait for the readers, or `cat` would never finish. */
static int feed_task(void *arg, qaio_future *self)
{
    (void)self;
    feeder *f = arg;
    qaio_stream *s = f->p->stdio[0];
    f->p->stdio[0] = NULL;
    int err = 0;
    for (size_t off = 0; off < f->len && !err; off += CHUNK) {
        size_t n = f->len - off < CHUNK ? f->len - off : CHUNK;
        err = qaio_stream_write(s, f->data + off, n);
        if (!err)
            err = qaio_stream_drain(s, QAIO_FOREVER);
    }
    if (!err) {
        err = qaio_stream_wait_closed(s, QAIO_FOREVER);
    } else {
        qaio_stream_close(s);
    }
    /* A child that exits without reading all its input is not an error. */
    return err == QAIO_EPIPE || err == QAIO_ECONNRESET ? 0 : err;
}

static int read_task(void *arg, qaio_future *self)
{
    (void)self;
    reader *r = arg;
    for (;;) {
        /* Room for one chunk, one byte over the cap (to see it exceeded)
         * and the NUL. */
        size_t want = r->max + 1 - r->len < CHUNK ? r->max + 1 - r->len : CHUNK;
        if (r->len + want + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : CHUNK;
            while (cap < r->len + want + 1)
                cap = cap > SIZE_MAX / 2 ? r->len + want + 1 : cap * 2;
            if (cap > r->max + 2)
                cap = r->max + 2;
            char *b = realloc(r->buf, cap);
            if (!b)
                return QAIO_ENOMEM;
            r->buf = b;
            r->cap = cap;
        }
        ssize_t n = qaio_stream_read(r->s, r->buf + r->len, want, QAIO_FOREVER);
        if (n <= 0)
            return (int)n;
        r->len += (size_t)n;
        if (r->len > r->max) {
            r->len = r->max;
            return QAIO_EMSGSIZE;
        }
    }
}

static char *take_output(reader *r, size_t *len)
{
    if (!r->s)
        return NULL;
    char *b = r->buf ? r->buf : malloc(1);
    if (b)
        b[r->len] = '\0';
    *len = b ? r->len : 0;
    r->buf = NULL;
    return b;
}

/* Spawns one of the call's tasks into g: 0, or the error. */
static int spawn_into(qaio_task_group *g, const char *name, qaio_task_fn fn, void *arg)
{
    qaio_future *t = qaio_task_group_spawn(g, name, fn, arg);
    if (!t)
        return -errno;
    qaio_future_unref(t); /* the group holds its own */
    return 0;
}

int qaio_process_communicate(qaio_process *p, const void *input, size_t input_len,
                             size_t max_output, double timeout_s, qaio_process_output *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    int err = p ? qaio__check_loop(p->loop) : QAIO_EINVAL;
    if (err)
        return err;
    if (!res || (input_len && !input) || (input_len && !p->stdio[0]) || isnan(timeout_s) ||
        (max_output && max_output > SIZE_MAX - 2))
        return QAIO_EINVAL;
    if (p->communicating)
        return QAIO_EBUSY;
    p->communicating = true;
    int64_t deadline = qaio__deadline(timeout_s);
    size_t max = max_output ? max_output : QAIO_PROCESS_OUTPUT_MAX;
    feeder f = {p, input, input_len};
    reader rd[2] = {{.s = p->stdio[1], .max = max}, {.s = p->stdio[2], .max = max}};

    /* One task per pipe, so no direction can block another. The group
     * stops them all at the first failure, and its free makes sure that
     * none outlives this call: they use our stack. */
    qaio_task_group *g = qaio_task_group_new(p->loop);
    if (!g)
        err = -errno;
    if (!err && p->stdio[0])
        err = spawn_into(g, "communicate-stdin", feed_task, &f);
    for (int i = 0; i < 2 && !err; i++)
        if (rd[i].s)
            err = spawn_into(g, i ? "communicate-stderr" : "communicate-stdout", read_task, &rd[i]);
    if (!err)
        err = qaio_task_group_wait(g, qaio__remaining(deadline));
    qaio_task_group_free(g);
    if (p->stdio[0]) { /* the feeder was cancelled before it started */
        qaio_stream_close(p->stdio[0]);
        p->stdio[0] = NULL;
    }
    res->out = take_output(&rd[0], &res->out_len);
    res->err = take_output(&rd[1], &res->err_len);
    if (((rd[0].s && !res->out) || (rd[1].s && !res->err)) && !err)
        err = QAIO_ENOMEM;
    free(rd[0].buf);
    free(rd[1].buf);
    if (!err)
        err = qaio_process_wait(p, qaio__remaining(deadline), &res->returncode);
    p->communicating = false;
    return err;
}

void qaio_process_output_clear(qaio_process_output *res)
{
    if (!res)
        return;
    free(res->out);
    free(res->err);
    memset(res, 0, sizeof *res);
}
