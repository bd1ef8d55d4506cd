#include "waterfall.h"

#include "decimate.h"
#include "si_format.h"
#include "trace_plot.h"

#include <QEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <qwt_color_map.h>
#include <qwt_interval.h>
#include <qwt_plot_canvas.h>
#include <qwt_plot_item.h>
#include <qwt_scale_engine.h>
#include <qwt_scale_widget.h>

namespace {
// Dark to bright through blue, purple, red and orange: the noise floor
// stays dark on the dark canvas, strong lines stand out, and the order of
// the colours reads without the bar.
void fillPalette(QRgb *lut)
{
    static const struct { double at; int r, g, b; } stops[] = {
        {0.0, 0, 0, 0},      {0.2, 20, 12, 100},  {0.4, 120, 24, 140},
        {0.6, 215, 50, 60},  {0.8, 250, 160, 30}, {1.0, 255, 250, 210}};
    for (int i = 0; i < 256; i++) {
        double t = i / 255.0;
        size_t k = 0;
        while (k + 2 < std::size(stops) && t > stops[k + 1].at)
            k++;
        double f = (t - stops[k].at) / (stops[k + 1].at - stops[k].at);
        auto mix = [f](int a, int b) { return int(std::lround(a + (b - a) * f)); };
        lut[i] = qRgb(mix(stops[k].r, stops[k + 1].r), mix(stops[k].g, stops[k + 1].g), mix(stops[k].b, stops[k + 1].b));
    }
}

// Position of v in [lo, hi], 0..1 (log: in decades); NaN for no value.
double position(double v, double lo, double hi, bool log)
{
    if (!std::isfinite(v))
        return NAN;
    if (log) {
        if (!(v > 0))
            return 0;
        return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    }
    return (v - lo) / (hi - lo);
}

// The colour bar draws with the same palette and mapping as the rows.
class ColourMap : public QwtColorMap {
public:
    ColourMap(const QRgb *lut, bool log) : log_(log) { std::copy(lut, lut + 256, lut_); }
    QRgb rgb(const QwtInterval &iv, double v) const override { return lut_[colorIndex(iv, v)]; }
    unsigned char colorIndex(const QwtInterval &iv, double v) const override
    {
        double p = position(v, iv.minValue(), iv.maxValue(), log_);
        return (unsigned char)(std::isfinite(p) ? int(std::clamp(p, 0.0, 1.0) * 255 + 0.5) : 0);
    }

private:
    bool log_;
    QRgb lut_[256];
};
}

// Draws the ring of rows onto the canvas: the newest row at the top.
class WaterfallItem : public QwtPlotItem {
public:
    explicit WaterfallItem(Waterfall *w) : w_(w)
    {
        setItemAttribute(AutoScale, false);
        setItemAttribute(Legend, false);
    }
    int rtti() const override { return Rtti_PlotUserItem + 1; }
    void draw(QPainter *p, const QwtScaleMap &xMap, const QwtScaleMap &, const QRectF &canvas) const override
    {
        w_->paints_++;
        const QImage &img = w_->image_;
        if (img.isNull())
            return;
        // The columns span the frequency axis, inside the canvas margins.
        QRectF r(std::min(xMap.p1(), xMap.p2()), canvas.top(), std::fabs(xMap.p2() - xMap.p1()), canvas.height());
        int h = img.height(), head = w_->head_;
        double sy = r.height() / h;
        double older = (h - head) * sy;
        p->drawImage(QRectF(r.left(), r.top(), r.width(), older), img, QRectF(0, head, img.width(), h - head));
        if (head > 0)
            p->drawImage(QRectF(r.left(), r.top() + older, r.width(), head * sy), img,
                         QRectF(0, 0, img.width(), head));
    }

private:
    Waterfall *w_;
};

