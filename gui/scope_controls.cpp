#include "scope_controls.h"

#include "line_dragger.h"
#include "si_text.h"
#include "trace_plot.h"

#include <QApplication>
#include <QComboBox>
#include <QWheelEvent>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <cmath>
#include <qaio/instr.h>
#include <qwt_plot_marker.h>
#include <qwt_text.h>

namespace {
// A bench scope's 1-2-5 steps from `from` to `to`.
std::vector<double> steps125(double from, double to)
{
    std::vector<double> v;
    for (double decade = from; decade <= to * 1.0001; decade *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (decade * m <= to * 1.0001)
                v.push_back(decade * m);
    return v;
}

void select(QComboBox *c, double value)
{
    int best = 0;
    for (int i = 0; i < c->count(); i++)
        if (std::fabs(c->itemData(i).toDouble() - value) < std::fabs(c->itemData(best).toDouble() - value))
            best = i;
    c->setCurrentIndex(best);
}

QSettings store() { return QSettings(QStringLiteral("qaio"), QStringLiteral("qaio-scope")); }
}

ScopeControls::ScopeControls(TracePlot *plot, QWidget *parent)
    : QGroupBox(tr("Scope display"), parent), plot_(plot), remember_(false)
{
    auto *f = new QFormLayout(this);
    for (int c = 0; c < 2; c++) {
        vdiv_[c] = new QComboBox;
        vdiv_[c]->setObjectName(QStringLiteral("vdiv%1").arg(c + 1));
        for (double v : steps125(1e-3, 10))
            vdiv_[c]->addItem(siText(v, QStringLiteral("V"), 1), v);
        vdiv_[c]->setToolTip(tr("CH%1 volts per vertical division (8 divisions); display only: "
                                "the record keeps its volts").arg(c + 1));
        offset_[c] = new QDoubleSpinBox;
        offset_[c]->setObjectName(QStringLiteral("offset%1").arg(c + 1));
        offset_[c]->setRange(-100, 100);
        offset_[c]->setDecimals(3);
        offset_[c]->setSingleStep(0.1);
        offset_[c]->setSuffix(QStringLiteral(" V"));
        offset_[c]->setToolTip(tr("CH%1 offset: volts added to the trace before scaling (+ moves it up); "
                                  "display only").arg(c + 1));
        f->addRow(tr("CH%1 V/div").arg(c + 1), vdiv_[c]);
        f->addRow(tr("CH%1 offset").arg(c + 1), offset_[c]);
    }
    tdiv_ = new QComboBox;
    tdiv_->setObjectName("timeDiv");
    tdiv_->addItem(tr("whole record"), 0.0);
    for (double t : steps125(1e-7, 1))
        tdiv_->addItem(siText(t, QStringLiteral("s"), 1), t);
    tdiv_->setToolTip(tr("Time per horizontal division (10 divisions), or the whole record. Display only: "
                         "the record spans Points / Sample rate, so set those to acquire a longer time"));
    position_ = new QSpinBox;
    position_->setObjectName("triggerPosition");
    position_->setRange(0, 100);
    position_->setSuffix(QStringLiteral(" %"));
    position_->setToolTip(tr("Trigger position: the part of the record (and of the screen with a time/div) "
                             "before the trigger. The simulated scope records that much before its trigger; "
                             "SCPI instruments keep their own trigger point (Red Pitaya: the middle), so "
                             "there it only moves the view"));
    f->addRow(tr("Time/div"), tdiv_);
    f->addRow(tr("Trigger position"), position_);

    trigLine_ = new QwtPlotMarker;
    trigLine_->setLineStyle(QwtPlotMarker::HLine);
    trigLine_->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    trigLine_->setZ(30);
    trigLine_->attach(plot);
    trigTime_ = new QwtPlotMarker;
    trigTime_->setLineStyle(QwtPlotMarker::VLine);
    trigTime_->setLinePen(QColor(0x90, 0x98, 0xa0), 1, Qt::DotLine);
    trigTime_->setXValue(0);
    trigTime_->attach(plot);
    plot->dragger()->add(trigLine_, [this](double y) {
        trigLine_->setYValue(y);
        plot_->replot();
        level_ = y * d_.voltsPerDiv[source_ - 1] - d_.offset[source_ - 1];
        emit levelDragged(level_);
    });

    saveTimer_ = new QTimer(this);
    saveTimer_->setSingleShot(true);
    saveTimer_->setInterval(1000);
    connect(saveTimer_, &QTimer::timeout, this, &ScopeControls::save);
    // The position is an acquisition setting: applied (restarting the
    // average) once the spin box pauses, as the panel's other spin boxes.
    positionTimer_ = new QTimer(this);
    positionTimer_->setSingleShot(true);
    positionTimer_->setInterval(400);
    connect(positionTimer_, &QTimer::timeout, this, [this] { emit triggerPositionChanged(d_.triggerPosition); });
    showDisplay();
    apply();
    // The wheel scrolls the control column unless a box has the focus
    // (clicked or tabbed to): passing over a box does not change it.
    for (QWidget *w : std::initializer_list<QWidget *>{vdiv_[0], vdiv_[1], tdiv_, offset_[0], offset_[1], position_}) {
        w->setFocusPolicy(Qt::StrongFocus);
        w->installEventFilter(this);
    }
    for (QComboBox *c : {vdiv_[0], vdiv_[1], tdiv_})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &ScopeControls::readControls);
    for (QDoubleSpinBox *b : offset_)
        connect(b, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ScopeControls::readControls);
    connect(position_, qOverload<int>(&QSpinBox::valueChanged), this, &ScopeControls::readControls);
}

