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
#include "offload.h"
#include "qaio/instr/analyzer.h"
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
           !isnan(o->record_timeout_s) && isfinite(o->frame_interval_s) && o->frame_interval_s >= 0;
}

/* --- large records off the loop thread ------------------------------------ */

/* Folding a large record in (an FFT per channel for a spectrum) and
 * reading the curve out (a unit conversion per bin) each take milliseconds
 * at 1M points: they run on the executor while the run's task waits. The
 * task has one such job in flight at a time, and nothing else touches the
 * averager meanwhile. */
typedef struct avg_job {
    qaio_averager *av;
    const qaio_trace *rec; /* add: the record; read: NULL */
    double weight;
    qaio_trace *out;       /* read: the curve */
} avg_job;

static int avg_job_run(void *arg)
{
    avg_job *j = arg;
    return j->rec ? qaio_averager_add(j->av, j->rec, j->weight) : qaio_averager_read(j->av, j->out);
}

/* The records' size decides: the curve read out is about as large. */
static int avg_add(qaio_loop *loop, qaio_averager *av, const qaio_trace *rec, double weight,
                   qaio__offload **inflight)
{
    avg_job j = {av, rec, weight, NULL};
    return qaio__offload_run(loop, rec->n * rec->nch, avg_job_run, &j, inflight);
}

static int avg_read(qaio_loop *loop, qaio_averager *av, const qaio_trace *rec, qaio_trace *out,
                    qaio__offload **inflight)
{
    avg_job j = {av, NULL, 0, out};
    return qaio__offload_run(loop, rec->n * rec->nch, avg_job_run, &j, inflight);
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
        qaio_loop *loop = r->inst->loop;
        err = avg_add(loop, r->av, r->rec, 1.0 / k, NULL);
        if (err < 0)
            return err;
        if (err == 1) /* the record's shape changed: the average restarted */
            k = 1;
        if (r->o.step && avg_read(loop, r->av, r->rec, r->display, NULL) == 0)
            r->o.step(r->display, k, n, r->o.step_arg);
    }
    qaio_trace *out = qaio_trace_new(0, 0);
    if (!out)
        return QAIO_ENOMEM;
    int err = avg_read(r->inst->loop, r->av, r->rec, out, NULL);
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

/* A continuous run is one state machine: every public call and the task's
 * end are events, and `transitions` says for each state what an event
 * does -- the next state and the one action that goes with it, or the
 * error refusing it. Nothing else decides; the task only reads the state
 * (paused: wait; anything but running: end). FREEING is internal: free was
 * called while the task could not be waited for, so its end frees. */
typedef enum cont_state {
    ST_IDLE = QAIO_RUN_IDLE,
    ST_RUNNING = QAIO_RUN_RUNNING,
    ST_PAUSED = QAIO_RUN_PAUSED,
    ST_FAILED = QAIO_RUN_FAILED,
    ST_STOPPING = QAIO_RUN_STOPPING,
    ST_STARTING = QAIO_RUN_STARTING,
    ST_FREEING,
    ST_COUNT
} cont_state;

typedef enum cont_event { EV_START, EV_PAUSE, EV_RESUME, EV_RESTART, EV_STOP, EV_FREE, EV_ENDED, EV_COUNT } cont_event;

typedef enum cont_action {
    A_NONE,
    A_SPAWN,   /* a new averager and task */
    A_PAUSE,   /* drop the record in flight, hold the task */
    A_RESUME,
    A_RESTART, /* a new averager now, k = 0, the next options */
    A_CANCEL,  /* cancel the task; its end is the ENDED event */
    A_DESTROY,
    A_END,     /* the task ended: release the instrument, tell the owner */
    A_RESPAWN  /* the task ended while STARTING: release, then spawn */
} cont_action;

typedef struct transition {
    signed char next; /* -1: refused with err */
    unsigned char action;
    short err;
} transition;

#define GO(s, a) {(signed char)(s), (unsigned char)(a), 0}
#define NO(e) {-1, A_NONE, (short)(e)}

