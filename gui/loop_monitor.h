// The status bar's figures: event-loop lag (how late a 10 ms precise timer
// fires), redraws per second and acquisitions per second. The lag probe is
// an ordinary QTimer on the GUI thread, so it measures what a user feels:
// any callback, acquisition step or repaint that holds the loop delays it.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <vector>

class LoopMonitor : public QObject {
    Q_OBJECT
public:
    explicit LoopMonitor(QObject *parent = nullptr);

    void countRedraw() { redraws_++; }
public slots:
    void countAcquisition() { acquisitions_++; }

public:

    // Since the last reset: lag percentile in ms (0 <= q <= 1), rates per
    // second, and the raw counts.
    double lagPercentileMs(double q) const;
    double redrawsPerSecond() const;
    double acquisitionsPerSecond() const;
    size_t lagSamples() const { return lags_.size(); }
    quint64 redraws() const { return redraws_; }
    quint64 acquisitions() const { return acquisitions_; }
    void reset();

signals:
    // Every 500 ms: the figures over the last window, for the status bar.
    void report(double lagP99Ms, double redrawsPerS, double acqPerS);

private:
    static constexpr int kProbeMs = 10;
    QTimer probe_, window_;
    QElapsedTimer clock_;
    qint64 lastTickNs_ = 0, windowStartNs_ = 0, resetNs_ = 0;
    std::vector<double> lags_, windowLags_;
    quint64 redraws_ = 0, acquisitions_ = 0, windowRedraws_ = 0, windowAcq_ = 0;
};
