/* call_soon_batch, qaio: qaio_call_soon() N no-op callbacks, then one that
 * stops the loop, then qaio_loop_run_forever() until it does. Reports ns per
 * callback (scheduling + running), and the two halves as extras. */
#include <qaio.h>

#include "bench.h"

static qaio_loop *loop;
static long ran;

static void noop(void *arg)
{
    (void)arg;
    ran++;
}

static void last(void *arg)
{
    (void)arg;
    qaio_loop_stop(loop);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    loop = qaio_loop_get();
    double per[BENCH_MAX_REPS], sched[BENCH_MAX_REPS], run[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        ran = 0;
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o.n; i++)
            if (!qaio_call_soon(loop, noop, NULL))
                return fprintf(stderr, "qaio_call_soon failed\n"), 1;
        qaio_call_soon(loop, last, NULL);
        int64_t t1 = bench_now_ns();
        qaio_loop_run_forever(loop);
        int64_t t2 = bench_now_ns();
        if (ran != o.n)
            return fprintf(stderr, "ran %ld of %ld callbacks\n", ran, o.n), 1;
        per[r] = (double)(t2 - t0) / (double)o.n;
        sched[r] = (double)(t1 - t0) / (double)o.n;
        run[r] = (double)(t2 - t1) / (double)o.n;
    }
    bench_report("call_soon_batch", bench_impl("qaio", 1), o.n, per, o.reps, "ns/cb",
                 "schedule_ns=%.3f run_ns=%.3f", bench_median(sched, o.reps), bench_median(run, o.reps));
    return 0;
}
