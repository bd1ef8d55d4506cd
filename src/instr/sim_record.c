/* Records for the simulator's sessions (scpi_session.h).
 *
 * The simulated scope is one instrument: it takes one record at a time.
 * A record is taken by a job, a task of its own with a deadline
 * (srv->acquire_timeout_s). Sessions that want a record while a job with
 * the same settings is under way join it and share its result; a session
 * wanting other settings waits for the job to end, bounded by the job's
 * deadline and its own. A job nobody waits for any more is cancelled, so
 * a client that leaves, times out or interrupts itself (*RST, :STOP...)
 * frees the scope at once.
 *
 * Records are immutable and refcounted (qaio__sim_record): every session
 * holding one references it, so a record held by 30 sessions costs one
 * record, and the bytes of all records alive are bounded
 * (srv->max_record_bytes: a job that would go over is refused with -225).
 *
 * An armed record (:SINGle of a family whose single returns at once) is a
 * task of its own that asks for a record as a session would, so the
 * session keeps answering (a family polling its trigger status). */
#include "scpi_session.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

#include "qaio/instr/acquisition.h"
#include "qaio/task.h"

/* get_record's "an interrupting command arrived" (qaio errors are < 0). */
#define ABORTED 1

struct qaio__sim_record {
    int refs;
    qaio_scpi_server *srv;
    qaio_trace *trace;
    unsigned count;
    uint64_t start; /* the stream index of its first sample (the trigger) */
    size_t bytes;   /* counted in srv->record_bytes */
};

typedef struct qaio__sim_job {
    int refs;   /* srv->job while current, the task, each waiter */
    qaio_scpi_server *srv;
    qaio_future *task;
    qaio_scope_settings set; /* the settings it was started with */
    bool average;
    unsigned count;
    double deadline;
    int waiters;
    bool ended, cancelled;
    int err;
    qaio__sim_record *rec;
} job;

/* --- shared records ------------------------------------------------------ */

static qaio__sim_record *record_new(qaio_scpi_server *srv, size_t bytes)
{
    qaio__sim_record *r = calloc(1, sizeof *r);
    if (!r || !(r->trace = qaio_trace_new(0, 0))) {
        free(r);
        return NULL;
    }
    r->refs = 1;
    r->srv = srv;
    r->bytes = bytes;
    srv->records++;
    srv->record_bytes += bytes;
    return r;
}

static qaio__sim_record *record_ref(qaio__sim_record *r)
{
    r->refs++;
    return r;
}

static void record_unref(qaio__sim_record *r)
{
    if (!r || --r->refs)
        return;
    r->srv->records--;
    r->srv->record_bytes -= r->bytes;
    qaio_trace_free(r->trace);
    free(r);
}

/* The bytes a record of these settings takes (float samples). */
static size_t record_bytes(const qaio_scope_settings *set)
{
    size_t nch = (set->channels & 1) + ((set->channels >> 1) & 1);
    return set->points * nch * sizeof(float);
}

/* --- jobs ---------------------------------------------------------------- */

static void job_unref(job *j)
{
    if (--j->refs)
        return;
    record_unref(j->rec);
    qaio_future_unref(j->task);
    free(j);
}

static int job_main(void *arg, qaio_future *self)
{
    (void)self;
    job *j = arg;
    qaio_scpi_server *srv = j->srv;
    double left = j->deadline - qaio_loop_time(srv->loop);
    if (left <= 0) {
        j->err = QAIO_ETIMEDOUT;
        return 0;
    }
    /* The scope acquires with the settings it has now (a session may
     * have changed them since the job was started): joiners compare with
     * those. */
    qaio_scope_get_settings(srv->scope, &j->set);
    qaio_scope_arm(srv->scope);
    srv->acquisitions++;
    if (j->count > 1) {
        qaio_future *f = qaio_instrument_run_single(srv->scope, j->count);
        void *v = NULL;
        int err = f ? qaio_wait_for(f, left, &v) : -errno;
        if (!err)
            err = qaio_trace_copy_into(j->rec->trace, v);
        qaio_future_unref(f);
        j->err = err;
    } else {
        j->err = qaio_instrument_acquire(srv->scope, j->rec->trace, left);
    }
    j->rec->start = qaio_scope_last_start(srv->scope);
    return 0;
}

/* Makes the job's result final once its task is done: idempotent, as
 * both the done callback and a waiter that sees the task done first
 * (done callbacks run in a later loop pass) call it. */