Waterfall::Waterfall(TracePlot *spectrum, QWidget *parent) : QwtPlot(parent), spectrum_(spectrum)
{
    setObjectName(QStringLiteral("waterfall"));
    fillPalette(lut_);
    setCanvasBackground(Qt::black);
    (new WaterfallItem(this))->attach(this);
    setAxisScaleDraw(xBottom, new SiScaleDraw);
    setAxisScaleDraw(yLeft, new SiScaleDraw);
    axisWidget(yLeft)->setColorBarEnabled(true);
    axisWidget(yLeft)->setColorBarWidth(12);
    setMinimumHeight(120);
    canvas()->installEventFilter(this);
    canvas()->setToolTip(tr("Waterfall: the spectrum's history, newest at the top; the colour bar is in the "
                            "spectrum's unit. It follows the spectrum's frequency axis (zoom, pan, log) and "
                            "starts anew when that changes."));
    connect(spectrum_->axisWidget(xBottom), &QwtScaleWidget::scaleDivChanged, this, &Waterfall::followSpectrum);
    connect(spectrum_, &TracePlot::columnsChanged, this, &Waterfall::followPrefix);
    // The two canvases line up: the left axes get the same width.
    connect(spectrum_->axisWidget(yLeft), &QwtScaleWidget::scaleDivChanged, this, &Waterfall::alignAxes);
    connect(axisWidget(yLeft), &QwtScaleWidget::scaleDivChanged, this, &Waterfall::alignAxes);
    followSpectrum();
    updateColourBar();
}

bool Waterfall::eventFilter(QObject *o, QEvent *e)
{
    if (o == canvas() && e->type() == QEvent::Resize)
        resizeImage();
    return QwtPlot::eventFilter(o, e);
}

// One image column per pixel of the frequency axis, one row per canvas line.
QSize Waterfall::wantedSize() const
{
    const QwtScaleMap m = canvasMap(xBottom);
    return QSize(int(std::lround(std::fabs(m.p2() - m.p1()))), canvas()->contentsRect().height());
}

void Waterfall::followSpectrum()
{
    if (!isVisible()) { // hidden: nothing to keep up, done when shown
        stale_ = true;
        return;
    }
    stale_ = false;
    bool log = spectrum_->logScale(xBottom);
    if (log != (canvasMap(xBottom).transformation() != nullptr))
        setAxisScaleEngine(xBottom, log ? static_cast<QwtScaleEngine *>(new QwtLogScaleEngine)
                                        : static_cast<QwtScaleEngine *>(new QwtLinearScaleEngine));
    setAxisScaleDiv(xBottom, spectrum_->axisScaleDiv(xBottom));
    followPrefix();
    updateAxes();
    redraw();
    replot();
}

// The tick labels in the spectrum's prefix (its axis title says which): set
// after its scale, so taken when its columns change.
void Waterfall::followPrefix()
{
    auto *from = dynamic_cast<const SiScaleDraw *>(spectrum_->axisScaleDraw(xBottom));
    if (from && static_cast<SiScaleDraw *>(axisScaleDraw(xBottom))->setFactor(from->factor()))
        axisWidget(xBottom)->update();
}

void Waterfall::resizeImage()
{
    QSize s = wantedSize();
    if (s.width() < 1 || s.height() < 1 || s == image_.size())
        return;
    image_ = QImage(s, QImage::Format_RGB32);
    values_.assign(size_t(s.width()) * size_t(s.height()), NAN);
    redraw();
}

// The image rows anew from the history, on the current columns: after a
// zoom, a pan, a log axis or a resize the rows keep their frequencies
// (at the history's resolution; new rows are exact).
void Waterfall::redraw()
{
    int w = image_.width(), h = image_.height();
    if (w < 1 || h < 1)
        return;
    std::fill(values_.begin(), values_.end(), NAN);
    head_ = 0;
    held_ = std::min(histHeld_, h);
    PixelColumns cols = columns();
    for (int r = 0; r < held_; r++)
        decimateExtreme(history_.data() + size_t((histHead_ + r) % kHistoryRows) * histCols_, histCols_, histX0_,
                        histDx_, cols, true, values_.data() + size_t(r) * size_t(w));
    recolour();
}

PixelColumns Waterfall::columns() const
{
    const QwtScaleDiv &div = axisScaleDiv(xBottom);
    return PixelColumns{div.lowerBound(), div.upperBound(), image_.width(),
                        canvasMap(xBottom).transformation() != nullptr};
}

