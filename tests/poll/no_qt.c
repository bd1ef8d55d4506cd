/* The core and the io layer with no Qt in the process at all: a plain C
 * program linked against libqaio's C sources on the poll(2) backend. It
 * checks what every layer adds -- timers, futures completed from another
 * thread, tasks, a lock handed between tasks, a stream over a pipe, a
 * child's output through communicate -- and exits non-zero on the first
 * thing that differs. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qaio.h>

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "no_qt.c:%d: %s\n", __LINE__, #cond);            \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static void *complete_later(void *arg)
{
    qaio_future_set_result(arg, (void *)(intptr_t)42, NULL);
    return NULL;
}

static qaio_lock *lock;
static int order[4], norder;

/* Two tasks take the lock in turn; the second waits while the first
 * sleeps holding it. */
static int locker(void *arg, qaio_future *self)
{
    (void)self;
    CHECK(qaio_lock_acquire(lock, 5) == 0);
    order[norder++] = (int)(intptr_t)arg;
    CHECK(qaio_sleep(0.01) == 0);
    order[norder++] = (int)(intptr_t)arg;
    return qaio_lock_release(lock);
}

static int pipe_reader(void *arg, qaio_future *self)
{
    (void)self;
    char buf[16] = {0};
    ssize_t n = qaio_stream_readexactly(arg, buf, 5, 5);
    CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
    return 0;
}

static int main_task(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_loop *loop = qaio_loop_get();

    /* A timer: the sleep lasts at least as long as asked. */
    double t0 = qaio_loop_time(loop);
    CHECK(qaio_sleep(0.02) == 0);
    CHECK(qaio_loop_time(loop) - t0 >= 0.02);

    /* A future completed by another thread wakes this task. */
    qaio_future *f = qaio_future_new(loop);
    pthread_t th;
    CHECK(pthread_create(&th, NULL, complete_later, f) == 0);
    void *v = NULL;
    CHECK(qaio_future_result_timeout(f, 5, &v) == 0 && (intptr_t)v == 42);
    pthread_join(th, NULL);
    qaio_future_unref(f);

    /* A timeout on a future nobody completes. */
    f = qaio_future_new(loop);
    CHECK(qaio_future_result_timeout(f, 0.01, NULL) == QAIO_ETIMEDOUT);
    qaio_future_unref(f);

    /* Tasks and a lock. */
    lock = qaio_lock_new(loop);
    qaio_future *a = qaio_spawn(loop, locker, (void *)1);
    qaio_future *b = qaio_spawn(loop, locker, (void *)2);
    CHECK(qaio_await(a, NULL) == 0 && qaio_await(b, NULL) == 0);
    CHECK(norder == 4 && order[0] == order[1] && order[2] == order[3] && order[0] != order[2]);
    qaio_future_unref(a);
    qaio_future_unref(b);
    qaio_lock_free(lock);

    /* A stream over a pipe, read by another task. */
    qaio_stream *r, *w;
    CHECK(qaio_open_pipe(loop, &r, &w) == 0);
    qaio_future *rt = qaio_spawn(loop, pipe_reader, r);
    CHECK(qaio_sleep(0.005) == 0);
    CHECK(qaio_stream_write(w, "hello", 5) == 0);
    CHECK(qaio_await(rt, NULL) == 0);
    qaio_future_unref(rt);
    qaio_stream_close(r);
    qaio_stream_close(w);

    /* A child process: its output, its exit status. */
    const char *argv[] = {"sh", "-c", "cat; echo err >&2; exit 3", NULL};
    qaio_process_options o = {.argv = argv};
    for (int i = 0; i < 3; i++)
        o.stdio[i].mode = QAIO_STDIO_PIPE;
    qaio_process *p;
    CHECK(qaio_process_spawn(loop, &o, &p) == 0);
    qaio_process_output out;
    CHECK(qaio_process_communicate(p, "in", 2, 0, 10, &out) == 0);
    CHECK(out.out_len == 2 && memcmp(out.out, "in", 2) == 0);
    CHECK(out.err_len == 4 && memcmp(out.err, "err\n", 4) == 0);
    CHECK(out.returncode == 3);
    qaio_process_output_clear(&out);
    CHECK(qaio_process_free(p) == 0);
    return 0;
}

int main(void)
{
    CHECK(qaio_run(main_task, NULL, NULL) == 0);
    CHECK(qaio_loop_close(qaio_loop_get()) == 0);
    puts("no_qt: the core and the io layer ran on the poll backend");
    return 0;
}
