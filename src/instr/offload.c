/* A record's computation on the executor: the job carries its own
 * completion flag under a mutex, because the task's wait can end early
 * (cancellation) while the worker still writes into the caller's buffers;
 * the caller then blocks on the flag instead of the future. */
#include "offload.h"

#include <pthread.h>
#include <stdlib.h>

#include "qaio/executor.h"
#include "qaio/future.h"
#include "qaio/task.h"

struct qaio__offload {
    int (*fn)(void *arg);
    void *arg;
    int result;
    bool finished;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

static void job_free(qaio__offload *job)
{
    pthread_cond_destroy(&job->cond);
    pthread_mutex_destroy(&job->lock);
    free(job);
}

static void *job_run(void *arg)
{
    qaio__offload *job = arg;
    int r = job->fn(job->arg);
    pthread_mutex_lock(&job->lock);
    job->result = r;
    job->finished = true;
    pthread_cond_broadcast(&job->cond);
    pthread_mutex_unlock(&job->lock);
    return NULL;
}

void qaio__offload_wait(qaio__offload *job)
{
    if (!job)
        return;
    pthread_mutex_lock(&job->lock);
    while (!job->finished)
        pthread_cond_wait(&job->cond, &job->lock);
    pthread_mutex_unlock(&job->lock);
}

int qaio__offload_run(qaio_loop *loop, size_t samples, int (*fn)(void *arg), void *arg,
                      qaio__offload **inflight)
{
    if (samples < QAIO__OFFLOAD_MIN_SAMPLES || !qaio_in_task())
        return fn(arg);
    qaio__offload *job = calloc(1, sizeof *job);
    if (!job)
        return fn(arg);
    job->fn = fn;
    job->arg = arg;
    pthread_mutex_init(&job->lock, NULL);
    pthread_cond_init(&job->cond, NULL);
    qaio_future *f = qaio_run_in_executor(loop, job_run, job);
    if (!f) {
        job_free(job);
        return fn(arg);
    }
    if (inflight)
        *inflight = job;
    /* A cancelled task's wait ends at once (cancellation is sticky); the
     * worker may still be writing, so it is waited for here either way,
     * and its work counts: the task meets the cancellation at its next
     * wait, as when fn ran inline. */
    qaio_await(f, NULL);
    qaio_future_unref(f);
    qaio__offload_wait(job);
    if (inflight)
        *inflight = NULL;
    int r = job->result;
    job_free(job);
    return r;
}
