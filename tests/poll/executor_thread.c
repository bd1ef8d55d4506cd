/* The executor for the Qt-free test builds: one detached thread per job
 * (the library's runs on a QThreadPool). Results go back through the
 * thread-safe future completion, as there. Not part of the library. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include "qaio/executor.h"
#include "core/core_net.h"

typedef struct {
    qaio_future *fut;
    qaio_job_fn fn;
    void *(*plain)(void *);
    void *arg;
    qaio_dtor dtor;
} job;

/* fn runs even if the future was cancelled first: it may own arg. */
static void *run_job(void *p)
{
    job *j = p;
    if (j->plain) {
        qaio_future_set_result(j->fut, j->plain(j->arg), NULL);
    } else {
        void *out = NULL;
        int err = j->fn(j->arg, &out);
        if (err < 0) {
            if (j->dtor && out)
                j->dtor(out);
            if (err == QAIO_ECANCELED)
                qaio_future_cancel(j->fut);
            else
                qaio_future_set_error(j->fut, err, NULL);
        } else {
            qaio_future_set_result(j->fut, out, j->dtor);
        }
    }
    qaio_future_unref(j->fut);
    free(j);
    return NULL;
}

static qaio_future *submit(qaio_loop *loop, qaio_job_fn fn, void *(*plain)(void *), void *arg,
                           qaio_dtor dtor)
{
    int err = (fn || plain) ? qaio__check_loop(loop) : QAIO_EINVAL;
    if (err) {
        errno = -err;
        return NULL;
    }
    qaio_future *fut = qaio_future_new(loop);
    job *j = fut ? malloc(sizeof *j) : NULL;
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (j) {
        *j = (job){qaio_future_ref(fut), fn, plain, arg, dtor};
        if (pthread_create(&th, &attr, run_job, j) != 0) {
            qaio_future_unref(fut);
            free(j);
            j = NULL;
        }
    }
    pthread_attr_destroy(&attr);
    if (!j) {
        qaio_future_unref(fut);
        errno = ENOMEM;
        return NULL;
    }
    return fut;
}

qaio_future *qaio_run_in_executor(qaio_loop *loop, void *(*fn)(void *), void *arg)
{
    return submit(loop, NULL, fn, arg, NULL);
}

qaio_future *qaio_executor_call(qaio_loop *loop, qaio_job_fn fn, void *arg, qaio_dtor dtor)
{
    return submit(loop, fn, NULL, arg, dtor);
}

int qaio_executor_set_max_threads(int n) { return n < 1 ? QAIO_EINVAL : 0; }
