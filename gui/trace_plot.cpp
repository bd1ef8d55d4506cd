#include "trace_plot.h"

#include "decimate.h"
#include "line_dragger.h"

#include <QKeyEvent>
#include <QWheelEvent>
#include <qwt_scale_map.h>
#include <QPen>
#include <qwt_legend.h>
#include <qwt_scale_draw.h>
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
// By channel number (1, 2), whatever slot of the trace it is in.
const QColor kChannelColor[2] = {QColor(0xe0, 0xb0, 0x00), QColor(0x30, 0xa8, 0xf0)};
const QColor kCursorColor[2] = {QColor(0xc0, 0x30, 0x30), QColor(0x30, 0x90, 0x30)};

QString si(double v, const QString &unit)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    if (unit.startsWith("dB"))
        return QString::number(v, 'f', 2) + ' ' + unit;
    static const struct { double f; const char *p; } prefixes[] = {
        {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}, {1e-3, "m"}, {1e-6, "\u00b5"}, {1e-9, "n"}};
    for (const auto &p : prefixes)
        if (std::fabs(v) >= p.f || p.f == 1e-9)
            return QString::number(v / p.f, 'g', 5) + ' ' + p.p + unit;
    return QString::number(v) + ' ' + unit;
}

// One SI prefix for a whole axis (the title says it: "time (ms)"), so tick
// labels stay short ("250" rather than "0.00025" or "250,000").
struct Prefix {
    double factor;
    const char *name;
};
Prefix prefixFor(double maxAbs)
{
    static const Prefix p[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}, {1e-3, "m"}, {1e-6, "\u00b5"}, {1e-9, "n"}};
    for (const Prefix &x : p)
        if (maxAbs >= x.factor)
            return x;
    return maxAbs > 0 ? p[6] : p[3];
}
}

// The wheel zooms about the pointer (what is under it stays there), wheel
// up zooming in, as in maps and most plotting tools; Qwt's magnifier zooms
// about the centre, up zooming out.
class PointerMagnifier : public QwtPlotMagnifier {
public:
    explicit PointerMagnifier(QWidget *canvas) : QwtPlotMagnifier(canvas)
    {
        setWheelFactor(1.1);         // Qwt divides by it on wheel up: zoom in
        setMouseButton(Qt::NoButton); // right button is the zoomer's
    }

protected:
    void widgetWheelEvent(QWheelEvent *e) override
    {
        pointer_ = e->position();
        QwtPlotMagnifier::widgetWheelEvent(e);
    }
    void rescale(double factor) override
    {
        factor = std::fabs(factor);
        if (factor == 1.0 || factor == 0.0)
            return;
        QwtPlot *p = plot();
        bool autoReplot = p->autoReplot();
        p->setAutoReplot(false);
        for (int axis : {int(QwtPlot::xBottom), int(QwtPlot::yLeft)}) {
            const QwtScaleMap map = p->canvasMap(axis);
            double at = map.invTransform(axis == QwtPlot::xBottom ? pointer_.x() : pointer_.y());
            p->setAxisScale(axis, at + (map.s1() - at) * factor, at + (map.s2() - at) * factor);
        }
        p->setAutoReplot(autoReplot);
        p->replot();
    }

private:
    QPointF pointer_;
};

