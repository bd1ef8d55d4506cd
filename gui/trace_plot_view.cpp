// TracePlot's views: the home view (a scope graticule, a spectrum's
// reference level, or the whole curve; linear or log axes), channel scales
// (divisions) and the cursors.
#include "trace_plot.h"

#include <qwt_plot_marker.h>
#include <qwt_scale_engine.h>

namespace {
bool sameRange(const TracePlot::HomeRange &a, const TracePlot::HomeRange &b)
{
    auto same = [](double u, double v) { return u == v || (std::isnan(u) && std::isnan(v)); };
    return same(a.lo, b.lo) && same(a.hi, b.hi) && same(a.step, b.step);
}

bool isSet(const TracePlot::HomeRange &r) { return std::isfinite(r.lo) && std::isfinite(r.hi) && r.hi > r.lo; }
}

void TracePlot::setHomeView(const HomeRange &x, const HomeRange &y, const QString &yTitle)
{
    // Unchanged, the view stays where the user zoomed it: the controls
    // send their view again on every settings change.
    if (sameRange(x, homeX_) && sameRange(y, homeY_) && yTitle == homeYTitle_)
        return;
    homeX_ = x;
    homeY_ = y;
    homeYTitle_ = yTitle;
    autoscale();
}

bool TracePlot::logScale(int axis) const { return canvasMap(axis).transformation() != nullptr; }

void TracePlot::setLogScale(int axis, bool on)
{
    if (on == logScale(axis))
        return;
    setAxisScaleEngine(axis, on ? static_cast<QwtScaleEngine *>(new QwtLogScaleEngine)
                                : static_cast<QwtScaleEngine *>(new QwtLinearScaleEngine));
    autoscale();
}

// The home ranges where set; otherwise x the whole curve (from its first
// positive x on a log axis: a spectrum's DC bin has no place there) and y
// fitted to it (to its positive values on a log axis: Qwt would fit zero
// as 1e-150). The zoom stack's base follows at the next redecimate.
void TracePlot::homeView()
{
    rebase_ = true;
    size_t n = y_.empty() ? 0 : y_[0].size();
    if (isSet(homeX_)) {
        setAxisScale(xBottom, homeX_.lo, homeX_.hi, homeX_.step);
    } else if (n > 0) {
        double x1 = x0_ + dx_ * double(n - 1), xa = x0_;
        if (logScale(xBottom))
            xa = x0_ > 0 ? x0_ : std::min(x0_ + dx_, x1);
        setAxisScale(xBottom, xa, x1);
    }
    if (isSet(homeY_)) {
        setAxisScale(yLeft, homeY_.lo, homeY_.hi, homeY_.step);
        return;
    }
    float lo = INFINITY, hi = 0;
    if (logScale(yLeft))
        for (const std::vector<float> &y : y_)
            for (float v : y)
                if (v > 0) {
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                }
    if (hi > 0)
        setAxisScale(yLeft, std::max(double(lo), hi * 1e-15), hi * 2);
    else
        setAxisAutoScale(yLeft, true);
}

void TracePlot::setChannelScale(int ch, double perDiv, double offset)
{
    perDiv_[ch - 1] = perDiv;
    offset_[ch - 1] = offset;
    redecimate();
}

double TracePlot::plotToValue(double y) const
{
    int ch = slotChannel_[0] - 1;
    return std::isfinite(perDiv_[ch]) ? y * perDiv_[ch] - offset_[ch] : y;
}

double TracePlot::valueToPlot(int ch, double v) const
{
    return std::isfinite(perDiv_[ch - 1]) ? (v + offset_[ch - 1]) / perDiv_[ch - 1] : v;
}

void TracePlot::setCursorY(int which, double y)
{
    cursorY_[which] = y;
    ycursor_[which]->setVisible(std::isfinite(y));
    if (std::isfinite(y))
        ycursor_[which]->setYValue(y);
    replot();
    emit readoutChanged(readout());
}

void TracePlot::setCursorX(int which, double x)
{
    cursorX_[which] = x;
    cursor_[which]->setVisible(std::isfinite(x));
    if (std::isfinite(x))
        cursor_[which]->setXValue(x);
    replot();
    emit readoutChanged(readout());
}