static void job_settle(job *j)
{
    qaio_scpi_server *srv = j->srv;
    if (j->ended)
        return;
    if (qaio_future_cancelled(j->task) && !j->err)
        j->err = QAIO_ECANCELED;
    j->ended = true;
    if (j->err) {
        record_unref(j->rec); /* its memory goes back now, not with the last waiter */
        j->rec = NULL;
    }
    if (srv->job == j) {
        srv->job = NULL;
        j->refs--; /* srv->job's; the task's is still there */
    }
}

/* Runs however the task ended, even cancelled before it started. */
static void job_done(qaio_future *task, void *arg)
{
    (void)task;
    job *j = arg;
    job_settle(j);
    j->srv->jobs--;
    job_unref(j); /* the task's */
}

static int job_start(qaio_scpi_server *srv, job **out)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return QAIO_ENOMEM;
    qaio_scope_get_settings(srv->scope, &j->set);
    size_t bytes = record_bytes(&j->set);
    if (srv->record_bytes + bytes > srv->max_record_bytes) {
        free(j);
        return QAIO_EOVERFLOW; /* -225: the records alive are at the bound */
    }
    j->srv = srv;
    j->average = srv->average;
    j->count = srv->average ? srv->count : 1;
    j->deadline = qaio_loop_time(srv->loop) + srv->acquire_timeout_s;
    j->rec = record_new(srv, bytes);
    if (!j->rec) {
        free(j);
        return QAIO_ENOMEM;
    }
    j->rec->count = j->count;
    j->refs = 2; /* srv->job and the task */
    j->task = qaio_spawn_named(srv->loop, "sim-acquire", 0, job_main, j);
    if (!j->task) {
        record_unref(j->rec);
        free(j);
        return QAIO_ENOMEM;
    }
    if (qaio_future_add_done_callback(j->task, job_done, j)) {
        /* Out of memory: the task may still start and use j, so j stays
         * allocated (a leak, on a path that is already failing). */
        qaio_future_cancel(j->task);
        return QAIO_ENOMEM;
    }
    srv->jobs++;
    srv->job = j;
    *out = j;
    return 0;
}

static bool same_settings(const qaio_scope_settings *a, const qaio_scope_settings *b)
{
    return a->points == b->points && a->rate == b->rate && a->channels == b->channels &&
           a->trigger == b->trigger && a->slope == b->slope &&
           a->trigger_source == b->trigger_source && a->trigger_level == b->trigger_level &&
           a->auto_timeout_s == b->auto_timeout_s && a->latency_s == b->latency_s &&
           a->pretrigger == b->pretrigger;
}

/* May a new asker share j's record? Only a job still running with the
 * settings the scope has now. */
static bool joinable(const job *j)
{
    qaio_scpi_server *srv = j->srv;
    qaio_scope_settings now;
    qaio_scope_get_settings(srv->scope, &now);
    unsigned count = srv->average ? srv->count : 1;
    return !j->ended && !j->cancelled && j->average == srv->average && j->count == count &&
           same_settings(&j->set, &now);
}

/* --- waiting ------------------------------------------------------------- */

bool qaio__scpi_interrupted(const qaio__scpi_session *s)
{
    return s->gone || s->abort_before > s->line_no;
}

/* Waits until fut is done, left seconds at most, or (s not NULL) an
 * interrupting command arrives: 0, ABORTED, QAIO_ETIMEDOUT or
 * QAIO_ECANCELED (the waiting task was cancelled). */
static int wait_done(qaio__scpi_session *s, qaio_future *fut, double left)
{
    if (!s)
        return qaio_wait_any(&fut, 1, left, NULL);
    if (qaio__scpi_interrupted(s))
        return ABORTED;
    s->interrupt = qaio_future_new(s->srv->loop);
    if (!s->interrupt)
        return QAIO_ENOMEM;
    qaio_future *futs[2] = {fut, s->interrupt};
    size_t which = 0;
    int err = qaio_wait_any(futs, 2, left, &which);
    qaio_future_unref(s->interrupt);
    s->interrupt = NULL;
    if (!err && which == 1)
        return ABORTED;
    return err;
}

/* How long past a job's deadline its waiters wait for it to end: the
 * job's own waits end at the deadline, this is for the loop's pass. */
#define GRACE_S 0.5

/* Gets a record for s (NULL: an armed record's task): a reference in
 * *out, or ABORTED or a qaio error. A record under way with other
 * settings is waited for first (it ends by its own deadline); then the
 * record s shares or starts, bounded by that job's deadline. deadline
 * caps the whole. */
