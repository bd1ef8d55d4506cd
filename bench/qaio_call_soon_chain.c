/* call_soon_chain, qaio: each callback qaio_call_soon()s the next, N in all,
 * while a 1 ms Qt::PreciseTimer ticks; reports ns per callback and the
 * largest gap between the timer's ticks during the chain (the loop should
 * return to Qt every ~2 ms, so it stays near 2 ms). */
#include <qaio.h>

#include "bench.h"

static qaio_loop *loop;
static long left;
static bench_gap *gap;
static double max_gap_ms;

static void step(void *arg)
{
    (void)arg;
    if (--left > 0) {
        qaio_call_soon(loop, step, NULL);
        return;
    }
    max_gap_ms = bench_gap_end(gap);
    qaio_loop_stop(loop);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    loop = qaio_loop_get();
    gap = bench_qtimer_start(1);
    double per[BENCH_MAX_REPS], gaps[BENCH_MAX_REPS];
    long ticks = 0;
    for (int r = 0; r < o.reps; r++) {
        left = o.n;
        int64_t t0 = bench_now_ns();
        bench_gap_begin(gap);
        qaio_call_soon(loop, step, NULL);
        qaio_loop_run_forever(loop);
        int64_t t1 = bench_now_ns();
        if (left != 0)
            return fprintf(stderr, "chain stopped with %ld left\n", left), 1;
        per[r] = (double)(t1 - t0) / (double)o.n;
        gaps[r] = max_gap_ms;
        ticks += gap->ticks;
    }
    bench_qtimer_stop();
    bench_report("call_soon_chain", bench_impl("qaio", 1), o.n, per, o.reps, "ns/cb",
                 "timer_max_gap_ms=%.3f timer_ticks=%ld", bench_max(gaps, o.reps), ticks / o.reps);
    return 0;
}
