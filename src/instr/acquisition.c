/* The acquisition engine: run_single and continuous mode over any
 * instrument. Each run is one task. Its context is freed by a done-callback
 * registered right after the spawn -- before anyone else can register one --
 * so it runs first when the task's future completes: whoever waited on the
 * run finds the instrument released, and a task cancelled before it started
 * (whose function never runs) still frees everything. */
#include "qaio/instr/acquisition.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "instrument_internal.h"
#include "qaio/sync.h"
#include "qaio/task.h"

void qaio_run_options_default(qaio_run_options *o)
{
    if (!o)
        return;
    *o = (qaio_run_options){.averages = 1, .type = QAIO_AVG_EXPONENTIAL, .record_timeout_s = -1};
}

static bool options_ok(const qaio_run_options *o)
{
    return o && o->averages >= 1 && (o->type == QAIO_AVG_EXPONENTIAL || o->type == QAIO_AVG_REPEAT) &&
           !isnan(o->record_timeout_s);
}

/* --- run_single --------------------------------------------------------- */

typedef struct single_run {
    qaio_instrument *inst;
    qaio_run_options o;
    qaio_averager *av;
    qaio_trace *rec, *display;
} single_run;

static void single_free(single_run *r)
{
    qaio_averager_free(r->av);
    qaio_trace_free(r->rec);
    qaio_trace_free(r->display);
    free(r);
}

static int single_task(void *arg, qaio_future *self)
{
    single_run *r = arg;
    unsigned n = r->o.averages, k = 0;
    while (k < n) {
        int err = qaio_instrument_acquire(r->inst, r->rec, r->o.record_timeout_s);
        if (err)
            return err;
        k++;
        err = qaio_averager_add(r->av, r->rec, 1.0 / k);
        if (err < 0)
            return err;
        if (err == 1) /* the record's shape changed: the average restarted */
            k = 1;
        if (r->o.step && qaio_averager_read(r->av, r->display) == 0)
            r->o.step(r->display, k, n, r->o.step_arg);
    }
    qaio_trace *out = qaio_trace_new(0, 0);
    if (!out)
        return QAIO_ENOMEM;
    int err = qaio_averager_read(r->av, out);
    if (err) {
        qaio_trace_free(out);
        return err;
    }
    return qaio_future_set_result(self, out, qaio_trace_dtor);
}

static void single_done(qaio_future *f, void *arg)
{
    (void)f;
    single_run *r = arg;
    r->inst->runs--;
    single_free(r);
}

qaio_future *qaio_instrument_run_single_opts(qaio_instrument *inst, const qaio_run_options *o)
{
    int err = qaio__instrument_check(inst);
    if (!err && !options_ok(o))
        err = QAIO_EINVAL;
    if (!err && inst->runs)
        err = QAIO_EBUSY;
    if (err) {
        errno = -err;
        return NULL;
    }
    single_run *r = calloc(1, sizeof *r);
    if (!r) {
        errno = ENOMEM;
        return NULL;
    }
    r->inst = inst;
    r->o = *o;
    r->av = qaio_instrument_averager_new(inst);
    r->rec = qaio_trace_new(0, 0);
    r->display = qaio_trace_new(0, 0);
    if (!r->av || !r->rec || !r->display) {
        single_free(r);
        errno = ENOMEM;
        return NULL;
    }
    qaio_future *f = qaio_spawn_named(inst->loop, inst->ops->kind, 0, single_task, r);
    if (!f) {
        int e = errno;
        single_free(r);
        errno = e;
        return NULL;
    }
    err = qaio_future_add_done_callback(f, single_done, r);
    if (err) {
        /* Not started yet: cancelling means the function never runs. */
        qaio_future_cancel(f);
        qaio_future_unref(f);
        single_free(r);
        errno = -err;
        return NULL;
    }
    inst->runs++;
    return f;
}

qaio_future *qaio_instrument_run_single(qaio_instrument *inst, unsigned averages)
{
    qaio_run_options o;
    qaio_run_options_default(&o);
    o.averages = averages;
    return qaio_instrument_run_single_opts(inst, &o);
}

/* --- continuous ----------------------------------------------------------- */

