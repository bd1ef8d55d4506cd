/* asyncio.gather: three computations run at once, results in call order.
 *
 * Original: the gather example of Python's "Coroutines and Tasks" page
 * (factorial(name, number) for A=2, B=3, C=4, each step awaiting
 * asyncio.sleep(1)), as adapted in gather.py of the UW Python certificate's
 * async lesson (UWPCE-PythonCert/ProgrammingInPython).
 *
 * What differs: each factorial is a task (qaio_spawn) and qaio_gather()
 * makes one future of the three; its value is the array of their values,
 * in input order. Steps sleep 0.1 s, and the results are printed with the
 * time taken: about the longest task's (0.3 s), not the sum of all steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <qaio.h>

typedef struct {
    const char *name;
    int number;
} factorial_args;

static int factorial(void *arg, qaio_future *self)
{
    factorial_args *a = arg;
    long *f = malloc(sizeof *f);
    if (!f)
        return QAIO_ENOMEM;
    *f = 1;
    for (int i = 2; i <= a->number; i++) {
        printf("Task %s: Compute factorial(%d)...\n", a->name, i);
        int err = qaio_sleep(0.1); /* a longer computation */
        if (err) {
            free(f);
            return err;
        }
        *f *= i;
    }
    printf("Task %s: factorial(%d) = %ld\n", a->name, a->number, *f);
    return qaio_future_set_result(self, f, free); /* the future owns f */
}

static int main_task(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_loop *loop = qaio_loop_get();
    factorial_args args[] = {{"A", 2}, {"B", 3}, {"C", 4}};
    qaio_future *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = qaio_spawn(loop, factorial, &args[i]);
    double t0 = qaio_loop_time(loop);
    qaio_future *all = qaio_gather(tasks, 3);
    void *value;
    int err = all ? qaio_await(all, &value) : QAIO_ENOMEM;
    if (!err) {
        long **results = value; /* borrowed from the tasks while `all` lives */
        double took = qaio_loop_time(loop) - t0;
        printf("results: %ld %ld %ld in %.2f s (%s the 0.6 s of all the steps)\n", *results[0],
               *results[1], *results[2], took, took < 0.6 ? "less than" : "NOT less than");
    }
    qaio_future_unref(all);
    for (int i = 0; i < 3; i++)
        qaio_future_unref(tasks[i]);
    return err;
}

int main(void)
{
    int err = qaio_run(main_task, NULL, NULL);
    qaio_loop_close(qaio_loop_get());
    if (err) {
        fprintf(stderr, "asyncio_gather: %s\n", qaio_strerror(err));
        return 1;
    }
    return 0;
}
