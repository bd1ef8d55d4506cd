#include "loop_monitor.h"

#include <algorithm>

namespace {
double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    size_t k = std::min(v.size() - 1, size_t(q * double(v.size())));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}
}

LoopMonitor::LoopMonitor(QObject *parent) : QObject(parent)
{
    clock_.start();
    probe_.setTimerType(Qt::PreciseTimer);
    probe_.setInterval(kProbeMs);
    connect(&probe_, &QTimer::timeout, this, [this] {
        qint64 now = clock_.nsecsElapsed();
        double late = double(now - lastTickNs_) / 1e6 - kProbeMs;
        lastTickNs_ = now;
        lags_.push_back(std::max(late, 0.0));
        windowLags_.push_back(std::max(late, 0.0));
    });
    window_.setInterval(500);
    connect(&window_, &QTimer::timeout, this, [this] {
        qint64 now = clock_.nsecsElapsed();
        double s = double(now - windowStartNs_) / 1e9;
        emit report(percentile(windowLags_, 0.99), double(redraws_ - windowRedraws_) / s,
                    double(acquisitions_ - windowAcq_) / s);
        windowLags_.clear();
        windowStartNs_ = now;
        windowRedraws_ = redraws_;
        windowAcq_ = acquisitions_;
    });
    reset();
    probe_.start();
    window_.start();
}

void LoopMonitor::reset()
{
    lastTickNs_ = windowStartNs_ = resetNs_ = clock_.nsecsElapsed();
    lags_.clear();
    windowLags_.clear();
    redraws_ = acquisitions_ = windowRedraws_ = windowAcq_ = 0;
}

double LoopMonitor::lagPercentileMs(double q) const { return percentile(lags_, q); }

double LoopMonitor::redrawsPerSecond() const
{
    return double(redraws_) / (double(clock_.nsecsElapsed() - resetNs_) / 1e9);
}

double LoopMonitor::acquisitionsPerSecond() const
{
    return double(acquisitions_) / (double(clock_.nsecsElapsed() - resetNs_) / 1e9);
}
