/* asyncio's say(what, when): three tasks that sleep and print, and a fourth
 * that stops the loop before the last one is done.
 *
 * Original: the "Hello World" page of the Asyncio Documentation project
 * (asyncio.readthedocs.io): say(what, when) awaits asyncio.sleep(when) and
 * prints `what`; loop.create_task() starts 'first hello' (2 s), 'second
 * hello' (1 s), 'third hello' (4 s) and stop_after(loop, 3); run_forever()
 * prints "second hello", "first hello", and closing the loop warns "Task was
 * destroyed but it is pending!" about the third.
 *
 * What differs: times are tenths of a second; a task's arguments travel in
 * a struct; and closing the loop does not abandon the third task: qaio
 * cancels it, its qaio_sleep() returns QAIO_ECANCELED and it says so.
 */
#include <stdio.h>
#include <qaio.h>

typedef struct {
    const char *what;
    double when;
} say_args;

static int say(void *arg, qaio_future *self)
{
    (void)self;
    say_args *a = arg;
    int err = qaio_sleep(a->when);
    if (err) {
        printf("%s: %s before it was said\n", a->what, qaio_strerror(err));
        return err;
    }
    printf("%s\n", a->what);
    return 0;
}

static int stop_after(void *arg, qaio_future *self)
{
    (void)self;
    int err = qaio_sleep(*(double *)arg);
    if (!err)
        qaio_loop_stop(qaio_loop_get());
    return err;
}

int main(void)
{
    qaio_loop *loop = qaio_loop_get();
    say_args first = {"first hello", 0.2}, second = {"second hello", 0.1},
             third = {"third hello", 0.4};
    double stop_at = 0.3;
    /* loop.create_task(): a task keeps itself alive, so the reference we are
     * given can be dropped at once. */
    qaio_future_unref(qaio_spawn(loop, say, &first));
    qaio_future_unref(qaio_spawn(loop, say, &second));
    qaio_future_unref(qaio_spawn(loop, say, &third));
    qaio_future_unref(qaio_spawn(loop, stop_after, &stop_at));

    qaio_loop_run_forever(loop);
    printf("loop stopped\n");
    qaio_loop_close(loop); /* cancels the third task and lets it finish */
    printf("loop closed\n");
    return 0;
}