class SiScaleDraw : public QwtScaleDraw {
public:
    double factor = 1;
    QwtText label(double v) const override
    {
        double x = v / factor;
        if (std::fabs(x) < 1e-9 * factor)
            x = 0;
        return QwtText(QString::number(x, 'g', 6));
    }
    void changed() { invalidateCache(); }
};

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
        curve_[c]->setItemAttribute(QwtPlotItem::Legend, false); // until it has samples
        curve_[c]->attach(this);
        cursor_[c] = new QwtPlotMarker;
        cursor_[c]->setLineStyle(QwtPlotMarker::VLine);
        cursor_[c]->setLinePen(kCursorColor[c], 1, Qt::DashLine);
        cursor_[c]->setLabel(QwtText(c == 0 ? "A" : "B"));
        cursor_[c]->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
        cursor_[c]->setVisible(false);
        cursor_[c]->attach(this);
        cursorX_[c] = NAN;
        ycursor_[c] = new QwtPlotMarker;
        ycursor_[c]->setLineStyle(QwtPlotMarker::HLine);
        ycursor_[c]->setLinePen(kCursorColor[c], 1, Qt::DashDotLine);
        QwtText ylabel(c == 0 ? "Y1" : "Y2");
        ylabel.setColor(kCursorColor[c].lighter(150));
        ylabel.setBackgroundBrush(QColor(0x18, 0x1c, 0x20, 220)); // readable over a trace
        ycursor_[c]->setLabel(ylabel);
        ycursor_[c]->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
        ycursor_[c]->setVisible(false);
        ycursor_[c]->attach(this);
        cursorY_[c] = NAN;
    }
    // Under the axis, so it never hides a curve or the peak label.
    insertLegend(new QwtLegend, QwtPlot::BottomLegend);
    for (int a = 0; a < 2; a++) {
        scaleDraw_[a] = new SiScaleDraw;
        setAxisScaleDraw(a == 0 ? xBottom : yLeft, scaleDraw_[a]);
    }
    peak_ = new QwtPlotMarker;
    peak_->setSymbol(new QwtSymbol(QwtSymbol::Diamond, QBrush(Qt::white), QPen(Qt::white), QSize(8, 8)));
    // Below the marker: the highest point's label stays inside the canvas.
    peak_->setLabelAlignment(Qt::AlignRight | Qt::AlignBottom);
    peak_->setVisible(false);
    peak_->attach(this);

    zoomer_ = new QwtPlotZoomer(canvas());
    zoomer_->setRubberBandPen(QPen(Qt::white));
    zoomer_->setTrackerMode(QwtPicker::AlwaysOff);
    // Right click zooms out one step, Ctrl+right click all the way; the
    // middle button is left to the panner, so a pan keeps the zoom (Qwt's
    // zoomer took it to zoom out).
    zoomer_->setMousePattern(QwtEventPattern::MouseSelect2, Qt::RightButton, Qt::ControlModifier);
    zoomer_->setMousePattern(QwtEventPattern::MouseSelect3, Qt::RightButton);
    zoomer_->setMousePattern(QwtEventPattern::MouseSelect6, Qt::NoButton);
    new PointerMagnifier(canvas());
    (new QwtPlotPanner(canvas()))->setMouseButton(Qt::MiddleButton);
    for (int c = 0; c < 2; c++) {
        auto *picker = new QwtPlotPicker(xBottom, yLeft, QwtPicker::NoRubberBand, QwtPicker::AlwaysOff, canvas());
        picker->setStateMachine(new QwtPickerClickPointMachine);
        picker->setMousePattern(QwtEventPattern::MouseSelect1, Qt::LeftButton,
                                c == 0 ? Qt::ShiftModifier : Qt::ControlModifier);
        connect(picker, qOverload<const QPointF &>(&QwtPlotPicker::selected), this,
                [this, c](const QPointF &p) { setCursorX(c, p.x()); });
        // Horizontal cursors: Shift+right click Y1, Ctrl+Shift+right click Y2
        // (plain and Ctrl+right click are the zoomer's).
        auto *ypicker = new QwtPlotPicker(xBottom, yLeft, QwtPicker::NoRubberBand, QwtPicker::AlwaysOff, canvas());
        ypicker->setStateMachine(new QwtPickerClickPointMachine);
        ypicker->setMousePattern(QwtEventPattern::MouseSelect1, Qt::RightButton,
                                 c == 0 ? Qt::ShiftModifier : Qt::ControlModifier | Qt::ShiftModifier);
        connect(ypicker, qOverload<const QPointF &>(&QwtPlotPicker::selected), this,
                [this, c](const QPointF &p) { setCursorY(c, p.y()); });
    }
    dragger_ = new LineDragger(this);
    for (int c = 0; c < 2; c++) {
        dragger_->add(cursor_[c], [this, c](double x) { setCursorX(c, x); });
        dragger_->add(ycursor_[c], [this, c](double y) { setCursorY(c, y); });
    }
    // Zoom, pan and resize change what one pixel column covers.
    connect(axisWidget(xBottom), &QwtScaleWidget::scaleDivChanged, this, [this] {
        if (!decimating_)
            redecimate();
    });
    connect(axisWidget(yLeft), &QwtScaleWidget::scaleDivChanged, this, [this] { updateAxisPrefixes(); });
    canvas()->setFocusPolicy(Qt::ClickFocus);
    canvas()->setToolTip(tr("Drag: zoom to a rectangle; right click: zoom out (Ctrl: all the way); wheel: zoom "
                            "about the pointer; middle drag: pan\n"
                            "Shift+click: cursor A; Ctrl+click: cursor B; Shift+right click: cursor Y1; Ctrl+Shift+right "
                            "click: cursor Y2; drag a cursor to move it; Esc: clear the cursors"));
    canvas()->installEventFilter(this);
}

