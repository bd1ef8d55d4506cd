/* ultra_simple: the smallest qaio program, one coroutine run to completion.
 *
 * Original: ultra_simple.py ("Ultra Simple async example") of the async
 * lesson of the University of Washington's Python certificate
 * (UWPCE-PythonCert/ProgrammingInPython): say_lots(num) prints a line and
 * sleeps 1 s, num times, under loop.run_until_complete().
 *
 * What differs: C has no coroutine objects, so say_lots is a task function
 * and qaio_run() (asyncio.run) runs it on the thread's loop until it
 * returns. The sleeps are 0.1 s.
 *
 *   $ ./ultra_simple
 *   This was run by the loop (0)
 *   ...
 *   done with loop
 */
#include <stdio.h>
#include <qaio.h>

static int say_lots(void *arg, qaio_future *self)
{
    (void)self;
    int num = *(int *)arg;
    for (int i = 0; i < num; i++) {
        printf("This was run by the loop (%d)\n", i);
        int err = qaio_sleep(0.1); /* the task suspends; the loop runs on */
        if (err)
            return err;
    }
    return 0;
}

int main(void)
{
    int num = 5;
    int err = qaio_run(say_lots, &num, NULL);
    if (err) {
        fprintf(stderr, "ultra_simple: %s\n", qaio_strerror(err));
        return 1;
    }
    printf("done with loop\n");
    qaio_loop_close(qaio_loop_get());
    return 0;
}
