/* timer_lateness, libuv reference: N uv_timers with each random delay in
 * [1, 100] ms rounded up to whole ms (uv_timer's unit); lateness is measured
 * against the exact random deadline, as for qaio. --mode paced creates them
 * 100 per pass (a bench_uv_soon chain), --mode burst all in one callback.
 * uv_update_time() is called before each pass's timers are started, as
 * libuv's docs advise after a long callback; libuv's clock still counts
 * whole ms, so a timer can fire up to 1 ms before the exact deadline. */
#include <math.h>
#include <stdlib.h>
#include <uv.h>

#include "bench.h"

static uv_loop_t *loop;
static uv_timer_t *timers;
static long n, per_pass, created, fired;
static double *deadline_ns, *late_ms;
static uint64_t rng;

static void fire(uv_timer_t *t)
{
    long i = (long)(t - timers);
    late_ms[i] = ((double)bench_now_ns() - deadline_ns[i]) / 1e6;
    if (++fired == n)
        uv_stop(loop);
}

static void create(void *arg)
{
    (void)arg;
    long end = created + per_pass < n ? created + per_pass : n;
    uv_update_time(loop);
    for (; created < end; created++) {
        double d = bench_delay_s(&rng);
        deadline_ns[created] = (double)bench_now_ns() + d * 1e9;
        uv_timer_start(&timers[created], fire, (uint64_t)ceil(d * 1e3), 0);
    }
    if (created < n)
        bench_uv_soon(create, NULL);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 10000, 200);
    int paced = bench_mode_is(&o, "paced", "paced");
    if (!paced && !bench_mode_is(&o, "burst", "paced"))
        return fprintf(stderr, "--mode paced|burst\n"), 2;
    loop = uv_default_loop();
    bench_uv_init(loop);
    n = o.n;
    per_pass = paced ? BENCH_TIMERS_PER_PASS : n;
    timers = calloc((size_t)n, sizeof *timers);
    deadline_ns = malloc((size_t)n * sizeof *deadline_ns);
    late_ms = malloc((size_t)n * sizeof *late_ms);
    for (long i = 0; i < n; i++)
        uv_timer_init(loop, &timers[i]);
    bench_late l = {0};
    for (int r = 0; r < o.reps; r++) {
        rng = 12345 + (uint64_t)r;
        created = fired = 0;
        bench_uv_soon(create, NULL);
        uv_run(loop, UV_RUN_DEFAULT);
        bench_late_add(&l, late_ms, n);
    }
    bench_late_report(&l, "uv/uv_timer", n, paced ? "paced" : "burst");
    return 0;
}