// Esc on a focused plot clears its cursors and stops nothing: the key is
// claimed before the window's Esc shortcut (Stop) can see it.
bool TracePlot::eventFilter(QObject *o, QEvent *e)
{
    if (o == canvas() && (e->type() == QEvent::ShortcutOverride || e->type() == QEvent::KeyPress)) {
        auto *k = static_cast<QKeyEvent *>(e);
        if (k->key() == Qt::Key_Escape && k->modifiers() == Qt::NoModifier) {
            e->accept();
            if (e->type() == QEvent::KeyPress)
                clearCursors();
            return true;
        }
    }
    return QwtPlot::eventFilter(o, e);
}

void TracePlot::clearCursors()
{
    setCursorX(0, NAN);
    setCursorX(1, NAN);
    setCursorY(0, NAN);
    setCursorY(1, NAN);
}

void TracePlot::clear()
{
    y_.clear();
    for (QwtPlotCurve *c : curve_) {
        c->setSamples(QVector<QPointF>());
        c->setItemAttribute(QwtPlotItem::Legend, false);
    }
    peak_->setVisible(false);
    replot();
    emit readoutChanged(readout());
}

// The axis titles carry the prefix the tick labels are divided by.
void TracePlot::updateAxisPrefixes()
{
    for (int a = 0; a < 2; a++) {
        int axis = a == 0 ? xBottom : yLeft;
        const QwtScaleDiv &div = axisScaleDiv(axis);
        QString unit = a == 0 ? xUnit_ : yUnit_;
        bool prefixable = !unit.isEmpty() && !unit.startsWith("dB");
        Prefix p = prefixable ? prefixFor(std::max(std::fabs(div.lowerBound()), std::fabs(div.upperBound())))
                              : Prefix{1, ""};
        if (a == 1 && !viewYTitle_.isEmpty()) { // divisions: no prefix
            p = Prefix{1, ""};
            unit.clear();
        }
        QString name = a == 0 ? (spectrum_ ? tr("frequency") : tr("time")) : viewYTitle_;
        QString title = unit.isEmpty() ? name
                        : name.isEmpty() ? QString::fromUtf8(p.name) + unit
                                         : QStringLiteral("%1 (%2%3)").arg(name, QString::fromUtf8(p.name), unit);
        if (scaleDraw_[a]->factor != p.factor) {
            scaleDraw_[a]->factor = p.factor;
            scaleDraw_[a]->changed();
            axisWidget(axis)->update();
        }
        if (axisTitle(axis).text() != title)
            setAxisTitle(axis, title);
    }
}