// A row of the history: the spectrum at its own resolution up to
// kHistoryColumns bins, the largest of each group of bins beyond.
void Waterfall::remember(const qaio_trace *t)
{
    double first = t->x0, last = t->x0 + t->dx * double(t->n - 1);
    if (t->n != histN_ || first != histSpan_[0] || last != histSpan_[1]) { // another spectrum: old rows mean nothing
        histN_ = t->n;
        histSpan_[0] = first;
        histSpan_[1] = last;
        histCols_ = std::min<size_t>(t->n, kHistoryColumns);
        history_.assign(histCols_ * kHistoryRows, NAN);
        histHead_ = histHeld_ = 0;
        held_ = 0;
        std::fill(values_.begin(), values_.end(), NAN);
        image_.fill(Qt::black);
    }
    histHead_ = (histHead_ + kHistoryRows - 1) % kHistoryRows;
    histHeld_ = std::min(histHeld_ + 1, kHistoryRows);
    float *row = history_.data() + size_t(histHead_) * histCols_;
    if (histCols_ == t->n) {
        std::copy(t->y[0], t->y[0] + t->n, row);
        histX0_ = t->x0;
        histDx_ = t->dx;
    } else {
        double step = (last - first) / double(histCols_);
        decimateExtreme(t->y[0], t->n, t->x0, t->dx, PixelColumns{first, last, int(histCols_), false}, true, row);
        histX0_ = first + step / 2;
        histDx_ = step;
    }
}

void Waterfall::clear()
{
    histHeld_ = 0;
    histN_ = 0;
    image_.fill(Qt::black);
    std::fill(values_.begin(), values_.end(), NAN);
    head_ = 0;
    held_ = 0;
    if (auto_) {
        lo_ = hi_ = NAN;
        updateColourBar();
    }
    if (isVisible())
        replot();
}

void Waterfall::setScale(double lo, double hi, bool log, const QString &unit)
{
    auto_ = !(std::isfinite(lo) && std::isfinite(hi) && hi > lo && (!log || lo > 0));
    lo_ = auto_ ? NAN : lo;
    hi_ = auto_ ? NAN : hi;
    log_ = log;
    unit_ = unit;
    if (auto_ && held_ > 0)
        fitScale(values_); // the range of what is held
    updateColourBar();
    recolour();
    replot();
}

// The auto scale: the range of the values (positive ones on a log scale).
bool Waterfall::fitScale(const std::vector<float> &values)
{
    float a = INFINITY, b = -INFINITY;
    for (float v : values)
        if (std::isfinite(v) && (!log_ || v > 0)) {
            a = std::min(a, v);
            b = std::max(b, v);
        }
    if (!(a <= b))
        return false;
    lo_ = a;
    hi_ = b > a ? double(b) : log_ ? a * 10.0 : a + 1.0;
    return true;
}

int Waterfall::index(double v) const
{
    double p = std::isfinite(lo_) ? position(v, lo_, hi_, log_) : NAN;
    return std::isfinite(p) ? int(std::clamp(p, 0.0, 1.0) * 255 + 0.5) : -1;
}

QRgb Waterfall::colourOf(double v) const
{
    int i = index(v);
    return i < 0 ? qRgb(0, 0, 0) : lut_[i];
}

QRgb Waterfall::pixelAt(double frequency, int ageRows) const
{
    const QwtScaleMap m = canvasMap(xBottom);
    int x = int(std::floor(m.transform(frequency) - std::min(m.p1(), m.p2())));
    if (image_.isNull() || x < 0 || x >= image_.width() || ageRows >= held_)
        return qRgb(0, 0, 0);
    return image_.pixel(x, (head_ + ageRows) % image_.height());
}

QString Waterfall::scaleTitle() const { return axisTitle(yLeft).text(); }

void Waterfall::recolour()
{
    int w = image_.width(), h = image_.height();
    for (int r = 0; r < h; r++) {
        auto *px = reinterpret_cast<QRgb *>(image_.scanLine(r));
        const float *v = values_.data() + size_t(r) * size_t(w);
        for (int x = 0; x < w; x++) {
            int i = index(double(v[x]));
            px[x] = i < 0 ? qRgb(0, 0, 0) : lut_[i];
        }
    }
}