struct qaio_continuous {
    qaio_instrument *inst;
    qaio_run_options o;     /* the running options */
    qaio_run_options next;  /* applied at the next start / restart */
    qaio_future *task;      /* our reference while a task runs */
    qaio_event *resume;     /* set unless paused */
    qaio_averager *av;
    qaio_trace *rec, *display;
    bool have_display;
    qaio_run_state state;
    int error;
    unsigned k;
    unsigned gen;           /* bumped by pause / restart: records in flight are dropped */
    bool restart_req, paused, in_step, stop_req, free_req;
};

static void cont_destroy(qaio_continuous *c)
{
    qaio_event_free(c->resume);
    qaio_averager_free(c->av);
    qaio_trace_free(c->rec);
    qaio_trace_free(c->display);
    free(c);
}

static int cont_task(void *arg, qaio_future *self)
{
    (void)self;
    qaio_continuous *c = arg;
    for (;;) {
        if (c->paused) {
            int err = qaio_event_wait(c->resume, QAIO_FOREVER);
            if (err)
                return err;
            continue;
        }
        if (c->restart_req) {
            c->restart_req = false;
            c->o = c->next;
            qaio_averager *av = qaio_instrument_averager_new(c->inst);
            if (!av)
                return -errno;
            qaio_averager_free(c->av);
            c->av = av;
            c->k = 0;
        }
        unsigned gen = c->gen;
        int err = qaio_instrument_acquire(c->inst, c->rec, c->o.record_timeout_s);
        if (err)
            return err;
        if (gen != c->gen)
            continue; /* paused or restarted meanwhile: not part of this average */
        unsigned n = c->o.averages, k = c->k + 1;
        if (c->o.type == QAIO_AVG_REPEAT && k > n) {
            qaio_averager_reset(c->av);
            k = 1;
        }
        err = qaio_averager_add(c->av, c->rec, 1.0 / (k < n ? k : n));
        if (err < 0)
            return err;
        if (err == 1)
            k = 1;
        c->k = k;
        err = qaio_averager_read(c->av, c->display);
        if (err)
            return err;
        c->have_display = true;
        if (c->o.step) {
            c->in_step = true;
            c->o.step(c->display, k, n, c->o.step_arg);
            c->in_step = false;
        }
        /* A stop or free from the callback also cancelled this task; end
         * now rather than rely on the next wait. */
        if (c->stop_req)
            return QAIO_ECANCELED;
    }
}

static void cont_done(qaio_future *f, void *arg)
{
    qaio_continuous *c = arg;
    int err = qaio_future_error(f);
    c->inst->runs--;
    qaio_future_unref(c->task);
    c->task = NULL;
    c->paused = false;
    c->error = err == QAIO_ECANCELED ? 0 : err;
    c->state = c->error ? QAIO_RUN_FAILED : QAIO_RUN_IDLE;
    if (c->free_req) {
        cont_destroy(c);
        return;
    }
    if (c->o.finished)
        c->o.finished(err, c->o.finished_arg); /* last: it may free c */
}

qaio_continuous *qaio_continuous_new(qaio_instrument *inst, const qaio_run_options *o)
{
    int err = qaio__instrument_check(inst);
    if (!err && !options_ok(o))
        err = QAIO_EINVAL;
    if (err) {
        errno = -err;
        return NULL;
    }
    qaio_continuous *c = calloc(1, sizeof *c);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    c->inst = inst;
    c->o = c->next = *o;
    c->resume = qaio_event_new(inst->loop);
    c->rec = qaio_trace_new(0, 0);
    c->display = qaio_trace_new(0, 0);
    if (!c->resume || !c->rec || !c->display) {
        cont_destroy(c);
        errno = ENOMEM;
        return NULL;
    }
    qaio_event_set(c->resume);
    return c;
}

/* The entry check of the calls on a continuous run: its instrument's. */
static int check_cont(const qaio_continuous *c)
{
    return c ? qaio__instrument_check(c->inst) : QAIO_EINVAL;
}

