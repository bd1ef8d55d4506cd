#include "measurements_view.h"

#include "si_text.h"
#include "trace_plot.h"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

MeasurementsView::MeasurementsView(QWidget *parent) : QWidget(parent)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    for (int c = 0; c < 2; c++) {
        line_[c] = new QLabel;
        line_[c]->setObjectName(QStringLiteral("measurements%1").arg(c + 1));
        // Elided by hand to the width given, never widening the window.
        line_[c]->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
        line_[c]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        line_[c]->setVisible(false);
        v->addWidget(line_[c]);
        qaio_measurements_clear(&values_[c]);
    }
    setToolTip(tr("Measurements of each channel's curve (the average shown), a few times a second: "
                  "Vpp, RMS (DC included), mean, frequency and period (from the rising edges through "
                  "the mean, with hysteresis), min, max and amplitude (top - base, the flat levels)"));
    timer_ = new QTimer(this);
    timer_->setSingleShot(true);
    timer_->setInterval(kIntervalMs);
    connect(timer_, &QTimer::timeout, this, &MeasurementsView::refresh);
}

void MeasurementsView::traceChanged(const qaio_trace *scope)
{
    trace_ = scope;
    dirty_ = true;
    if (!scope || scope->n == 0)
        refresh(); // cleared at once: stale numbers would lie
    else if (!timer_->isActive())
        timer_->start();
}

void MeasurementsView::refresh()
{
    if (!dirty_)
        return;
    dirty_ = false;
    size_t nch = trace_ && trace_->n ? std::min<size_t>(trace_->nch, 2) : 0;
    for (size_t c = 0; c < 2; c++) {
        qaio_measurements &m = values_[c];
        if (c >= nch || qaio_measure_trace(trace_, c, &m) != 0) {
            qaio_measurements_clear(&m);
            channel_[c] = 0;
            text_[c].clear();
            line_[c]->setVisible(false);
            continue;
        }
        int ch = trace_->channel[c] == 2 ? 2 : 1;
        QString u = QString::fromLatin1(trace_->y_unit);
        channel_[c] = ch;
        // The readings asked most first: what eliding keeps at a narrow width.
        text_[c] = tr("CH%1   Vpp %2   RMS %3   f %4   mean %5   T %6   min %7   max %8   ampl %9")
                       .arg(ch)
                       .arg(siText(m.vpp, u), siText(m.rms, u), siText(m.frequency, "Hz", 5), siText(m.mean, u),
                            siText(m.period, "s", 5), siText(m.min, u), siText(m.max, u), siText(m.amplitude, u));
        QColor colour = TracePlot::channelColor(ch);
        line_[c]->setStyleSheet(QStringLiteral("QLabel { background: #181c20; color: %1; padding: 1px 4px; }")
                                    .arg(colour.name()));
        line_[c]->setToolTip(text_[c]);
        line_[c]->setVisible(true);
    }
    elide();
}

void MeasurementsView::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    elide();
}

void MeasurementsView::elide()
{
    for (int c = 0; c < 2; c++)
        line_[c]->setText(line_[c]->fontMetrics().elidedText(text_[c], Qt::ElideRight, std::max(0, width() - 8)));
}
