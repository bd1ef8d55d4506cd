// TracePlot's scope display: channel scales (divisions), a fixed view
// (the graticule) and horizontal cursors.
#include "trace_plot.h"

#include <qwt_plot_marker.h>

// The full view: the fixed one if set, else the whole record with y
// autoscaled. The zoom stack's base follows at the next redecimate.
void TracePlot::resetView()
{
    bool fixedX = !view_.isNull() && std::isfinite(view_.left()) && view_.width() > 0;
    if (fixedX)
        setAxisScale(xBottom, view_.left(), view_.right(), viewStep_[0]);
    else if (!y_.empty() && !y_[0].empty())
        setAxisScale(xBottom, x0_, x0_ + dx_ * double(y_[0].size() - 1));
    if (!view_.isNull())
        setAxisScale(yLeft, view_.top(), view_.bottom(), viewStep_[1]);
    else
        setAxisAutoScale(yLeft, true);
    rebase_ = true;
}

void TracePlot::setFixedView(const QRectF &view, double xStep, double yStep, const QString &yTitle)
{
    view_ = view;
    viewStep_[0] = xStep;
    viewStep_[1] = yStep;
    viewYTitle_ = yTitle;
    autoscale();
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