void ScopeControls::restore()
{
    ScopeDisplay d = d_;
    QSettings s = store();
    s.beginGroup(QStringLiteral("scope_display"));
    auto read = [&s](const QString &key, double *v, double lo, double hi) {
        double x = s.value(key, *v).toDouble();
        if (std::isfinite(x) && x >= lo && x <= hi)
            *v = x;
    };
    for (int c = 0; c < 2; c++) {
        read(QStringLiteral("volts_per_div%1").arg(c + 1), &d.voltsPerDiv[c], 1e-3, 10);
        read(QStringLiteral("offset%1").arg(c + 1), &d.offset[c], -100, 100);
    }
    read(QStringLiteral("time_per_div"), &d.timePerDiv, 0, 1);
    remember_ = true;
    fromSettings_ = true; // the position is the acquisition's
    setDisplay(d);
    fromSettings_ = false;
}

ScopeControls::~ScopeControls()
{
    if (saveTimer_->isActive())
        save();
}

void ScopeControls::saveIfRemembered()
{
    if (remember_)
        save();
}

void ScopeControls::save()
{
    saveTimer_->stop();
    QSettings s = store();
    s.beginGroup(QStringLiteral("scope_display"));
    for (int c = 0; c < 2; c++) {
        s.setValue(QStringLiteral("volts_per_div%1").arg(c + 1), d_.voltsPerDiv[c]);
        s.setValue(QStringLiteral("offset%1").arg(c + 1), d_.offset[c]);
    }
    s.setValue(QStringLiteral("time_per_div"), d_.timePerDiv);
}

bool ScopeControls::eventFilter(QObject *o, QEvent *e)
{
    auto *w = qobject_cast<QWidget *>(o);
    if (e->type() == QEvent::Wheel && w && !w->hasFocus() && w->parentWidget()) {
        QApplication::sendEvent(w->parentWidget(), e);
        return true;
    }
    return QGroupBox::eventFilter(o, e);
}

