#include "hold_curves.h"

#include "decimate.h"
#include "trace_plot.h"

#include <QPen>
#include <cmath>
#include <qwt_plot_canvas.h>
#include <qwt_plot_curve.h>

HoldCurves::HoldCurves(TracePlot *plot) : QObject(plot), plot_(plot)
{
    for (int m = 0; m < 2; m++)
        for (int c = 0; c < 2; c++) {
            curve_[m][c] = new QwtPlotCurve;
            curve_[m][c]->setPaintAttribute(QwtPlotCurve::ClipPolygons, true);
            curve_[m][c]->setVisible(false);
            curve_[m][c]->setItemAttribute(QwtPlotItem::Legend, false);
            // Under the average's curves (z 20), over the grid.
            curve_[m][c]->setZ(19);
            curve_[m][c]->attach(plot);
        }
    // A new curve, a zoom, a pan or a resize: the plot's next replot
    // draws the holds on its new columns.
    connect(plot, &TracePlot::columnsChanged, this, &HoldCurves::redecimate);
}

void HoldCurves::setShown(bool max, bool min)
{
    if (!shown_[0] && !shown_[1] && (max || min))
        reset(); // holding starts now, as on a bench analyzer
    shown_[0] = max;
    shown_[1] = min;
    redecimate();
    plot_->replot();
}

void HoldCurves::reset()
{
    max_.clear();
    min_.clear();
    count_ = 0;
    redecimate();
}

void HoldCurves::add(const qaio_trace *t)
{
    // Nothing held while neither is shown: a pass over every bin per frame.
    if (!t || t->n == 0 || !(shown_[0] || shown_[1]))
        return;
    size_t nch = std::min<size_t>(t->nch, 2);
    QString unit = QString::fromLatin1(t->y_unit);
    if (nch != max_.size() || max_[0].size() != t->n || t->x0 != x0_ || t->dx != dx_ || unit != unit_ ||
        channel_[0] != t->channel[0] || (nch > 1 && channel_[1] != t->channel[1]))
        reset();
    x0_ = t->x0;
    dx_ = t->dx;
    unit_ = unit;
    if (count_ == 0) {
        max_.assign(nch, std::vector<float>());
        min_.assign(nch, std::vector<float>());
        for (size_t c = 0; c < nch; c++) {
            max_[c].assign(t->y[c], t->y[c] + t->n);
            min_[c] = max_[c];
            channel_[c] = t->channel[c];
        }
    } else {
        for (size_t c = 0; c < nch; c++) {
            const float *y = t->y[c];
            float *hi = max_[c].data(), *lo = min_[c].data();
            for (size_t i = 0; i < t->n; i++) {
                hi[i] = std::max(hi[i], y[i]);
                lo[i] = std::min(lo[i], y[i]);
            }
        }
    }
    count_++;
}

// One vertex per pixel column: the column's largest held maximum (its
// smallest held minimum), so the overlay is the envelope, not a band.
void HoldCurves::redecimate()
{
    const QwtScaleDiv &div = plot_->axisScaleDiv(QwtPlot::xBottom);
    PixelColumns cols{div.lowerBound(), div.upperBound(), std::max(plot_->canvas()->width(), 100),
                      plot_->logScale(QwtPlot::xBottom)};
    column_.resize(size_t(cols.count));
    for (int m = 0; m < 2; m++)
        for (size_t c = 0; c < 2; c++) {
            QwtPlotCurve *curve = curve_[m][c];
            bool on = shown_[m] && c < max_.size();
            curve->setVisible(on);
            curve->setItemAttribute(QwtPlotItem::Legend, on);
            if (!on) {
                curve->setSamples(QVector<QPointF>());
                continue;
            }
            const std::vector<float> &y = (m == 0 ? max_ : min_)[c];
            decimateExtreme(y.data(), y.size(), x0_, dx_, cols, m == 0, column_.data());
            QVector<QPointF> pts;
            pts.reserve(cols.count);
            for (int k = 0; k < cols.count; k++)
                if (std::isfinite(column_[size_t(k)]))
                    pts.append(QPointF(columnCentre(cols, k), double(column_[size_t(k)])));
            curve->setSamples(pts);
            QColor base = TracePlot::channelColor(channel_[c], c);
            curve->setPen(m == 0 ? base.lighter(150) : base.darker(170), 1);
            int ch = channel_[c] ? channel_[c] : int(c) + 1;
            curve->setTitle(m == 0 ? tr("CH%1 max").arg(ch) : tr("CH%1 min").arg(ch));
        }
}
