// timer_lateness, raw Qt reference: N QTimer::singleShot(ms, Qt::PreciseTimer)
// with each random delay in [1, 100] ms rounded up to whole ms (QTimer's
// unit); lateness is measured against the exact random deadline, as for
// qaio. --mode paced creates them 100 per pass (a queued invokeMethod chain),
// --mode burst all in one callback.
#include <cmath>
#include <vector>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include "bench.h"

namespace {
long n, per_pass, created, fired;
std::vector<double> deadline_ns, late_ms;
uint64_t rng;
QObject *ctx;
QEventLoop *running;

void create()
{
    long end = std::min(created + per_pass, n);
    for (; created < end; created++) {
        double d = bench_delay_s(&rng);
        deadline_ns[created] = double(bench_now_ns()) + d * 1e9;
        long i = created;
        QTimer::singleShot(int(std::ceil(d * 1e3)), Qt::PreciseTimer, ctx, [i] {
            late_ms[i] = (double(bench_now_ns()) - deadline_ns[i]) / 1e6;
            if (++fired == n)
                running->quit();
        });
    }
    if (created < n)
        QMetaObject::invokeMethod(ctx, create, Qt::QueuedConnection);
}
} // namespace

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 10000, 200);
    bool paced = bench_mode_is(&o, "paced", "paced");
    if (!paced && !bench_mode_is(&o, "burst", "paced"))
        return fprintf(stderr, "--mode paced|burst\n"), 2;
    int app_argc = 1;
    QCoreApplication app(app_argc, argv);
    QObject context;
    ctx = &context;
    n = o.n;
    per_pass = paced ? BENCH_TIMERS_PER_PASS : n;
    deadline_ns.resize(size_t(n));
    late_ms.resize(size_t(n));
    bench_late l{};
    for (int r = 0; r < o.reps; r++) {
        QEventLoop loop;
        running = &loop;
        rng = 12345 + uint64_t(r);
        created = fired = 0;
        QMetaObject::invokeMethod(ctx, create, Qt::QueuedConnection);
        loop.exec();
        bench_late_add(&l, late_ms.data(), n);
    }
    bench_late_report(&l, bench_impl("qt/QTimer", 1), n, paced ? "paced" : "burst");
    return 0;
}