static int get_record(qaio_scpi_server *srv, qaio__scpi_session *s, double deadline,
                      qaio__sim_record **out)
{
    *out = NULL;
    for (;;) {
        if (s && qaio__scpi_interrupted(s))
            return ABORTED;
        double t = qaio_loop_time(srv->loop);
        if (deadline - t <= 0)
            return QAIO_ETIMEDOUT;
        if (srv->job && qaio_future_done(srv->job->task))
            job_settle(srv->job); /* ended, its callback not run yet */
        job *j = srv->job;
        /* A job ends by its deadline; one overdue (a stuck cancel) is
         * waited for up to ours. Never a negative wait: that is none. */
        double left = j ? fmin(deadline, j->deadline + GRACE_S) - t : 0;
        if (left <= 0)
            left = deadline - t;
        if (j && !joinable(j)) {
            /* Another record is being taken: one at a time. */
            j->refs++;
            int err = wait_done(s, j->task, left);
            job_unref(j);
            if (err && err != QAIO_ETIMEDOUT)
                return err;
            continue;
        }
        if (j) {
            srv->shared++;
        } else {
            int err = job_start(srv, &j);
            if (err)
                return err;
            left = fmin(deadline, j->deadline + GRACE_S) - t;
        }
        j->refs++;
        j->waiters++;
        int err = wait_done(s, j->task, left);
        j->waiters--;
        if (qaio_future_done(j->task))
            job_settle(j);
        if (j->ended) {
            err = j->err;
            if (!err)
                *out = record_ref(j->rec);
        } else if (j->waiters == 0) {
            /* Nobody wants this record any more: free the scope. */
            j->cancelled = true;
            qaio_future_cancel(j->task);
        }
        job_unref(j);
        return err;
    }
}

/* The whole of a record call's wait: the record under way, then its own. */
static double call_deadline(qaio_scpi_server *srv)
{
    return qaio_loop_time(srv->loop) + 2 * (srv->acquire_timeout_s + GRACE_S);
}

/* --- the session's record ------------------------------------------------ */

/* One armed record, shared by its task and its session until both let
 * go: a session that ends (or aborts) does not wait for the task, which
 * may still be finishing a cancelled wait. */
typedef struct qaio__sim_armed {
    qaio_scpi_server *srv;
    qaio_future *task;
    qaio__sim_record *rec;
    double deadline;
    int err;
    int refs;
} armed_rec;

static void armed_unref(armed_rec *a)
{
    if (--a->refs)
        return;
    qaio_future_unref(a->task);
    record_unref(a->rec);
    free(a);
}

void qaio__sim_release(qaio__scpi_session *s)
{
    record_unref(s->held);
    s->held = NULL;
    s->rec = s->srv->empty;
    s->rec_valid = false;
    s->pre_pending = false;
}

static void hold(qaio__scpi_session *s, qaio__sim_record *r)
{
    qaio__sim_release(s);
    s->held = r;
    s->rec = r->trace;
    s->rec_valid = true;
    s->rec_count = r->count;
}

/* A record call's failure as SCPI sees it: 0 with the error queued, or the
 * fatal QAIO_ECANCELED (the session is ending). */
static int failed(qaio__scpi_session *s, int err)
{
    switch (err) {
    case ABORTED:
        return qaio__sim_fail(s, QAIO_SCPI_ERR_QUERY_INTERRUPTED, "acquisition aborted");
    case QAIO_ECANCELED:
        return s->gone ? 0 : err;
    case QAIO_ETIMEDOUT:
        return qaio__sim_fail(s, QAIO_SCPI_ERR_HARDWARE, "acquisition timed out");
    case QAIO_EOVERFLOW:
        return qaio__sim_fail(s, QAIO_SCPI_ERR_OUT_OF_MEMORY, "records at the server's bound");
    default:
        return qaio__sim_fail(s, QAIO_SCPI_ERR_HARDWARE, qaio_strerror(err));
    }
}

int qaio__sim_take(qaio__scpi_session *s)
{
    qaio__sim_abort(s);
    qaio__sim_release(s);
    qaio__sim_record *r;
    s->oper_event |= 0x10; /* :STATus:OPERation MEASuring */
    int err = get_record(s->srv, s, call_deadline(s->srv), &r);
    if (err)
        return failed(s, err);
    hold(s, r);
    /* Every session sharing the record wakes at once: one whose peer
     * still has responses to read lets those that keep up encode and
     * send theirs first (a client pipelining queries it never reads then
     * costs the others no latency). */
    if (qaio__scpi_lagging(s))
        qaio_yield();
    return 0;
}