int qaio_continuous_start(qaio_continuous *c)
{
    int err = check_cont(c);
    if (err)
        return err;
    if (c->task)
        return QAIO_EALREADY;
    if (c->inst->runs)
        return QAIO_EBUSY;
    qaio_averager *av = qaio_instrument_averager_new(c->inst);
    if (!av)
        return -errno;
    qaio_averager_free(c->av);
    c->av = av;
    c->o = c->next;
    c->k = 0;
    c->gen++;
    c->paused = c->restart_req = c->stop_req = false;
    c->have_display = false;
    c->error = 0;
    qaio_event_set(c->resume);
    c->task = qaio_spawn_named(c->inst->loop, c->inst->ops->kind, 0, cont_task, c);
    if (!c->task)
        return -errno;
    err = qaio_future_add_done_callback(c->task, cont_done, c);
    if (err) {
        qaio_future_cancel(c->task);
        qaio_future_unref(c->task);
        c->task = NULL;
        return err;
    }
    c->inst->runs++;
    c->state = QAIO_RUN_RUNNING;
    return 0;
}

int qaio_continuous_pause(qaio_continuous *c)
{
    int err = check_cont(c);
    if (err)
        return err;
    if (c->state != QAIO_RUN_RUNNING || !c->task)
        return QAIO_EINVAL;
    c->paused = true;
    c->gen++;
    qaio_event_clear(c->resume);
    c->state = QAIO_RUN_PAUSED;
    return 0;
}

int qaio_continuous_resume(qaio_continuous *c)
{
    int err = check_cont(c);
    if (err)
        return err;
    if (c->state != QAIO_RUN_PAUSED || !c->task)
        return QAIO_EINVAL;
    c->paused = false;
    qaio_event_set(c->resume);
    c->state = QAIO_RUN_RUNNING;
    return 0;
}

int qaio_continuous_restart(qaio_continuous *c)
{
    int err = check_cont(c);
    if (err)
        return err;
    if (!c->task)
        return QAIO_EINVAL;
    c->restart_req = true;
    c->gen++;
    c->k = 0;
    c->paused = false;
    qaio_event_set(c->resume);
    c->state = QAIO_RUN_RUNNING;
    return 0;
}

int qaio_continuous_set_options(qaio_continuous *c, const qaio_run_options *o)
{
    int err = check_cont(c);
    if (err)
        return err;
    if (!options_ok(o))
        return QAIO_EINVAL;
    c->next = *o;
    return 0;
}

int qaio_continuous_stop(qaio_continuous *c)
{
    int err = check_cont(c);
    if (err)
        return err;
    if (!c->task)
        return 0;
    qaio_future *t = qaio_future_ref(c->task);
    qaio_future_cancel(t);
    if (qaio_current_task() == t) {
        c->stop_req = true; /* from the step callback: the task ends after it */
    } else {
        /* cont_done was registered first, so it has run when this returns. */
        err = qaio_await(t, NULL);
        if (qaio_future_done(t))
            err = 0;
    }
    qaio_future_unref(t);
    return err;
}

qaio_run_state qaio_continuous_state(const qaio_continuous *c)
{
    return c ? c->state : QAIO_RUN_IDLE;
}

unsigned qaio_continuous_count(const qaio_continuous *c) { return c ? c->k : 0; }

int qaio_continuous_error(const qaio_continuous *c) { return c ? c->error : QAIO_EINVAL; }

int qaio_continuous_read(const qaio_continuous *c, qaio_trace *out)
{
    int err = out ? check_cont(c) : QAIO_EINVAL;
    if (err)
        return err;
    if (!c->have_display)
        return QAIO_EAGAIN;
    return qaio_trace_copy_into(out, c->display);
}

void qaio_continuous_free(qaio_continuous *c)
{
    /* Off its thread it could neither stop the run nor wait for it. */
    if (check_cont(c) != 0)
        return;
    if (c->task && qaio_current_task() == c->task) {
        c->free_req = c->stop_req = true; /* cont_done frees it after the task */
        c->o.step = NULL;
        qaio_future_cancel(c->task);
        return;
    }
    c->o.step = NULL; /* freeing is not an event the owner needs told */
    c->o.finished = NULL;
    qaio_continuous_stop(c);
    if (c->task) {
        /* stop was itself cancelled (we are a cancelled task): let the run's
         * end free it. */
        c->free_req = true;
        return;
    }
    cont_destroy(c);
}
