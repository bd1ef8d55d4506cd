/* call_soon_batch, libuv reference: N no-op calls pushed on a FIFO drained
 * by a uv_idle handle (bench.h: bench_uv_soon, node's setImmediate), then
 * one that calls uv_stop(), then uv_run(). Reports ns per callback. */
#include <uv.h>

#include "bench.h"

static uv_loop_t *loop;
static long ran;

static void noop(void *arg)
{
    (void)arg;
    ran++;
}

static void last(void *arg)
{
    (void)arg;
    uv_stop(loop);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    loop = uv_default_loop();
    bench_uv_init(loop);
    double per[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        ran = 0;
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o.n; i++)
            bench_uv_soon(noop, NULL);
        bench_uv_soon(last, NULL);
        uv_run(loop, UV_RUN_DEFAULT);
        int64_t t1 = bench_now_ns();
        if (ran != o.n)
            return fprintf(stderr, "ran %ld of %ld callbacks\n", ran, o.n), 1;
        per[r] = (double)(t1 - t0) / (double)o.n;
    }
    bench_report("call_soon_batch", "uv/idle", o.n, per, o.reps, "ns/cb", NULL);
    return 0;
}
