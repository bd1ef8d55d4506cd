/* call_soon_chain, libuv reference: each callback schedules the next, N in
 * all, while a 1 ms repeating uv_timer ticks. --mode idle: the next call
 * goes on the uv_idle-drained FIFO (bench.h: bench_uv_soon), so each call
 * costs one loop iteration with a zero-timeout poll; --mode async: the next
 * call is a uv_async_send() to the loop's own thread (an eventfd write and
 * read per call). Reports ns per callback and the timer's largest gap. */
#include <uv.h>

#include "bench.h"

static uv_loop_t *loop;
static uv_async_t async;
static uv_timer_t ticker;
static bench_gap gap;
static long left;
static int use_async;
static double max_gap_ms;

static void step(void *arg);

static void on_async(uv_async_t *h)
{
    (void)h;
    step(NULL);
}

static void step(void *arg)
{
    (void)arg;
    if (--left > 0) {
        if (use_async)
            uv_async_send(&async);
        else
            bench_uv_soon(step, NULL);
        return;
    }
    max_gap_ms = bench_gap_end(&gap);
    uv_stop(loop);
}

static void on_tick(uv_timer_t *h)
{
    (void)h;
    bench_gap_tick(&gap);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    use_async = bench_mode_is(&o, "async", "idle");
    if (!use_async && !bench_mode_is(&o, "idle", "idle"))
        return fprintf(stderr, "--mode idle|async\n"), 2;
    loop = uv_default_loop();
    bench_uv_init(loop);
    uv_async_init(loop, &async, on_async);
    uv_timer_init(loop, &ticker);
    uv_timer_start(&ticker, on_tick, 1, 1);
    double per[BENCH_MAX_REPS], gaps[BENCH_MAX_REPS];
    long ticks = 0;
    for (int r = 0; r < o.reps; r++) {
        left = o.n;
        int64_t t0 = bench_now_ns();
        bench_gap_begin(&gap);
        if (use_async)
            uv_async_send(&async);
        else
            bench_uv_soon(step, NULL);
        uv_run(loop, UV_RUN_DEFAULT);
        int64_t t1 = bench_now_ns();
        if (left != 0)
            return fprintf(stderr, "chain stopped with %ld left\n", left), 1;
        per[r] = (double)(t1 - t0) / (double)o.n;
        gaps[r] = max_gap_ms;
        ticks += gap.ticks;
    }
    bench_report("call_soon_chain", use_async ? "uv/async" : "uv/idle", o.n, per, o.reps, "ns/cb",
                 "timer_max_gap_ms=%.3f timer_ticks=%ld", bench_max(gaps, o.reps), ticks / o.reps);
    return 0;
}
