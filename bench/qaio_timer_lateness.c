/* timer_lateness, qaio: N timers at uniform random delays in [1, 100] ms
 * (qaio_call_later, ns deadlines); --mode paced creates them 100 per pass
 * (each pass is a call_soon callback that creates 100 and schedules the
 * next), --mode burst all in one callback. Reports the p99 lateness (ms)
 * and p50/max/early as extras. The timer source is qaio's default (timerfd
 * on Linux) or, with QAIO_TIMER=qtimer, the QTimer fallback. */
#include <stdint.h>
#include <stdlib.h>
#include <qaio.h>

#include "bench.h"

static qaio_loop *loop;
static long n, per_pass, created, fired;
static double *deadline_ns, *late_ms;
static uint64_t rng;

static void fire(void *arg)
{
    long i = (long)(intptr_t)arg;
    late_ms[i] = ((double)bench_now_ns() - deadline_ns[i]) / 1e6;
    if (++fired == n)
        qaio_loop_stop(loop);
}

static void create(void *arg)
{
    (void)arg;
    long end = created + per_pass < n ? created + per_pass : n;
    for (; created < end; created++) {
        double d = bench_delay_s(&rng);
        deadline_ns[created] = (double)bench_now_ns() + d * 1e9;
        if (!qaio_call_later(loop, d, fire, (void *)(intptr_t)created))
            exit((fprintf(stderr, "qaio_call_later failed\n"), 1));
    }
    if (created < n)
        qaio_call_soon(loop, create, NULL);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 10000, 200);
    int paced = bench_mode_is(&o, "paced", "paced");
    if (!paced && !bench_mode_is(&o, "burst", "paced"))
        return fprintf(stderr, "--mode paced|burst\n"), 2;
    const char *src = getenv("QAIO_TIMER");
    const char *base = src && strcmp(src, "qtimer") == 0 ? "qaio/qtimer" : "qaio";
    loop = qaio_loop_get();
    n = o.n;
    per_pass = paced ? BENCH_TIMERS_PER_PASS : n;
    deadline_ns = malloc((size_t)n * sizeof *deadline_ns);
    late_ms = malloc((size_t)n * sizeof *late_ms);
    bench_late l = {0};
    for (int r = 0; r < o.reps; r++) {
        rng = 12345 + (uint64_t)r;
        created = fired = 0;
        qaio_call_soon(loop, create, NULL);
        qaio_loop_run_forever(loop);
        bench_late_add(&l, late_ms, n);
    }
    bench_late_report(&l, bench_impl(base, 1), n, paced ? "paced" : "burst");
    free(deadline_ns);
    free(late_ms);
    return 0;
}
