#include "measurements_view.h"

#include "si_text.h"
#include "trace_plot.h"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <vector>

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

struct MeasurementsView::Job {
    unsigned generation = 0;
    size_t nch = 0;
    int channel[2] = {0, 0};
    std::vector<float> y[2];
    double dx = 1;
    QString unit;
    qaio_measurements m[2];
};

MeasurementsView::~MeasurementsView() { pool_.waitForDone(); }

void MeasurementsView::traceChanged(const qaio_trace *scope)
{
    trace_ = scope;
    dirty_ = true;
    if (!scope || scope->n == 0) { // cleared at once: stale numbers would lie
        generation_++;
        dirty_ = false;
        Job none;
        none.generation = generation_;
        show(none);
    } else if (!timer_->isActive()) {
        timer_->start();
    }
}

void MeasurementsView::refresh()
{
    if (!dirty_ || busy_ || !trace_ || trace_->n == 0)
        return;
    dirty_ = false;
    auto job = std::make_shared<Job>();
    job->generation = generation_;
    job->nch = std::min<size_t>(trace_->nch, 2);
    job->dx = trace_->dx;
    job->unit = QString::fromLatin1(trace_->y_unit);
    for (size_t c = 0; c < job->nch; c++) {
        job->channel[c] = trace_->channel[c] == 2 ? 2 : 1;
        job->y[c].assign(trace_->y[c], trace_->y[c] + trace_->n);
    }
    busy_ = true;
    pool_.start([this, job] {
        for (size_t c = 0; c < job->nch; c++)
            qaio_measure(job->y[c].data(), job->y[c].size(), job->dx, &job->m[c]);
        // Back on the GUI thread; the destructor waits for this job, and Qt
        // drops the call if the view is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, job] {
                busy_ = false;
                if (job->generation == generation_)
                    show(*job);
                if (dirty_ && !timer_->isActive())
                    timer_->start();
            },
            Qt::QueuedConnection);
    });
}

void MeasurementsView::show(const Job &job)
{
    for (size_t c = 0; c < 2; c++) {
        qaio_measurements &m = values_[c];
        if (c >= job.nch || std::isnan(job.m[c].mean)) {
            qaio_measurements_clear(&m);
            channel_[c] = 0;
            text_[c].clear();
            line_[c]->setVisible(false);
            continue;
        }
        m = job.m[c];
        int ch = job.channel[c];
        const QString &u = job.unit;
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