static const transition transitions[ST_COUNT][EV_COUNT] = {
    /*               START                   PAUSE                  RESUME                  RESTART                  STOP                     FREE                    ENDED */
    [ST_IDLE] =     {GO(ST_RUNNING, A_SPAWN), NO(QAIO_EINVAL),       NO(QAIO_EINVAL),        NO(QAIO_EINVAL),         GO(ST_IDLE, A_NONE),     GO(ST_IDLE, A_DESTROY), NO(QAIO_EINVAL)},
    [ST_FAILED] =   {GO(ST_RUNNING, A_SPAWN), NO(QAIO_EINVAL),       NO(QAIO_EINVAL),        NO(QAIO_EINVAL),         GO(ST_FAILED, A_NONE),   GO(ST_IDLE, A_DESTROY), NO(QAIO_EINVAL)},
    [ST_RUNNING] =  {NO(QAIO_EALREADY),       GO(ST_PAUSED, A_PAUSE), NO(QAIO_EINVAL),       GO(ST_RUNNING, A_RESTART), GO(ST_STOPPING, A_CANCEL), GO(ST_FREEING, A_CANCEL), GO(ST_IDLE, A_END)},
    [ST_PAUSED] =   {NO(QAIO_EALREADY),       NO(QAIO_EINVAL),       GO(ST_RUNNING, A_RESUME), GO(ST_RUNNING, A_RESTART), GO(ST_STOPPING, A_CANCEL), GO(ST_FREEING, A_CANCEL), GO(ST_IDLE, A_END)},
    [ST_STOPPING] = {GO(ST_STARTING, A_NONE), NO(QAIO_EINVAL),       NO(QAIO_EINVAL),        NO(QAIO_EINVAL),         GO(ST_STOPPING, A_NONE), GO(ST_FREEING, A_NONE), GO(ST_IDLE, A_END)},
    [ST_STARTING] = {GO(ST_STARTING, A_NONE), NO(QAIO_EINVAL),       NO(QAIO_EINVAL),        NO(QAIO_EINVAL),         GO(ST_STOPPING, A_NONE), GO(ST_FREEING, A_NONE), GO(ST_RUNNING, A_RESPAWN)},
    [ST_FREEING] =  {NO(QAIO_EINVAL),         NO(QAIO_EINVAL),       NO(QAIO_EINVAL),        NO(QAIO_EINVAL),         GO(ST_FREEING, A_NONE),  GO(ST_FREEING, A_NONE), GO(ST_FREEING, A_DESTROY)},
};

#undef GO
#undef NO

struct qaio_continuous {
    qaio_instrument *inst;
    qaio_run_options o;     /* the running options */
    qaio_run_options next;  /* applied at the next start / restart */
    qaio_future *task;      /* our reference while a task runs */
    qaio_event *resume;     /* set unless paused */
    qaio_averager *av;
    qaio_trace *rec;
    qaio_trace *display, *source; /* the last frame's curves */
    qaio_trace *spare;      /* the next frame's curve while it is read: the
                               last one stays whole for whoever draws it */
    qaio__offload *job;     /* the add or read in flight on the executor */
    unsigned avs;           /* averagers made: a record or curve of a
                               replaced one is dropped */
    cont_state st;
    int error;              /* the error that ended the last task */
    unsigned k;
    unsigned gen;           /* bumped by pause / restart: records in flight are dropped */
    unsigned long long records, published; /* records folded in; at the last frame */
    double last_frame;      /* loop time of the last frame */
    qaio_handle flush;      /* the timer that publishes a late frame, or 0 */
};

static void cont_destroy(qaio_continuous *c)
{
    qaio_cancel(c->inst->loop, c->flush);
    qaio_event_free(c->resume);
    qaio_averager_free(c->av);
    qaio_trace_free(c->rec);
    qaio_trace_free(c->display);
    qaio_trace_free(c->source);
    qaio_trace_free(c->spare);
    free(c);
}

static int dispatch(qaio_continuous *c, cont_event ev, int task_err);

/* Reads the averagers into the frame's curves and hands them over. The
 * owner may free c from the callback: nothing touches c after it. */
static void drop_late_frame(qaio_continuous *c);

static int publish(qaio_continuous *c)
{
    drop_late_frame(c);
    unsigned avs = c->avs;
    int err = avg_read(c->inst->loop, c->av, c->rec, c->spare, &c->job);
    if (err)
        return err;
    if (avs != c->avs)
        return 0; /* restarted while it was read: not this run's curve any more */
    qaio_trace *t = c->display;
    c->display = c->spare;
    c->spare = t;
    qaio_frame f = {.curve = c->display, .k = c->k, .n = c->o.averages, .records = c->records};
    if (qaio_spectrum_analyzer_read_source_average(c->inst, c->source) == 0)
        f.source = c->source;
    c->published = c->records;
    c->last_frame = qaio_loop_time(c->inst->loop);
    if (c->o.frame)
        c->o.frame(&f, c->o.frame_arg);
    return 0;
}