void TracePlot::setTrace(const qaio_trace *t)
{
    if (!t || t->n == 0)
        return;
    size_t nch = std::min<size_t>(t->nch, 2);
    size_t oldN = y_.empty() ? 0 : y_[0].size();
    y_.resize(nch);
    for (size_t c = 0; c < nch; c++)
        y_[c].assign(t->y[c], t->y[c] + t->n);
    bool spectrum = t->domain == QAIO_DOMAIN_FREQUENCY;
    QString yUnit = QString::fromLatin1(t->y_unit);
    for (size_t c = 0; c < nch; c++) {
        int ch = t->channel[c] == 2 ? 1 : t->channel[c] == 1 ? 0 : int(c);
        curve_[c]->setPen(kChannelColor[ch], 1);
        curve_[c]->setTitle(QStringLiteral("CH%1").arg(ch + 1));
        curve_[c]->setItemAttribute(QwtPlotItem::Legend, true);
        slotChannel_[c] = ch + 1;
    }
    bool axesChanged = spectrum != spectrum_ || yUnit != yUnit_ || t->x0 != x0_ || t->dx != dx_ || oldN != t->n;
    x0_ = t->x0;
    dx_ = t->dx;
    spectrum_ = spectrum;
    xUnit_ = QString::fromLatin1(t->x_unit);
    yUnit_ = yUnit;
    if (axesChanged)
        resetView();
    for (size_t c = nch; c < 2; c++) {
        curve_[c]->setSamples(QVector<QPointF>());
        curve_[c]->setItemAttribute(QwtPlotItem::Legend, false);
    }
    redecimate();
}

void TracePlot::redecimate()
{
    decimating_ = true;
    updateAxes();
    const QwtScaleDiv &div = axisScaleDiv(xBottom);
    int columns = std::max(canvas()->width(), 100);
    for (size_t c = 0; c < y_.size(); c++) {
        QVector<QPointF> v = decimateMinMax(y_[c].data(), y_[c].size(), x0_, dx_, div.lowerBound(),
                                            div.upperBound(), columns);
        int ch = slotChannel_[c] - 1;
        if (std::isfinite(perDiv_[ch]))
            for (QPointF &p : v)
                p.setY((p.y() + offset_[ch]) / perDiv_[ch]);
        curve_[c]->setSamples(v);
    }
    if (peakMarker_ && !y_.empty()) {
        QPointF p = peak();
        peak_->setValue(p);
        // Light text on a dark box: readable on the near-black canvas.
        QwtText label(si(p.x(), xUnit_) + ", " + si(p.y(), yUnit_));
        label.setColor(Qt::white);
        label.setBackgroundBrush(QColor(0x30, 0x38, 0x40, 220));
        label.setBorderRadius(3);
        peak_->setLabel(label);
        peak_->setVisible(true);
    }
    if (rebase_) {
        // The zoom stack's base is the new full view: the axes as set now,
        // y autoscaled to the samples just given (not the last ones).
        updateAxes();
        zoomer_->setZoomBase(false);
        rebase_ = false;
    }
    updateAxisPrefixes();
    decimating_ = false;
    replot();
    emit readoutChanged(readout());
}

int TracePlot::drawnVertices(size_t c) const { return c < 2 ? int(curve_[c]->dataSize()) : 0; }
QColor TracePlot::channelColor(int ch) { return kChannelColor[ch == 2 ? 1 : 0]; }
QColor TracePlot::curveColor(size_t c) const { return c < 2 ? curve_[c]->pen().color() : QColor(); }

void TracePlot::replot()
{
    QwtPlot::replot();
    redraws_++;
}

void TracePlot::autoscale()
{
    resetView();
    redecimate();
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
    // Horizontal cursors read in the first channel's unit (its volts on a
    // scope display in divisions).
    QString ch = std::isfinite(perDiv_[slotChannel_[0] - 1]) ? QStringLiteral("CH%1 ").arg(slotChannel_[0]) : QString();
    for (int c = 0; c < 2; c++)
        if (std::isfinite(cursorY_[c]))
            parts << QStringLiteral("%1: %2%3").arg(c == 0 ? "Y1" : "Y2", ch, si(plotToValue(cursorY_[c]), yUnit_));
    if (std::isfinite(cursorY_[0]) && std::isfinite(cursorY_[1]))
        parts << QStringLiteral("ΔY %1").arg(si(plotToValue(cursorY_[1]) - plotToValue(cursorY_[0]), yUnit_));
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
