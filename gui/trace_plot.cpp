#include "trace_plot.h"

#include "decimate.h"

#include <QPen>
#include <cmath>
#include <qwt_picker_machine.h>
#include <qwt_plot_canvas.h>
#include <qwt_plot_curve.h>
#include <qwt_plot_grid.h>
#include <qwt_plot_magnifier.h>
#include <qwt_plot_marker.h>
#include <qwt_plot_panner.h>
#include <qwt_plot_picker.h>
#include <qwt_plot_zoomer.h>
#include <qwt_scale_widget.h>
#include <qwt_symbol.h>

namespace {
const QColor kChannelColor[2] = {QColor(0xd0, 0x9a, 0x00), QColor(0x00, 0x8c, 0xd0)};
const QColor kCursorColor[2] = {QColor(0xc0, 0x30, 0x30), QColor(0x30, 0x90, 0x30)};

QString si(double v, const QString &unit)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    if (unit.startsWith("dB"))
        return QString::number(v, 'f', 2) + ' ' + unit;
    static const struct { double f; const char *p; } prefixes[] = {
        {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}, {1e-3, "m"}, {1e-6, "u"}, {1e-9, "n"}};
    for (const auto &p : prefixes)
        if (std::fabs(v) >= p.f || p.f == 1e-9)
            return QString::number(v / p.f, 'g', 5) + ' ' + p.p + unit;
    return QString::number(v) + ' ' + unit;
}
}

TracePlot::TracePlot(const QString &title, bool peakMarker, QWidget *parent)
    : QwtPlot(parent), peakMarker_(peakMarker)
{
    setTitle(title);
    setCanvasBackground(QColor(0x18, 0x1c, 0x20));
    auto *grid = new QwtPlotGrid;
    grid->setPen(QColor(0x40, 0x48, 0x50), 0, Qt::DotLine);
    grid->attach(this);
    for (int c = 0; c < 2; c++) {
        curve_[c] = new QwtPlotCurve(QStringLiteral("ch%1").arg(c + 1));
        curve_[c]->setPen(kChannelColor[c], 1);
        curve_[c]->setPaintAttribute(QwtPlotCurve::ClipPolygons, true);
        curve_[c]->attach(this);
        cursor_[c] = new QwtPlotMarker;
        cursor_[c]->setLineStyle(QwtPlotMarker::VLine);
        cursor_[c]->setLinePen(kCursorColor[c], 1, Qt::DashLine);
        cursor_[c]->setLabel(QwtText(c == 0 ? "A" : "B"));
        cursor_[c]->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
        cursor_[c]->setVisible(false);
        cursor_[c]->attach(this);
        cursorX_[c] = NAN;
    }
    peak_ = new QwtPlotMarker;
    peak_->setSymbol(new QwtSymbol(QwtSymbol::Diamond, QBrush(Qt::white), QPen(Qt::white), QSize(8, 8)));
    peak_->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    peak_->setVisible(false);
    peak_->attach(this);

    zoomer_ = new QwtPlotZoomer(canvas());
    zoomer_->setRubberBandPen(QPen(Qt::white));
    zoomer_->setTrackerMode(QwtPicker::AlwaysOff);
    new QwtPlotMagnifier(canvas());
    (new QwtPlotPanner(canvas()))->setMouseButton(Qt::MiddleButton);
    for (int c = 0; c < 2; c++) {
        auto *picker = new QwtPlotPicker(xBottom, yLeft, QwtPicker::NoRubberBand, QwtPicker::AlwaysOff, canvas());
        picker->setStateMachine(new QwtPickerClickPointMachine);
        picker->setMousePattern(QwtEventPattern::MouseSelect1, Qt::LeftButton,
                                c == 0 ? Qt::ShiftModifier : Qt::ControlModifier);
        connect(picker, qOverload<const QPointF &>(&QwtPlotPicker::selected), this,
                [this, c](const QPointF &p) { setCursorX(c, p.x()); });
    }
    // Zoom, pan and resize change what one pixel column covers.
    connect(axisWidget(xBottom), &QwtScaleWidget::scaleDivChanged, this, [this] {
        if (!decimating_)
            redecimate();
    });
}

