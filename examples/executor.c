/* run_in_executor: a blocking function on a worker thread, while small
 * tasks keep running on the loop.
 *
 * Original: async_executor.py of the UW Python certificate's async lesson
 * (UWPCE-PythonCert/ProgrammingInPython): four small_task(num) coroutines
 * print "task: num run" at random intervals forever, and slow_task() calls
 * slow_function(duration) -- time.sleep() for 2..10 s -- through
 * loop.run_in_executor(); the commented-out direct call shows the loop
 * freezing instead.
 *
 * What differs: both calls are made, one after the other, and counted:
 * called directly, slow_function blocks the loop and no small task runs;
 * through qaio_run_in_executor() (qaio's own thread pool) they keep
 * running. slow_function sleeps 0.3 s; the small tasks live in a task group
 * that is cancelled at the end, so the program ends by itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <qaio.h>

static int runs; /* small-task turns so far */

static int small_task(void *arg, qaio_future *self)
{
    (void)self;
    unsigned seed = (unsigned)(size_t)arg;
    for (;;) {
        runs++;
        int err = qaio_sleep(0.01 * (1 + rand_r(&seed) % 5));
        if (err)
            return err; /* QAIO_ECANCELED when the group is cancelled */
    }
}

/* A function that blocks its thread, like a driver without async I/O. */
static void *slow_function(void *arg)
{
    double duration = *(double *)arg;
    struct timespec ts = {0, (long)(duration * 1e9)};
    nanosleep(&ts, NULL);
    return arg;
}

static int slow_task(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_loop *loop = qaio_loop_get();
    qaio_task_group *small = qaio_task_group_new(loop);
    if (!small)
        return QAIO_ENOMEM;
    for (size_t i = 1; i <= 4; i++)
        qaio_future_unref(qaio_task_group_spawn(small, "small_task", small_task, (void *)i));
    int err = qaio_sleep(0.05);

    double duration = 0.3;
    if (!err) {
        printf("running the slow function directly: blocking!\n");
        int before = runs;
        slow_function(&duration); /* the loop's thread sleeps: nothing else runs */
        printf("direct call done: small tasks ran %d times meanwhile\n", runs - before);
    }
    if (!err) {
        printf("running the slow function in the executor\n");
        int before = runs;
        qaio_future *f = qaio_run_in_executor(loop, slow_function, &duration);
        void *result = NULL;
        err = f ? qaio_await(f, &result) : QAIO_ENOMEM;
        if (!err)
            printf("executor call done (%.1f s): small tasks ran %d times meanwhile\n",
                   *(double *)result, runs - before);
        qaio_future_unref(f);
    }
    qaio_task_group_free(small); /* cancels the small tasks and waits for them */
    return err;
}

int main(void)
{
    printf("about to run loop\n");
    int err = qaio_run(slow_task, NULL, NULL);
    qaio_loop_close(qaio_loop_get());
    if (err) {
        fprintf(stderr, "executor: %s\n", qaio_strerror(err));
        return 1;
    }
    printf("loop exited\n");
    return 0;
}
