// Max hold and min hold over the spectra a plot is given: per point, the
// largest and the smallest value since the last reset, drawn as overlay
// curves (lighter and darker than the channel's colour) beside the running
// average. They fold in the curves the panel draws (one per published
// frame) while either is shown, start when the first is turned on, restart
// when the curve's shape or unit changes, on a settings change and on
// reset(), and follow the plot's zoom, pan and log axis.
#pragma once

#include <QObject>
#include <QString>
#include <vector>
#include <qaio/instr.h>

class QwtPlotCurve;
class TracePlot;

class HoldCurves : public QObject {
    Q_OBJECT
public:
    explicit HoldCurves(TracePlot *plot);

    // Which overlays are drawn (holding starts when the first turns on).
    void setShown(bool max, bool min);
    // Folds t's channels in; drawn when the plot gets t (its columnsChanged).
    void add(const qaio_trace *t);
    void reset();
    // Curves folded in since the reset; the held values of slot c.
    unsigned count() const { return count_; }
    const std::vector<float> &held(bool max, size_t c) const { return (max ? max_ : min_)[c]; }
    size_t channels() const { return max_.size(); }

private:
    void redecimate();

    TracePlot *plot_;
    std::vector<std::vector<float>> max_, min_;
    int channel_[2] = {0, 0};
    double x0_ = 0, dx_ = 1;
    QString unit_;
    unsigned count_ = 0;
    bool shown_[2] = {false, false}; // max, min
    QwtPlotCurve *curve_[2][2];      // [max/min][slot]
    std::vector<float> column_;
};
