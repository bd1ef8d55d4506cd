/* future_roundtrip, qaio: on the loop thread outside any task, create a
 * pending future, qaio_call_soon() a callback that sets its result, and
 * qaio_future_result() it (a nested QEventLoop runs until it is done).
 * Reports ns per round trip. */
#include <qaio.h>

#include "bench.h"

static int value = 42;

static void complete(void *arg)
{
    qaio_future_set_result(arg, &value, NULL);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 100000, 100);
    qaio_loop *loop = qaio_loop_get();
    double per[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o.n; i++) {
            qaio_future *f = qaio_future_new(loop);
            void *out = NULL;
            if (!f || !qaio_call_soon(loop, complete, f))
                return fprintf(stderr, "setup failed\n"), 1;
            int err = qaio_future_result(f, &out);
            if (err || out != &value)
                return fprintf(stderr, "result: %s\n", qaio_strerror(err)), 1;
            qaio_future_unref(f);
        }
        per[r] = (double)(bench_now_ns() - t0) / (double)o.n;
    }
    bench_report("future_roundtrip", bench_impl("qaio", 1), o.n, per, o.reps, "ns/op", NULL);
    return 0;
}
