// call_soon_batch, raw Qt reference: N no-op callbacks queued up front, then
// one that quits a QEventLoop, then exec(). --mode invoke:
// QMetaObject::invokeMethod(obj, fn, Qt::QueuedConnection); singleshot:
// QTimer::singleShot(0, obj, fn); postevent: QCoreApplication::postEvent of
// a custom event. Reports ns per callback (queueing + running).
#include <QCoreApplication>
#include <QEvent>
#include <QEventLoop>
#include <QTimer>

#include "bench.h"

namespace {
long ran;
QEventLoop *running;
const QEvent::Type kNoop = QEvent::Type(QEvent::User + 1);
const QEvent::Type kLast = QEvent::Type(QEvent::User + 2);

struct Target : QObject {
    bool event(QEvent *e) override
    {
        if (e->type() == kNoop)
            ran++;
        else if (e->type() == kLast)
            running->quit();
        else
            return QObject::event(e);
        return true;
    }
};
} // namespace

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000000, 1000);
    int app_argc = 1;
    QCoreApplication app(app_argc, argv);
    enum { Invoke, SingleShot, PostEvent } mode;
    const char *label;
    if (bench_mode_is(&o, "invoke", "invoke"))
        mode = Invoke, label = "qt/invokeMethod";
    else if (bench_mode_is(&o, "singleshot", "invoke"))
        mode = SingleShot, label = "qt/singleShot0";
    else if (bench_mode_is(&o, "postevent", "invoke"))
        mode = PostEvent, label = "qt/postEvent";
    else
        return fprintf(stderr, "--mode invoke|singleshot|postevent\n"), 2;
    Target target;
    double per[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        QEventLoop loop;
        running = &loop;
        ran = 0;
        int64_t t0 = bench_now_ns();
        auto noop = [] { ran++; };
        auto last = [&loop] { loop.quit(); };
        for (long i = 0; i < o.n; i++) {
            if (mode == Invoke)
                QMetaObject::invokeMethod(&target, noop, Qt::QueuedConnection);
            else if (mode == SingleShot)
                QTimer::singleShot(0, &target, noop);
            else
                QCoreApplication::postEvent(&target, new QEvent(kNoop));
        }
        if (mode == Invoke)
            QMetaObject::invokeMethod(&target, last, Qt::QueuedConnection);
        else if (mode == SingleShot)
            QTimer::singleShot(0, &target, last);
        else
            QCoreApplication::postEvent(&target, new QEvent(kLast));
        loop.exec();
        int64_t t1 = bench_now_ns();
        if (ran != o.n)
            return fprintf(stderr, "ran %ld of %ld callbacks\n", ran, o.n), 1;
        per[r] = double(t1 - t0) / double(o.n);
    }
    bench_report("call_soon_batch", bench_impl(label, 1), o.n, per, o.reps, "ns/cb", nullptr);
    return 0;
}
