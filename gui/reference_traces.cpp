#include "reference_traces.h"

#include "decimate.h"
#include "si_format.h"
#include "trace_plot.h"

#include <QPen>
#include <QSaveFile>
#include <QStringList>
#include <cstdio>
#include <memory>
#include <qwt_plot.h>
#include <qwt_plot_curve.h>
#include <unistd.h>

namespace {
// Muted and dashed: never mistaken for a live channel's yellow or blue.
const QColor kRefColor[4] = {QColor(0xd0, 0x60, 0xd0), QColor(0x60, 0xd0, 0x90), QColor(0xe0, 0x80, 0x50),
                             QColor(0xa0, 0xa0, 0xa0)};
// A reference is drawn once, not re-decimated on zoom: this many columns
// keep its peaks and noise band at any usual window width.
constexpr int kColumns = 4096;

// A reference on the scope plot is kept in volts and drawn on the plot's
// divisions of its channel as they are now, like the live curve: a V/div
// or offset change moves both alike. Other plots draw the values as they are.
class ChannelScaledSeries : public QwtPointSeriesData {
public:
    ChannelScaledSeries(const QVector<QPointF> &points, const QwtPlot *plot, int channel)
        : QwtPointSeriesData(points), plot_(dynamic_cast<const TracePlot *>(plot)), channel_(channel)
    {
    }
    QPointF sample(size_t i) const override
    {
        QPointF p = QwtPointSeriesData::sample(i);
        if (plot_)
            p.setY(plot_->valueToPlot(channel_, p.y()));
        return p;
    }
    QRectF boundingRect() const override { return qwtBoundingRect(*this); }

private:
    const TracePlot *plot_;
    int channel_;
};

QString rateText(const char *hz)
{
    double v = hz ? QByteArray(hz).toDouble() : 0;
    return v > 0 ? siFormat(v, QStringLiteral("S/s")) : QString();
}

// The settings a reader of the legend needs to compare two curves.
QString settingsText(const qaio_trace *t, const qaio_csv_meta *m)
{
    QStringList parts;
    if (m) {
        auto used = [m](const char *key) {
            const char *v = qaio_csv_meta_get(m, QAIO_CSV_USED, key);
            return v ? v : qaio_csv_meta_get(m, QAIO_CSV_ASKED, key);
        };
        if (t->domain == QAIO_DOMAIN_FREQUENCY && used("window"))
            parts << QString::fromUtf8(used("window"));
        if (used("points"))
            parts << QStringLiteral("%1 pts").arg(QString::fromUtf8(used("points")));
        QString rate = rateText(used("rate_hz"));
        if (!rate.isEmpty())
            parts << rate;
    }
    parts << QStringLiteral("%1 avg").arg(t->averages);
    if (m && m->time[0])
        parts << QString::fromUtf8(m->time);
    return parts.join(QStringLiteral(", "));
}
}

ReferenceTraces::ReferenceTraces(QwtPlot *scope, QwtPlot *spectrum, QObject *parent)
    : QObject(parent), scope_(scope), spectrum_(spectrum)
{
}

ReferenceTraces::~ReferenceTraces()
{
    for (Ref &r : refs_)
        qDeleteAll(r.curves);
}

bool ReferenceTraces::freeze(const qaio_trace *t, const qaio_csv_meta *meta, QString *error)
{
    if (!t || t->n == 0 || t->nch == 0) {
        *error = tr("no curve to freeze yet: run first");
        return false;
    }
    if (t->domain != QAIO_DOMAIN_TIME && t->domain != QAIO_DOMAIN_FREQUENCY) {
        *error = tr("the curve says neither time nor frequency");
        return false;
    }
    add(t, meta);
    return true;
}

bool ReferenceTraces::load(const QString &path, QString *error)
{
    std::unique_ptr<qaio_trace, void (*)(qaio_trace *)> t(qaio_trace_new(0, 0), qaio_trace_free);
    auto meta = std::make_unique<qaio_csv_meta>();
    qaio_csv_error err;
    int rc = t ? qaio_csv_read_file(path.toLocal8Bit().constData(), t.get(), meta.get(), &err) : QAIO_ENOMEM;
    if (rc) {
        *error = err.message[0] ? QString::fromUtf8(err.message) : QString::fromUtf8(qaio_strerror(rc));
        if (err.line)
            *error = QStringLiteral("%1: %2").arg(path, *error);
        return false;
    }
    if (t->domain != QAIO_DOMAIN_TIME && t->domain != QAIO_DOMAIN_FREQUENCY) {
        *error = tr("%1: x is neither time_s nor frequency_Hz").arg(path);
        return false;
    }
    add(t.get(), meta.get());
    return true;
}

