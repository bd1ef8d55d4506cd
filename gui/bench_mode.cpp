#include "bench_mode.h"

#include "loop_monitor.h"
#include "scope_window.h"
#include "spectrum_controls.h"
#include "waterfall.h"
#include "trace_plot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace {
double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void line(const char *fig, int points, quint64 n, const std::vector<double> &v, const char *unit,
          const PanelSettings &s, double seconds)
{
    auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    const char *impl = qEnvironmentVariableIsSet("QT_NO_GLIB") ? "qaio/noglib" : "qaio";
    std::printf("%s_n%d %s N=%llu median=%.3f %s min=%.3f max=%.3f points=%d rate_hz=%.17g averages=%d "
                "seconds=%g\n",
                fig, points, impl, static_cast<unsigned long long>(n), median(v), unit, *mn, *mx, points, s.rate,
                s.averages, seconds);
}
}

int runBench(ScopeWindow *w, double seconds, int reps)
{
    std::vector<double> lag, redraws, acqs, waterfall;
    quint64 nLag = 0, nRedraws = 0, nAcq = 0, nWaterfall = 0;
    // Every display feature on, so the figures include their cost: max
    // and min hold, and the waterfall (its repaints are its frames).
    SpectrumControls *spectrum = w->spectrumControls();
    SpectrumView view = spectrum->view();
    view.maxHold = view.minHold = view.waterfall = true;
    spectrum->setView(view);
    QString failure;
    QObject::connect(w->acquisition(), &Acquisition::failed, w, [&](const QString &m) { failure = m; });
    for (int r = 0; r < reps && failure.isEmpty(); r++) {
        w->runContinuous();
        w->monitor()->reset();
        quint64 paints = spectrum->waterfall()->paints();
        QElapsedTimer clock;
        clock.start();
        QEventLoop loop;
        QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
        loop.exec();
        LoopMonitor *m = w->monitor();
        lag.push_back(m->lagPercentileMs(0.99));
        redraws.push_back(m->redrawsPerSecond());
        acqs.push_back(m->acquisitionsPerSecond());
        nWaterfall = spectrum->waterfall()->paints() - paints;
        waterfall.push_back(double(nWaterfall) / (double(clock.nsecsElapsed()) / 1e9));
        nLag = m->lagSamples();
        nRedraws = m->redraws();
        nAcq = m->acquisitions();
        w->stop();
    }
    if (!failure.isEmpty()) {
        std::fprintf(stderr, "qaio-scope: %s\n", qPrintable(failure));
        return 1;
    }
    PanelSettings s = w->settings();
    line("viewer_lag_p99", s.points, nLag, lag, "ms", s, seconds);
    line("viewer_redraws", s.points, nRedraws, redraws, "redraws/s", s, seconds);
    line("viewer_acquisitions", s.points, nAcq, acqs, "acquisitions/s", s, seconds);
    line("viewer_waterfall_frames", s.points, nWaterfall, waterfall, "frames/s", s, seconds);
    return 0;
}
