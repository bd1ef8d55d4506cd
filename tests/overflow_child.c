/* Run by test_task: a task that recurses until it overflows its 64 KiB stack.
 * The process must die with "qaio: task 'deep' overflowed its 64 KiB stack"
 * on stderr, not a bare SIGSEGV. */
#include <qaio.h>
#include <stdio.h>

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

int main(void)
{
    qaio_loop *loop = qaio_loop_get();
    qaio_future *f = qaio_spawn_named(loop, "deep", 64 * 1024, deep, NULL);
    qaio_future_result(f, NULL);
    fprintf(stderr, "overflow_child: the task returned?\n");
    return 0;
}
