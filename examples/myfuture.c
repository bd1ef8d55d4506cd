/* The MyFuture design in C: result() on a pending future spins a nested Qt
 * event loop, so straight-line code can wait for something the event loop
 * delivers later -- while timers (and, in a GUI, painting) keep running.
 *
 * Original: MyFuture of the design qaio started from (Python and quamash):
 * a Future whose result() execs a QEventLoop that its done-callback quits.
 * What differs: the C future does this itself (qaio_future_result outside
 * a task), with a timeout; the "instrument" is a timer.
 *
 *   $ ./myfuture
 *   tick 1 ... tick 4
 *   measured 0.42 V after 0.25 s
 */
#include <stdio.h>
#include <stdlib.h>
#include <qaio.h>

static qaio_future *reading;
static int ticks;

static void tick(void *arg)
{
    qaio_loop *loop = arg;
    printf("tick %d (the loop keeps running while main waits)\n", ++ticks);
    if (!qaio_future_done(reading))
        qaio_call_later(loop, 0.05, tick, loop);
}

/* Stands in for an instrument that answers a quarter of a second later. */
static void instrument_answers(void *arg)
{
    (void)arg;
    double *volts = malloc(sizeof *volts);
    *volts = 0.42;
    qaio_future_set_result(reading, volts, free);
}

int main(void)
{
    qaio_loop *loop = qaio_loop_get(); /* creates a QCoreApplication */
    reading = qaio_future_new(loop);
    double t0 = qaio_loop_time(loop);
    qaio_call_later(loop, 0.25, instrument_answers, NULL);
    qaio_call_soon(loop, tick, loop);

    void *value;
    int err = qaio_future_result_timeout(reading, 5.0, &value); /* nested loop */
    if (err) {
        fprintf(stderr, "myfuture: %s\n", qaio_strerror(err));
        return 1;
    }
    printf("measured %.2f V after %.2f s\n", *(double *)value, qaio_loop_time(loop) - t0);
    qaio_future_unref(reading); /* frees the value with free() */
    qaio_loop_close(loop);
    return 0;
}