void ReferenceTraces::add(const qaio_trace *t, const qaio_csv_meta *meta)
{
    if (refs_.size() == kMax) {
        qDeleteAll(refs_.front().curves);
        refs_.pop_front();
    }
    Ref r;
    r.plot = t->domain == QAIO_DOMAIN_FREQUENCY ? spectrum_ : scope_;
    r.n = t->n;
    int number = ++made_;
    QString settings = settingsText(t, meta);
    QColor colour = kRefColor[(number - 1) % 4];
    QVector<double> x;
    if (t->x) {
        x.resize(int(t->n));
        for (size_t i = 0; i < t->n; i++)
            x[int(i)] = t->x[i];
    }
    for (size_t c = 0; c < t->nch; c++) {
        int ch = t->channel[c] > 0 ? t->channel[c] : int(c) + 1;
        QString name = QStringLiteral("REF%1 CH%2 %3").arg(number).arg(ch).arg(QString::fromUtf8(t->y_unit));
        auto *curve = new QwtPlotCurve(QStringLiteral("%1 - %2").arg(name, settings));
        QPen pen(colour.darker(100 + 40 * int(c)), 1, Qt::DashLine);
        curve->setPen(pen);
        curve->setRenderHint(QwtPlotItem::RenderAntialiased, false);
        curve->setZ(5); // under the live curves
        QVector<QPointF> points;
        if (t->x) {
            points.resize(int(t->n));
            for (size_t i = 0; i < t->n; i++)
                points[int(i)] = QPointF(x[int(i)], double(t->y[c][i]));
        } else {
            double last = t->x0 + t->dx * double(t->n - 1);
            points = decimateMinMax(t->y[c], t->n, t->x0, t->dx, PixelColumns{t->x0, last, kColumns});
        }
        curve->setData(new ChannelScaledSeries(points, r.plot, ch));
        curve->attach(r.plot);
        r.curves << curve;
        if (c == 0)
            r.title = curve->title().text();
    }
    refs_ << r;
    r.plot->replot();
    emit changed();
}

void ReferenceTraces::clear()
{
    for (Ref &r : refs_) {
        qDeleteAll(r.curves);
        r.plot->replot();
    }
    refs_.clear();
    emit changed();
}

QString ReferenceTraces::title(int i) const { return i >= 0 && i < refs_.size() ? refs_[i].title : QString(); }
QwtPlot *ReferenceTraces::plot(int i) const { return i >= 0 && i < refs_.size() ? refs_[i].plot : nullptr; }
size_t ReferenceTraces::points(int i) const { return i >= 0 && i < refs_.size() ? refs_[i].n : 0; }

bool writeTraceCsv(const QString &path, const qaio_trace *t, const qaio_csv_meta *meta, QString *error)
{
    if (!t || t->n == 0) {
        *error = QObject::tr("nothing to export yet");
        return false;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = f.errorString();
        return false;
    }
    // The library writes to a FILE: a duplicate of the save file's
    // descriptor, flushed and closed before the rename.
    int fd = dup(f.handle());
    FILE *out = fd >= 0 ? fdopen(fd, "w") : nullptr;
    if (!out) {
        if (fd >= 0)
            ::close(fd);
        *error = QObject::tr("cannot write %1").arg(path);
        return false;
    }
    int rc = qaio_csv_write(out, t, meta);
    if (fclose(out) != 0 && rc == 0)
        rc = QAIO_EIO;
    if (rc != 0) {
        f.cancelWriting();
        *error = QObject::tr("writing %1 failed: %2").arg(path, QString::fromUtf8(qaio_strerror(rc)));
        return false;
    }
    if (!f.commit()) {
        *error = f.errorString();
        return false;
    }
    return true;
}
