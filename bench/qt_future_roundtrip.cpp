// future_roundtrip, raw Qt reference: what qaio_future_result() does on the
// loop thread, by hand: a QEventLoop, a queued invokeMethod that quits it,
// exec(). Reports ns per round trip.
#include <QCoreApplication>
#include <QEventLoop>

#include "bench.h"

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 100000, 100);
    int app_argc = 1;
    QCoreApplication app(app_argc, argv);
    double per[BENCH_MAX_REPS];
    long done = 0;
    for (int r = 0; r < o.reps; r++) {
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o.n; i++) {
            QEventLoop loop;
            QMetaObject::invokeMethod(&loop, [&loop, &done] { done++; loop.quit(); }, Qt::QueuedConnection);
            loop.exec();
        }
        per[r] = double(bench_now_ns() - t0) / double(o.n);
    }
    if (done != o.n * o.reps)
        return fprintf(stderr, "%ld of %ld round trips completed\n", done, o.n * o.reps), 1;
    bench_report("future_roundtrip", bench_impl("qt/QEventLoop", 1), o.n, per, o.reps, "ns/op", nullptr);
    return 0;
}
