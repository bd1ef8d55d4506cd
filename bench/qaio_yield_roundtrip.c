/* yield_roundtrip, qaio: one task calls qaio_yield() N times; each call
 * queues the task's wake-up with call_soon, switches back to the loop, and
 * is resumed in the next pass (asyncio's `await asyncio.sleep(0)`). No other
 * task runs, so this is the bare cost of a suspend/resume through the loop.
 * Reports ns per round trip. */
#include <qaio.h>

#include "bench.h"

static int yielder(void *arg, qaio_future *self)
{
    (void)self;
    bench_opts *o = arg;
    double per[BENCH_MAX_REPS];
    for (int r = 0; r < o->reps; r++) {
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o->n; i++) {
            int err = qaio_yield();
            if (err)
                return err;
        }
        per[r] = (double)(bench_now_ns() - t0) / (double)o->n;
    }
    bench_report("yield_roundtrip", bench_impl("qaio", 1), o->n, per, o->reps, "ns/op", NULL);
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    qaio_loop_get();
    int err = qaio_run(yielder, &o, NULL);
    if (err)
        return fprintf(stderr, "qaio_yield_roundtrip: %s\n", qaio_strerror(err)), 1;
    return 0;
}
