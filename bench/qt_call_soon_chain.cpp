// call_soon_chain, raw Qt reference: each callback queues the next, N in
// all, while a 1 ms Qt::PreciseTimer ticks. --mode invoke:
// QMetaObject::invokeMethod(obj, fn, Qt::QueuedConnection); singleshot:
// QTimer::singleShot(0, obj, fn); postevent: QCoreApplication::postEvent of
// a custom event. Reports ns per callback and the timer's largest gap.
#include <QCoreApplication>
#include <QEvent>
#include <QEventLoop>
#include <QTimer>

#include "bench.h"

namespace {
enum { Invoke, SingleShot, PostEvent } mode;
long left;
QEventLoop *running;
bench_gap *gap;
double max_gap_ms;
const QEvent::Type kStep = QEvent::Type(QEvent::User + 1);

struct Target : QObject {
    bool event(QEvent *e) override;
} *target;

void step()
{
    if (--left == 0) {
        max_gap_ms = bench_gap_end(gap);
        running->quit();
    } else if (mode == Invoke) {
        QMetaObject::invokeMethod(target, step, Qt::QueuedConnection);
    } else if (mode == SingleShot) {
        QTimer::singleShot(0, target, step);
    } else {
        QCoreApplication::postEvent(target, new QEvent(kStep));
    }
}

bool Target::event(QEvent *e)
{
    if (e->type() != kStep)
        return QObject::event(e);
    step();
    return true;
}
} // namespace

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    int app_argc = 1;
    QCoreApplication app(app_argc, argv);
    const char *label;
    if (bench_mode_is(&o, "invoke", "invoke"))
        mode = Invoke, label = "qt/invokeMethod";
    else if (bench_mode_is(&o, "singleshot", "invoke"))
        mode = SingleShot, label = "qt/singleShot0";
    else if (bench_mode_is(&o, "postevent", "invoke"))
        mode = PostEvent, label = "qt/postEvent";
    else
        return fprintf(stderr, "--mode invoke|singleshot|postevent\n"), 2;
    Target t;
    target = &t;
    gap = bench_qtimer_start(1);
    double per[BENCH_MAX_REPS], gaps[BENCH_MAX_REPS];
    long ticks = 0;
    for (int r = 0; r < o.reps; r++) {
        QEventLoop loop;
        running = &loop;
        left = o.n + 1; // the first step() below only starts the chain
        int64_t t0 = bench_now_ns();
        bench_gap_begin(gap);
        step();
        loop.exec();
        int64_t t1 = bench_now_ns();
        per[r] = double(t1 - t0) / double(o.n);
        gaps[r] = max_gap_ms;
        ticks += gap->ticks;
    }
    bench_qtimer_stop();
    bench_report("call_soon_chain", bench_impl(label, 1), o.n, per, o.reps, "ns/cb",
                 "timer_max_gap_ms=%.3f timer_ticks=%ld", bench_max(gaps, o.reps), ticks / o.reps);
    return 0;
}
