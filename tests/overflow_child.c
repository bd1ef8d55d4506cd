/* Run by test_task and test_faults: a task that recurses until it overflows
 * its 64 KiB stack. The process must die with "qaio: task 'NAME' overflowed
 * its 64 KiB stack" on stderr, not a bare SIGSEGV.
 *
 *   overflow_child           the task 'deep', alone, on the main thread's loop
 *   overflow_child thread    the task 'deep-in-thread' on a second thread's
 *                            loop, among sleeping 'bystander' tasks (the
 *                            diagnosis needs that thread's own alternate
 *                            signal stack, and must name the right task) */
#include <pthread.h>
#include <qaio.h>
#include <stdio.h>
#include <string.h>

static volatile int limit = 1 << 30; /* volatile: the compiler cannot see the end */

static int recurse(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    return depth < limit ? recurse(depth + 1) + pad[0] : 0;
}

static int deep(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    return recurse(0);
}

static int bystander(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    return qaio_sleep(60);
}

static void *in_thread(void *arg)
{
    (void)arg;
    qaio_loop *loop = qaio_loop_get();
    for (int i = 0; i < 8; i++)
        qaio_future_unref(qaio_spawn_named(loop, "bystander", 64 * 1024, bystander, NULL));
    qaio_future *f = qaio_spawn_named(loop, "deep-in-thread", 64 * 1024, deep, NULL);
    qaio_future_result(f, NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    qaio_loop *loop = qaio_loop_get(); /* the main thread first: it makes the application */
    if (argc > 1 && strcmp(argv[1], "thread") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, in_thread, NULL) != 0)
            return 2;
        pthread_join(t, NULL);
    } else {
        qaio_future *f = qaio_spawn_named(loop, "deep", 64 * 1024, deep, NULL);
        qaio_future_result(f, NULL);
    }
    fprintf(stderr, "overflow_child: the task returned?\n");
    return 0;
}
