// ticker.cpp - a periodic Qt::PreciseTimer that records the gaps between its
// ticks (bench.h: bench_qtimer_start). It stands in for a GUI's repaints:
// if the loop under test starves Qt, the gaps grow.
#include <QObject>
#include <QTimer>

#include "bench.h"

namespace {
struct Ticker {
    QTimer timer;
    bench_gap gap{};
};
Ticker *ticker;
} // namespace

extern "C" bench_gap *bench_qtimer_start(int interval_ms)
{
    ticker = new Ticker;
    ticker->timer.setTimerType(Qt::PreciseTimer);
    ticker->timer.setInterval(interval_ms);
    QObject::connect(&ticker->timer, &QTimer::timeout, [] { bench_gap_tick(&ticker->gap); });
    ticker->timer.start();
    return &ticker->gap;
}

extern "C" void bench_qtimer_stop(void)
{
    delete ticker;
    ticker = nullptr;
}