void TracePlot::setTrace(const qaio_trace *t)
{
    if (!t || t->n == 0)
        return;
    size_t nch = std::min<size_t>(t->nch, 2);
    y_.resize(nch);
    for (size_t c = 0; c < nch; c++)
        y_[c].assign(t->y[c], t->y[c] + t->n);
    bool spectrum = QByteArray(t->x_unit) == "Hz";
    QString yUnit = QString::fromLatin1(t->y_unit);
    bool axesChanged = spectrum != spectrum_ || yUnit != yUnit_ || t->x0 != x0_ || t->dx != dx_;
    x0_ = t->x0;
    dx_ = t->dx;
    spectrum_ = spectrum;
    xUnit_ = QString::fromLatin1(t->x_unit);
    yUnit_ = yUnit;
    if (axesChanged) {
        setAxisTitle(xBottom, spectrum ? tr("frequency (Hz)") : tr("time (s)"));
        setAxisTitle(yLeft, yUnit_);
        setAxisScale(xBottom, x0_, x0_ + dx_ * double(t->n - 1));
        setAxisAutoScale(yLeft, true);
        zoomer_->setZoomBase(false);
    }
    for (size_t c = nch; c < 2; c++)
        curve_[c]->setSamples(QVector<QPointF>());
    redecimate();
}

void TracePlot::redecimate()
{
    decimating_ = true;
    updateAxes();
    const QwtScaleDiv &div = axisScaleDiv(xBottom);
    int columns = std::max(canvas()->width(), 100);
    for (size_t c = 0; c < y_.size(); c++)
        curve_[c]->setSamples(decimateMinMax(y_[c].data(), y_[c].size(), x0_, dx_, div.lowerBound(),
                                             div.upperBound(), columns));
    if (peakMarker_ && !y_.empty()) {
        QPointF p = peak();
        peak_->setValue(p);
        peak_->setLabel(QwtText(si(p.x(), xUnit_) + ", " + si(p.y(), yUnit_)));
        peak_->setVisible(true);
    }
    decimating_ = false;
    replot();
    emit readoutChanged(readout());
}

int TracePlot::drawnVertices(size_t c) const { return c < 2 ? int(curve_[c]->dataSize()) : 0; }

void TracePlot::replot()
{
    QwtPlot::replot();
    redraws_++;
}

void TracePlot::autoscale()
{
    setAxisAutoScale(yLeft, true);
    if (!y_.empty() && !y_[0].empty())
        setAxisScale(xBottom, x0_, x0_ + dx_ * double(y_[0].size() - 1));
    zoomer_->setZoomBase(false);
    redecimate();
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

double TracePlot::valueAt(double x) const
{
    if (y_.empty() || y_[0].empty() || !std::isfinite(x))
        return NAN;
    double i = (x - x0_) / dx_;
    if (i < 0 || i > double(y_[0].size() - 1))
        return NAN;
    size_t a = size_t(i), b = std::min(a + 1, y_[0].size() - 1);
    double f = i - double(a);
    return double(y_[0][a]) * (1 - f) + double(y_[0][b]) * f;
}

QString TracePlot::readout() const
{
    QStringList parts;
    for (int c = 0; c < 2; c++)
        if (std::isfinite(cursorX_[c]))
            parts << QStringLiteral("%1: %2, %3").arg(c == 0 ? "A" : "B", si(cursorX_[c], xUnit_),
                                                      si(valueAt(cursorX_[c]), yUnit_));
    if (std::isfinite(cursorX_[0]) && std::isfinite(cursorX_[1])) {
        double dx = cursorX_[1] - cursorX_[0];
        QString d = QStringLiteral("Δ %1, %2").arg(si(dx, xUnit_), si(valueAt(cursorX_[1]) - valueAt(cursorX_[0]), yUnit_));
        if (!spectrum_ && dx != 0)
            d += QStringLiteral(" (1/Δ %1)").arg(si(1 / std::fabs(dx), QStringLiteral("Hz")));
        parts << d;
    }
    if (peakMarker_ && !y_.empty()) {
        QPointF p = peak();
        parts << QStringLiteral("peak %1, %2").arg(si(p.x(), xUnit_), si(p.y(), yUnit_));
    }
    return parts.join(QStringLiteral("   "));
}

QPointF TracePlot::peak() const
{
    if (y_.empty() || y_[0].empty())
        return QPointF(NAN, NAN);
    const std::vector<float> &y = y_[0];
    size_t best = spectrum_ && y.size() > 1 ? 1 : 0;
    for (size_t i = best; i < y.size(); i++)
        if (y[i] > y[best])
            best = i;
    return QPointF(x0_ + dx_ * double(best), double(y[best]));
}