void ScopeControls::setDisplay(const ScopeDisplay &d)
{
    double oldPosition = d_.triggerPosition;
    d_ = d;
    showDisplay();
    apply();
    if (remember_)
        saveTimer_->start();
    if (d_.triggerPosition != oldPosition && !fromSettings_)
        positionTimer_->start();
}

void ScopeControls::showDisplay()
{
    showing_ = true;
    for (int c = 0; c < 2; c++) {
        select(vdiv_[c], d_.voltsPerDiv[c]);
        offset_[c]->setValue(d_.offset[c]);
    }
    select(tdiv_, d_.timePerDiv);
    position_->setValue(int(std::lround(d_.triggerPosition * 100)));
    showing_ = false;
}

// Display controls apply at once: they only redraw.
void ScopeControls::readControls()
{
    if (showing_)
        return;
    ScopeDisplay d = d_;
    for (int c = 0; c < 2; c++) {
        d.voltsPerDiv[c] = vdiv_[c]->currentData().toDouble();
        d.offset[c] = offset_[c]->value();
    }
    d.timePerDiv = tdiv_->currentData().toDouble();
    d.triggerPosition = position_->value() / 100.0;
    setDisplay(d);
}

void ScopeControls::apply()
{
    for (int c = 0; c < 2; c++)
        plot_->setChannelScale(c + 1, d_.voltsPerDiv[c], d_.offset[c]);
    double span = ScopeDisplay::kHorizontalDivs * d_.timePerDiv;
    double half = ScopeDisplay::kVerticalDivs / 2.0;
    // x: 10 divisions with the trigger time (0) at the trigger position, or
    // the whole record (NaN); y: the 8 divisions.
    QRectF view(span > 0 ? -d_.triggerPosition * span : NAN, -half, span, 2 * half);
    // x ticks where Qwt finds room for their labels (every division would
    // crowd them at 1024 px); y: every division.
    plot_->setFixedView(view, 0, 1, tr("divisions"));
    setTrigger(level_, source_, d_.triggerPosition);
}

void ScopeControls::setTrigger(double level, unsigned source, double position)
{
    if (position != d_.triggerPosition && !positionTimer_->isActive()) {
        ScopeDisplay d = d_;
        d.triggerPosition = position;
        fromSettings_ = true; // nothing to send back
        setDisplay(d);
        fromSettings_ = false;
    }
    if (plot_->dragger()->dragging())
        return;
    level_ = level;
    source_ = source == 2 ? 2 : 1;
    QColor colour = TracePlot::channelColor(int(source_));
    trigLine_->setLinePen(colour, 1, Qt::DashLine);
    QwtText label(tr("T CH%1 %2").arg(source_).arg(siText(level, QStringLiteral("V"), 3)));
    label.setColor(colour);
    // A dark box: readable over the traces it crosses.
    label.setBackgroundBrush(QColor(0x18, 0x1c, 0x20, 220));
    double y = plot_->valueToPlot(int(source_), level);
    if (y != trigLine_->yValue() || label.text() != trigLine_->label().text()) {
        trigLine_->setYValue(y);
        trigLine_->setLabel(label);
        plot_->replot();
    }
}

void ScopeControls::autoscale(const qaio_trace *scope)
{
    ScopeDisplay d = d_;
    d.timePerDiv = 0;
    for (size_t c = 0; scope && c < scope->nch; c++) {
        qaio_measurements m;
        int ch = scope->channel[c] == 2 ? 2 : 1;
        if (qaio_measure_trace(scope, c, &m) != 0)
            continue;
        double perDiv = 10;
        for (double v : steps125(1e-3, 10))
            if (6 * v >= m.vpp) {
                perDiv = v;
                break;
            }
        d.voltsPerDiv[ch - 1] = perDiv;
        // Centred, to a tenth of a division.
        double mid = (m.max + m.min) / 2;
        d.offset[ch - 1] = -std::round(mid / (perDiv / 10)) * (perDiv / 10) + 0.0; // no -0
    }
    setDisplay(d);
}
