/** qaio/executor.h - running blocking work on a thread pool.
 *
 * Jobs run on qaio's own QThreadPool (not QThreadPool::globalInstance(), so
 * an application's pool is never starved). The job's future belongs to the
 * submitting loop and completes on that loop's thread. Closing the loop
 * never waits for running jobs: a job that finishes after its loop closed
 * has its value freed and is otherwise forgotten.
 *
 * (asyncio puts run_in_executor on the loop; here the executor is a concept
 * of its own with its own header, and qaio.h includes both.)
 * @file
 * @ingroup executor
 */
/** @defgroup executor Executor: blocking work on a thread pool
 * @ingroup core
 * @{ */
#ifndef QAIO_EXECUTOR_H
#define QAIO_EXECUTOR_H

#include "qaio/future.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Runs fn(arg) on a worker thread; the future's result is fn's return value,
 * which the future does not own (no destructor). NULL with errno (EINVAL,
 * -QAIO_ECLOSED, -QAIO_EWRONGTHREAD, ENOMEM). fn is called exactly once, even when the
 * future was cancelled before the job started (so fn may own arg); its
 * result is then dropped. Loop thread; fn runs on a worker. */
qaio_future *qaio_run_in_executor(qaio_loop *loop, void *(*fn)(void *arg), void *arg);

/** @{ */
/** A job that can fail: fn returns 0 and sets *out, or a negative error that
 * becomes the future's error. The future owns *out and frees it with dtor
 * (also when the future was cancelled before the job finished). As with
 * qaio_run_in_executor, fn is called exactly once, so it may own arg. */
typedef int (*qaio_job_fn)(void *arg, void **out);
qaio_future *qaio_executor_call(qaio_loop *loop, qaio_job_fn fn, void *arg, qaio_dtor dtor);
/** @} */

/** Sets the pool's maximum number of threads (default: the number of CPUs,
 * at least 2). Returns 0 or QAIO_EINVAL for n < 1. Any thread. */
int qaio_executor_set_max_threads(int n);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
