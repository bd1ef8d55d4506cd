/* Records for the simulator's sessions (scpi_session.h): taken from the
 * shared simulated scope, one acquisition at a time across sessions; an
 * armed record is taken by a task of its own so the session keeps
 * answering (a family polling its trigger status). */
#include "scpi_session.h"

#include <errno.h>
#include <stdlib.h>

#include "qaio/instr/acquisition.h"
#include "qaio/task.h"

/* One armed record, shared by its task and its session until both let
 * go: a session that ends (or aborts) does not wait for the task, which
 * may still be finishing a cancelled wait. */
typedef struct qaio__sim_armed {
    qaio_scpi_server *srv;
    qaio_future *task;
    qaio_trace *rec;
    unsigned count;
    int err;
    int refs;
} armed_rec;

static void armed_unref(armed_rec *a)
{
    if (--a->refs)
        return;
    qaio_future_unref(a->task);
    qaio_trace_free(a->rec);
    free(a);
}

/* Takes one record into rec: 0 or a qaio error. */
static int acquire_into(qaio_scpi_server *srv, qaio_trace *rec, unsigned *count_out)
{
    int err = qaio_lock_acquire(srv->acq_lock, QAIO_FOREVER);
    if (err)
        return err;
    qaio_scope_arm(srv->scope);
    unsigned count = srv->average ? srv->count : 1;
    if (count > 1) {
        qaio_future *f = qaio_instrument_run_single(srv->scope, count);
        void *v = NULL;
        err = f ? qaio_await(f, &v) : -errno;
        if (!err)
            err = qaio_trace_copy_into(rec, v);
        qaio_future_unref(f);
    } else {
        err = qaio_instrument_acquire(srv->scope, rec, QAIO_FOREVER);
    }
    qaio_lock_release(srv->acq_lock);
    *count_out = count;
    return err;
}

static int finish(qaio__scpi_session *s, int err, unsigned count)
{
    if (err == QAIO_ECANCELED)
        return err;
    if (err)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_HARDWARE, qaio_strerror(err));
    s->rec_valid = true;
    s->rec_count = count;
    return 0;
}

int qaio__sim_take(qaio__scpi_session *s)
{
    qaio__sim_abort(s);
    s->rec_valid = false;
    unsigned count = 1;
    int err = acquire_into(s->srv, s->rec, &count);
    return finish(s, err, count);
}

static int armed_main(void *arg, qaio_future *self)
{
    (void)self;
    armed_rec *a = arg;
    a->err = acquire_into(a->srv, a->rec, &a->count);
    return 0;
}

/* Runs however the task ended, even cancelled before it started. */
static void armed_done(qaio_future *task, void *arg)
{
    (void)task;
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
    int err = a->err;
    if (!err) {
        qaio_trace *t = s->rec; /* the record changes hands, no copy */
        s->rec = a->rec;
        a->rec = t;
    }
    unsigned count = a->count;
    armed_unref(a);
    /* The armed record being cancelled is an abort, not an error. */
    return err == QAIO_ECANCELED ? 0 : finish(s, err, count);
}

int qaio__sim_arm(qaio__scpi_session *s)
{
    qaio__sim_abort(s);
    s->rec_valid = false;
    armed_rec *a = calloc(1, sizeof *a);
    if (!a || !(a->rec = qaio_trace_new(0, 0))) {
        free(a);
        return QAIO_ENOMEM;
    }
    a->srv = s->srv;
    a->refs = 2;
    a->task = qaio_spawn_named(s->srv->loop, "sim-record", 0, armed_main, a);
    if (!a->task) {
        qaio_trace_free(a->rec);
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
    /* A session cancelled here cancels the awaited task too (qaio's rule
     * for awaited tasks) and sees QAIO_ECANCELED. */
    int err = qaio_await(s->armed->task, NULL);
    if (err == QAIO_ECANCELED) {
        qaio__sim_abort(s);
        return err;
    }
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