static void flush_late_frame(void *arg)
{
    qaio_continuous *c = arg;
    c->flush = 0;
    if (c->job)
        return; /* the task publishes after it: the frame is due by then */
    if (c->published != c->records && (c->st == ST_RUNNING || c->st == ST_PAUSED))
        publish(c);
}

/* After a record: a frame now if the interval has passed (or the block is
 * complete), else one when it will have. */
static int frame_after_record(qaio_continuous *c, bool last)
{
    double due = c->last_frame + c->o.frame_interval_s;
    if (last || c->published == 0 || qaio_loop_time(c->inst->loop) >= due)
        return publish(c);
    if (!c->flush)
        c->flush = qaio_call_at(c->inst->loop, due, flush_late_frame, c);
    return 0;
}

static int cont_loop(qaio_continuous *c)
{
    for (;;) {
        if (c->st == ST_PAUSED) {
            int err = qaio_event_wait(c->resume, QAIO_FOREVER);
            if (err)
                return err;
            continue;
        }
        if (c->st != ST_RUNNING)
            return QAIO_ECANCELED; /* stopped from a callback of this task */
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
        unsigned avs = c->avs;
        err = avg_add(c->inst->loop, c->av, c->rec, 1.0 / (k < n ? k : n), &c->job);
        if (err < 0)
            return err;
        if (avs != c->avs)
            continue; /* restarted meanwhile: the average it joined is gone */
        if (err == 1)
            k = 1;
        c->k = k;
        c->records++;
        if (c->o.step) {
            err = avg_read(c->inst->loop, c->av, c->rec, c->display, &c->job);
            if (err)
                return err;
            if (avs != c->avs)
                continue;
            c->o.step(c->display, k, n, c->o.step_arg);
            if (gen != c->gen || c->st != ST_RUNNING)
                continue; /* the callback paused, restarted or stopped */
        }
        bool last = c->o.single_block && k >= n;
        if (c->o.frame && (err = frame_after_record(c, last)) != 0)
            return err;
        if (last && c->st == ST_RUNNING && gen == c->gen)
            return 0;
    }
}

static int cont_task(void *arg, qaio_future *self)
{
    (void)self;
    qaio_continuous *c = arg;
    int err = cont_loop(c);
    /* Stopped: the records since the last frame are shown before the end
     * (here, in the task: a callback that frees c only marks it). */
    if (err == QAIO_ECANCELED && c->o.frame && c->published != c->records && c->k > 0)
        publish(c);
    return err;
}

static void cont_done(qaio_future *f, void *arg)
{
    qaio_continuous *c = arg;
    dispatch(c, EV_ENDED, qaio_future_error(f));
}

static void drop_late_frame(qaio_continuous *c)
{
    qaio_cancel(c->inst->loop, c->flush);
    c->flush = 0;
}

/* A new averager (so settings changed since apply), the next options,
 * k = 0; a record in flight and a frame not yet shown are dropped. Nothing
 * changes on failure. */
static int fresh_average(qaio_continuous *c)
{
    qaio__offload_wait(c->job); /* the old averager may be in use on a worker */
    qaio_averager *av = qaio_instrument_averager_new(c->inst);
    if (!av)
        return -errno;
    qaio_averager_free(c->av);
    c->av = av;
    c->avs++;
    c->o = c->next;
    c->k = 0;
    c->gen++;
    c->published = c->records;
    drop_late_frame(c);
    return 0;
}

static int spawn(qaio_continuous *c)
{
    if (c->inst->runs)
        return QAIO_EBUSY;
    int err = fresh_average(c);
    if (err)
        return err;
    c->records = c->published = 0;
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
    return 0;
}

/* The task has ended: the instrument is free again. */
static void release(qaio_continuous *c, int err)
{
    c->inst->runs--;
    qaio_future_unref(c->task);
    c->task = NULL;
    drop_late_frame(c);
    c->error = err == QAIO_ECANCELED ? 0 : err;
}

