#include "line_dragger.h"

#include <QMouseEvent>
#include <cmath>
#include <qwt_plot.h>
#include <qwt_plot_canvas.h>
#include <qwt_plot_marker.h>
#include <qwt_scale_map.h>

namespace {
const double kGrabPixels = 5; // how close to a line a press must be
}

LineDragger::LineDragger(QwtPlot *plot) : QObject(plot), plot_(plot), canvas_(plot->canvas())
{
    plot->canvas()->installEventFilter(this);
    plot->canvas()->setMouseTracking(true);
}

void LineDragger::add(QwtPlotMarker *m, std::function<void(double)> moved, std::function<void(double)> finished)
{
    lines_.push_back({m, std::move(moved), std::move(finished)});
}

double LineDragger::coordinate(const Line &l, const QPointF &pos) const
{
    bool h = l.marker->lineStyle() == QwtPlotMarker::HLine;
    return plot_->canvasMap(h ? QwtPlot::yLeft : QwtPlot::xBottom).invTransform(h ? pos.y() : pos.x());
}

// The nearest visible line within reach of pos, or -1.
int LineDragger::lineAt(const QPointF &pos) const
{
    int best = -1;
    double bestDist = kGrabPixels;
    for (size_t i = 0; i < lines_.size(); i++) {
        const QwtPlotMarker *m = lines_[i].marker;
        if (!m->isVisible())
            continue;
        bool h = m->lineStyle() == QwtPlotMarker::HLine;
        const QwtScaleMap map = plot_->canvasMap(h ? QwtPlot::yLeft : QwtPlot::xBottom);
        double d = std::fabs(map.transform(h ? m->yValue() : m->xValue()) - (h ? pos.y() : pos.x()));
        if (d <= bestDist) {
            best = int(i);
            bestDist = d;
        }
    }
    return best;
}

bool LineDragger::eventFilter(QObject *o, QEvent *e)
{
    if (o != canvas_)
        return false;
    switch (e->type()) {
    case QEvent::MouseButtonPress: {
        auto *m = static_cast<QMouseEvent *>(e);
        if (m->button() != Qt::LeftButton || m->modifiers() != Qt::NoModifier)
            return false;
        active_ = lineAt(m->localPos());
        return active_ >= 0; // the zoomer never sees this press
    }
    case QEvent::MouseMove: {
        auto *m = static_cast<QMouseEvent *>(e);
        if (active_ < 0) {
            // The pointer says a line can be taken.
            int i = lineAt(m->localPos());
            bool h = i >= 0 && lines_[size_t(i)].marker->lineStyle() == QwtPlotMarker::HLine;
            if (i >= 0)
                canvas_->setCursor(h ? Qt::SplitVCursor : Qt::SplitHCursor);
            else
                canvas_->unsetCursor();
            return false;
        }
        const Line &l = lines_[size_t(active_)];
        l.moved(coordinate(l, m->localPos()));
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto *m = static_cast<QMouseEvent *>(e);
        if (active_ < 0 || m->button() != Qt::LeftButton)
            return false;
        const Line &l = lines_[size_t(active_)];
        double v = coordinate(l, m->localPos());
        l.moved(v);
        active_ = -1;
        if (l.finished)
            l.finished(v);
        return true;
    }
    default:
        return false;
    }
}