static int armed_main(void *arg, qaio_future *self)
{
    (void)self;
    armed_rec *a = arg;
    a->err = get_record(a->srv, NULL, a->deadline, &a->rec);
    return 0;
}

/* Runs however the task ended, even cancelled before it started. */
static void armed_done(qaio_future *task, void *arg)
{
    armed_rec *a = arg;
    if (qaio_future_cancelled(task) && !a->err)
        a->err = QAIO_ECANCELED;
    a->srv->background--;
    armed_unref(a);
}

/* Collects a finished background record: 0 or a fatal error. */
static int collect(qaio__scpi_session *s)
{
    armed_rec *a = s->armed;
    s->armed = NULL;
    /* Cancelled before it ran, with armed_done not run yet: no record. */
    int err = a->err ? a->err : a->rec ? 0 : QAIO_ECANCELED;
    if (!err) {
        hold(s, a->rec); /* the reference changes hands */
        a->rec = NULL;
    }
    armed_unref(a);
    /* The armed record being cancelled is an abort, not an error. */
    return err == QAIO_ECANCELED || !err ? 0 : failed(s, err);
}

int qaio__sim_arm(qaio__scpi_session *s)
{
    qaio__sim_abort(s);
    qaio__sim_release(s);
    armed_rec *a = calloc(1, sizeof *a);
    if (!a)
        return QAIO_ENOMEM;
    a->srv = s->srv;
    a->refs = 2;
    a->deadline = call_deadline(s->srv);
    a->task = qaio_spawn_named(s->srv->loop, "sim-record", 0, armed_main, a);
    if (!a->task) {
        free(a);
        return QAIO_ENOMEM;
    }
    if (qaio_future_add_done_callback(a->task, armed_done, a)) {
        /* Out of memory: the task may still start and use a, so a stays
         * allocated (a leak, on a path that is already failing). */
        qaio_future_cancel(a->task);
        return QAIO_ENOMEM;
    }
    s->srv->background++;
    s->armed = a;
    s->oper_event |= 0x30; /* MEASuring, waiting for TRIGger */
    return 0;
}

int qaio__sim_status(qaio__scpi_session *s)
{
    if (s->armed && !qaio_future_done(s->armed->task))
        return QAIO__SIM_WAITING;
    if (s->armed)
        collect(s);
    return s->rec_valid ? QAIO__SIM_HELD : QAIO__SIM_IDLE;
}

int qaio__sim_wait(qaio__scpi_session *s)
{
    if (!s->armed)
        return 0;
    /* The armed task has its own deadline; an interrupting command stops
     * the wait (and the record: it is what the command interrupts). */
    int err = wait_done(s, s->armed->task, -1);
    if (err == ABORTED || err == QAIO_ECANCELED) {
        qaio__sim_abort(s);
        return err == ABORTED ? 0 : failed(s, err);
    }
    if (err)
        return failed(s, err);
    return collect(s);
}

void qaio__sim_abort(qaio__scpi_session *s)
{
    if (!s->armed)
        return;
    qaio_future_cancel(s->armed->task);
    armed_unref(s->armed);
    s->armed = NULL;
}

const qaio_trace *qaio__sim_held(const qaio__scpi_session *s)
{
    return s->rec_valid ? s->rec : NULL;
}

uint64_t qaio__sim_held_start(const qaio__scpi_session *s)
{
    return s->held ? s->held->start : 0;
}

qaio_trace *qaio__sim_own(qaio__scpi_session *s)
{
    qaio__sim_record *from = s->held;
    if (!from)
        return NULL;
    if (from->refs == 1)
        return from->trace; /* nobody else sees it */
    qaio_scpi_server *srv = s->srv;
    if (srv->record_bytes + from->bytes > srv->max_record_bytes) {
        qaio__sim_fail(s, QAIO_SCPI_ERR_OUT_OF_MEMORY, "records at the server's bound");
        return NULL;
    }
    qaio__sim_record *r = record_new(srv, from->bytes);
    if (!r || qaio_trace_copy_into(r->trace, from->trace)) {
        record_unref(r);
        qaio__sim_fail(s, QAIO_SCPI_ERR_OUT_OF_MEMORY, NULL);
        return NULL;
    }
    r->count = from->count;
    r->start = from->start;
    hold(s, r); /* drops the session's reference to the shared one */
    return r->trace;
}
