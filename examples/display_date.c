/* display_date: several timer tasks print the time at random intervals
 * until their time is up; a scheduled callback stops the loop.
 *
 * Original: async_timer.py of the UW Python certificate's async lesson
 * (UWPCE-PythonCert/ProgrammingInPython), derived from the display_date()
 * coroutine of Python's asyncio documentation: display_date(num) prints
 * "instance: num Time: ..." and sleeps 0..3 s at random, for 10 s; nineteen
 * instances run at once, and loop.call_later(15, shutdown) stops the loop.
 *
 * What differs: four instances, each running for 0.5 s and sleeping
 * 0.05..0.15 s, and the shutdown after 1 s; each instance has its own seeded
 * random generator (rand_r), as C's rand() is one shared sequence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <qaio.h>

#define INSTANCES 4

static void print_now(int num)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    char hms[16];
    strftime(hms, sizeof hms, "%H:%M:%S", localtime(&tv.tv_sec));
    printf("instance: %d Time: %s.%03ld\n", num, hms, (long)tv.tv_usec / 1000);
}

static int display_date(void *arg, qaio_future *self)
{
    (void)self;
    int num = *(int *)arg;
    unsigned seed = (unsigned)num;
    double end_time = qaio_loop_time(NULL) + 0.5; /* run for half a second */
    for (;;) {
        print_now(num);
        if (qaio_loop_time(NULL) >= end_time) {
            printf("instance: %d is all done\n", num);
            return 0;
        }
        int err = qaio_sleep(0.05 * (1 + rand_r(&seed) % 3)); /* 0.05, 0.1 or 0.15 s */
        if (err)
            return err;
    }
}

static void shutdown(void *arg)
{
    printf("shutdown called\n");
    qaio_loop_stop(arg);
}

int main(void)
{
    qaio_loop *loop = qaio_loop_get();
    int nums[INSTANCES];
    for (int i = 0; i < INSTANCES; i++) {
        nums[i] = i + 1;
        qaio_future_unref(qaio_spawn(loop, display_date, &nums[i]));
    }
    qaio_call_later(loop, 1.0, shutdown, loop); /* stop the loop in 1 s */
    printf("about to run loop\n");
    qaio_loop_run_forever(loop); /* returns after shutdown() */
    printf("loop exited\n");
    qaio_loop_close(loop);
    return 0;
}