static int act(qaio_continuous *c, cont_action a, cont_state prev, int task_err)
{
    int err = 0;
    switch (a) {
    case A_NONE: break;
    case A_SPAWN:
        err = spawn(c);
        if (err)
            c->st = prev;
        break;
    case A_PAUSE:
        c->gen++;
        qaio_event_clear(c->resume);
        break;
    case A_RESUME: qaio_event_set(c->resume); break;
    case A_RESTART:
        err = fresh_average(c);
        if (err)
            c->st = prev;
        else
            qaio_event_set(c->resume);
        break;
    case A_CANCEL:
        drop_late_frame(c);
        qaio_future_cancel(c->task);
        break;
    case A_DESTROY:
        if (c->task)
            release(c, task_err);
        cont_destroy(c);
        break;
    case A_END:
        release(c, task_err);
        if (c->error)
            c->st = ST_FAILED;
        if (c->o.finished)
            c->o.finished(task_err, c->o.finished_arg); /* last: it may free c */
        break;
    case A_RESPAWN:
        release(c, task_err);
        err = spawn(c);
        if (err) {
            c->st = ST_FAILED;
            c->error = err;
            if (c->o.finished)
                c->o.finished(err, c->o.finished_arg);
        }
        break;
    }
    return err;
}

static int dispatch(qaio_continuous *c, cont_event ev, int task_err)
{
    transition t = transitions[c->st][ev];
    if (t.next < 0)
        return t.err;
    cont_state prev = c->st;
    c->st = (cont_state)t.next;
    return act(c, (cont_action)t.action, prev, task_err);
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
    c->st = ST_IDLE;
    c->resume = qaio_event_new(inst->loop);
    c->rec = qaio_trace_new(0, 0);
    c->display = qaio_trace_new(0, 0);
    c->source = qaio_trace_new(0, 0);
    c->spare = qaio_trace_new(0, 0);
    if (!c->resume || !c->rec || !c->display || !c->source || !c->spare) {
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

static int event(qaio_continuous *c, cont_event ev)
{
    int err = check_cont(c);
    return err ? err : dispatch(c, ev, 0);
}

int qaio_continuous_start(qaio_continuous *c) { return event(c, EV_START); }
int qaio_continuous_pause(qaio_continuous *c) { return event(c, EV_PAUSE); }
int qaio_continuous_resume(qaio_continuous *c) { return event(c, EV_RESUME); }
int qaio_continuous_restart(qaio_continuous *c) { return event(c, EV_RESTART); }
int qaio_continuous_request_stop(qaio_continuous *c) { return event(c, EV_STOP); }

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
    int err = event(c, EV_STOP);
    if (err || !c->task || qaio_current_task() == c->task)
        return err; /* idle, or from the run's own callback: it ends after it */
    /* cont_done was registered first, so it has run when this returns. */
    qaio_future *t = qaio_future_ref(c->task);
    err = qaio_await(t, NULL);
    if (qaio_future_done(t))
        err = 0;
    qaio_future_unref(t);
    return err;
}

qaio_run_state qaio_continuous_state(const qaio_continuous *c)
{
    if (!c)
        return QAIO_RUN_IDLE;
    return c->st == ST_FREEING ? QAIO_RUN_STOPPING : (qaio_run_state)c->st;
}

unsigned qaio_continuous_count(const qaio_continuous *c) { return c ? c->k : 0; }

int qaio_continuous_error(const qaio_continuous *c) { return c ? c->error : QAIO_EINVAL; }

int qaio_continuous_read(const qaio_continuous *c, qaio_trace *out)
{
    int err = out ? check_cont(c) : QAIO_EINVAL;
    if (err)
        return err;
    if (!c->av || c->k == 0)
        return QAIO_EAGAIN; /* nothing averaged since the (re)start */
    qaio__offload_wait(c->job); /* a record being folded in: its end */
    return qaio_averager_read(c->av, out);
}

void qaio_continuous_free(qaio_continuous *c)
{
    /* Off its thread it could neither stop the run nor wait for it. */
    if (check_cont(c) != 0)
        return;
    /* Freeing is not an event the owner needs told. */
    c->o.step = NULL;
    c->o.frame = NULL;
    c->o.finished = NULL;
    if (c->task && qaio_current_task() != c->task)
        qaio_continuous_stop(c); /* waits, so the instrument is free after */
    /* Idle: destroyed now. Still running (called from the run's callback,
     * or the wait was itself cancelled): the run's end destroys it. */
    dispatch(c, EV_FREE, 0);
}
