/* tworoutine's double_slowly: one function, called from plain code and
 * from inside a task, with the same code and no wrapper.
 *
 * Original: the README of gsmecher/tworoutine ("Tworoutines"): the
 * @tworoutine decorator makes `async def double_slowly(x)` (sleep 0.1 s,
 * return 2*x) callable synchronously -- double_slowly(1) blocks and
 * returns 2 -- and asynchronously through the inverted wrapper
 * `await (~double_slowly)(2)`; it needs the nest_asyncio patch, since
 * asyncio refuses nested loops.
 *
 * What differs: nothing to decorate or invert. A qaio wait suspends the
 * task it runs in, and outside a task it runs a nested Qt loop, so the
 * plain C function below is both the synchronous and the asynchronous
 * version. Called from two tasks at once, the two 0.1 s waits overlap.
 */
#include <stdio.h>
#include <qaio.h>

/* Returns 0 with *out = 2x after 0.1 s, or QAIO_ECANCELED. */
static int double_slowly(int x, int *out)
{
    int err = qaio_sleep(0.1);
    if (!err)
        *out = 2 * x;
    return err;
}

/* The asynchronous caller: the same call, inside a task. */
static int doubler(void *arg, qaio_future *self)
{
    (void)self;
    int *x = arg;
    int r = 0;
    int err = double_slowly(*x, &r);
    if (!err)
        printf("double_slowly(%d) = %d (in task '%s')\n", *x, r,
               qaio_task_name(qaio_current_task()));
    return err;
}

int main(void)
{
    qaio_loop *loop = qaio_loop_get();

    /* Synchronously, from plain code: blocks on a nested loop. */
    int r = 0;
    if (double_slowly(1, &r) == 0)
        printf("double_slowly(1) = %d (plain code, in_task=%d)\n", r, qaio_in_task());

    /* Asynchronously: two tasks, both waiting at the same time. */
    int x2 = 2, x3 = 3;
    double t0 = qaio_loop_time(loop);
    qaio_future *tasks[2] = {qaio_spawn_named(loop, "two", 0, doubler, &x2),
                             qaio_spawn_named(loop, "three", 0, doubler, &x3)};
    qaio_future *both = qaio_gather(tasks, 2);
    int err = qaio_future_result(both, NULL); /* plain code waiting for tasks */
    double took = qaio_loop_time(loop) - t0;
    printf("two tasks done in %.2f s: %s\n", took,
           took < 0.2 ? "their waits overlapped" : "one after the other?");
    qaio_future_unref(both);
    qaio_future_unref(tasks[0]);
    qaio_future_unref(tasks[1]);
    qaio_loop_close(loop);
    return err ? 1 : 0;
}