void Waterfall::updateColourBar()
{
    bool haveRange = std::isfinite(lo_) && std::isfinite(hi_);
    double lo = haveRange ? lo_ : log_ ? 1e-6 : 0, hi = haveRange ? hi_ : log_ ? 1 : 1;
    if (log_ != (canvasMap(yLeft).transformation() != nullptr))
        setAxisScaleEngine(yLeft, log_ ? static_cast<QwtScaleEngine *>(new QwtLogScaleEngine)
                                       : static_cast<QwtScaleEngine *>(new QwtLinearScaleEngine));
    setAxisScale(yLeft, lo, hi);
    axisWidget(yLeft)->setColorMap(QwtInterval(lo, hi), new ColourMap(lut_, log_));
    bool db = unit_.startsWith(QLatin1String("dB"));
    SiPrefix p = db || unit_.isEmpty() ? SiPrefix{1, ""} : siPrefixFor(std::max(std::fabs(lo), std::fabs(hi)));
    static_cast<SiScaleDraw *>(axisScaleDraw(yLeft))->setFactor(p.factor);
    QString title = QString::fromUtf8(p.name) + unit_;
    if (axisTitle(yLeft).text() != title)
        setAxisTitle(yLeft, title);
    alignAxes();
}

void Waterfall::addRow(const qaio_trace *t)
{
    if (!t || t->n == 0 || t->nch == 0)
        return;
    if (image_.size() != wantedSize())
        resizeImage();
    int w = image_.width(), h = image_.height();
    if (w < 1 || h < 1)
        return;
    remember(t);
    row_.resize(size_t(w));
    decimateExtreme(t->y[0], t->n, t->x0, t->dx, columns(), true, row_.data());
    if (auto_ && !std::isfinite(lo_) && fitScale(row_)) {
        updateColourBar();
        recolour();
    }
    head_ = (head_ + h - 1) % h;
    held_ = std::min(held_ + 1, h);
    added_++;
    std::copy(row_.begin(), row_.end(), values_.begin() + ptrdiff_t(head_) * w);
    auto *px = reinterpret_cast<QRgb *>(image_.scanLine(head_));
    for (int x = 0; x < w; x++) {
        int i = index(double(row_[size_t(x)]));
        px[x] = i < 0 ? qRgb(0, 0, 0) : lut_[i];
    }
    replot();
}

// The waterfall's left axis (the colour bar) and the spectrum's get the
// same width, so the two canvases, and a line's frequency, line up.
void Waterfall::alignAxes()
{
    if (!isVisible())
        return;
    QwtScaleWidget *a = spectrum_->axisWidget(yLeft), *b = axisWidget(yLeft);
    QwtAbstractScaleDraw *sa = a->scaleDraw(), *sb = b->scaleDraw();
    double oldA = sa->minimumExtent(), oldB = sb->minimumExtent();
    sa->setMinimumExtent(0); // measured without the padding
    sb->setMinimumExtent(0);
    int ea = int(sa->extent(a->font())), eb = int(sb->extent(b->font()));
    int da = a->dimForLength(QWIDGETSIZE_MAX, a->font()), db = b->dimForLength(QWIDGETSIZE_MAX, b->font());
    double wantA = da < db ? ea + db - da : 0, wantB = db < da ? eb + da - db : 0;
    sa->setMinimumExtent(oldA);
    sb->setMinimumExtent(oldB);
    if (sa->minimumExtent() != wantA) {
        sa->setMinimumExtent(wantA);
        a->updateGeometry();
        spectrum_->updateLayout();
    }
    if (sb->minimumExtent() != wantB) {
        sb->setMinimumExtent(wantB);
        b->updateGeometry();
        updateLayout();
    }
}

void Waterfall::showEvent(QShowEvent *e)
{
    QwtPlot::showEvent(e);
    if (stale_)
        followSpectrum();
    alignAxes();
}
