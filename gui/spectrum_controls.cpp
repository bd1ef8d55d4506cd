#include "spectrum_controls.h"

#include "hold_curves.h"
#include "si_format.h"
#include "trace_plot.h"
#include "waterfall.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSettings>
#include <cmath>

namespace {
QString windowDisplayName(qaio_window w)
{
    switch (w) {
    case QAIO_WINDOW_RECT: return QStringLiteral("Rect");
    case QAIO_WINDOW_HANN: return QStringLiteral("Hann");
    case QAIO_WINDOW_HAMMING: return QStringLiteral("Hamming");
    case QAIO_WINDOW_BLACKMAN_HARRIS: return QStringLiteral("Blackman-Harris");
    case QAIO_WINDOW_FLATTOP: return QStringLiteral("Flat top");
    default: return QString::fromLatin1(qaio_window_name(w));
    }
}

// Three significant digits: "1.50 kHz", "366 Hz".
QString threeDigits(double v, const QString &unit)
{
    SiPrefix p = siPrefixFor(std::fabs(v));
    double x = v / p.factor;
    int decimals = x > 0 ? std::clamp(2 - int(std::floor(std::log10(x))), 0, 2) : 0;
    return QString::number(x, 'f', decimals) + ' ' + QString::fromUtf8(p.name) + unit;
}

QCheckBox *check(const QString &text, const char *name, const QString &tip)
{
    auto *c = new QCheckBox(text);
    c->setObjectName(QLatin1String(name));
    c->setToolTip(tip);
    return c;
}

QWidget *row(std::initializer_list<QWidget *> widgets)
{
    auto *w = new QWidget;
    auto *h = new QHBoxLayout(w);
    h->setContentsMargins(0, 0, 0, 0);
    for (QWidget *x : widgets)
        h->addWidget(x);
    h->addStretch(1);
    return w;
}
}

void SpectrumView::load(QSettings &s)
{
    s.beginGroup(QStringLiteral("spectrumView"));
    logFrequency = s.value("logFrequency", logFrequency).toBool();
    refLevelOn = s.value("refLevelOn", refLevelOn).toBool();
    double r = s.value("refLevel", refLevel).toDouble(), d = s.value("dbPerDiv", dbPerDiv).toDouble();
    if (std::isfinite(r) && std::fabs(r) <= 400)
        refLevel = r;
    if (d >= 0.1 && d <= 50)
        dbPerDiv = d;
    logAmplitude = s.value("logAmplitude", logAmplitude).toBool();
    maxHold = s.value("maxHold", maxHold).toBool();
    minHold = s.value("minHold", minHold).toBool();
    waterfall = s.value("waterfall", waterfall).toBool();
    s.endGroup();
}

void SpectrumView::save(QSettings &s) const
{
    s.beginGroup(QStringLiteral("spectrumView"));
    s.setValue("logFrequency", logFrequency);
    s.setValue("refLevelOn", refLevelOn);
    s.setValue("refLevel", refLevel);
    s.setValue("dbPerDiv", dbPerDiv);
    s.setValue("logAmplitude", logAmplitude);
    s.setValue("maxHold", maxHold);
    s.setValue("minHold", minHold);
    s.setValue("waterfall", waterfall);
    s.endGroup();
}

SpectrumControls::SpectrumControls(TracePlot *plot, QWidget *parent)
    : QGroupBox(tr("Spectrum display"), parent), plot_(plot)
{
    setObjectName(QStringLiteral("spectrumControls"));
    waterfall_ = new Waterfall(plot);
    waterfall_->setVisible(false);
    holds_ = new HoldCurves(plot);

    logFreq_ = check(tr("log"), "logFrequency",
                     tr("Logarithmic frequency axis, from the first bin above DC (decades of a wide span)"));
    refOn_ = check(tr("on"), "refLevelOn",
                   tr("dB units: the y axis is the reference level at the top and ten divisions below "
                      "(otherwise it fits the curve)"));
    ref_ = new QDoubleSpinBox;
    ref_->setObjectName(QStringLiteral("refLevel"));
    ref_->setRange(-300, 300);
    ref_->setDecimals(1);
    ref_->setSingleStep(5);
    ref_->setToolTip(tr("Reference level: the top of the y axis"));
    perDiv_ = new QDoubleSpinBox;
    perDiv_->setObjectName(QStringLiteral("dbPerDiv"));
    perDiv_->setRange(0.1, 50);
    perDiv_->setDecimals(1);
    perDiv_->setSuffix(tr(" dB/div"));
    perDiv_->setToolTip(tr("dB per division (ten divisions below the reference level)"));
    logAmp_ = check(tr("log"), "logAmplitude",
                    tr("Linear units (Vrms, V/sqrt(Hz), ...): a logarithmic amplitude axis, so the noise "
                       "floor is not flattened to zero"));
    maxHold_ = check(tr("max"), "maxHold", tr("Overlay the largest value of each bin since the reset (lighter)"));
    minHold_ = check(tr("min"), "minHold", tr("Overlay the smallest value of each bin since the reset (darker)"));
    auto *reset = new QPushButton(tr("Reset"));
    reset->setObjectName(QStringLiteral("resetHolds"));
    reset->setToolTip(tr("Start max and min hold anew (a settings change does too)"));
    waterfallOn_ = check(tr("show"), "waterfallOn",
                         tr("Waterfall under the spectrum: its history, newest at the top"));

    auto *f = new QFormLayout(this);
    f->addRow(tr("Frequency"), logFreq_);
    f->addRow(tr("Reference"), row({refOn_, ref_}));
    f->addRow(tr("Scale"), perDiv_);
    f->addRow(tr("Amplitude"), logAmp_);
    f->addRow(tr("Hold"), row({maxHold_, minHold_, reset}));
    f->addRow(tr("Waterfall"), waterfallOn_);

    for (QCheckBox *c : {logFreq_, refOn_, logAmp_, maxHold_, minHold_, waterfallOn_})
        connect(c, &QCheckBox::toggled, this, &SpectrumControls::readControls);
    for (QDoubleSpinBox *b : {ref_, perDiv_})
        connect(b, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &SpectrumControls::readControls);
    connect(reset, &QPushButton::clicked, this, &SpectrumControls::resetHolds);
    showView();
}

void SpectrumControls::restore()
{
    remember_ = true;
    QSettings s = panelStore();
    SpectrumView v = view_;
    v.load(s);
    setView(v);
}

void SpectrumControls::setView(const SpectrumView &v)
{
    view_ = v;
    showView();
    apply();
    if (remember_) {
        QSettings s = panelStore();
        view_.save(s);
    }
}

void SpectrumControls::showView()
{
    showing_ = true;
    logFreq_->setChecked(view_.logFrequency);
    refOn_->setChecked(view_.refLevelOn);
    ref_->setValue(view_.refLevel);
    perDiv_->setValue(view_.dbPerDiv);
    logAmp_->setChecked(view_.logAmplitude);
    maxHold_->setChecked(view_.maxHold);
    minHold_->setChecked(view_.minHold);
    waterfallOn_->setChecked(view_.waterfall);
    showing_ = false;
}

void SpectrumControls::readControls()
{
    if (showing_)
        return;
    SpectrumView v;
    v.logFrequency = logFreq_->isChecked();
    v.refLevelOn = refOn_->isChecked();
    v.refLevel = ref_->value();
    v.dbPerDiv = perDiv_->value();
    v.logAmplitude = logAmp_->isChecked();
    v.maxHold = maxHold_->isChecked();
    v.minHold = minHold_->isChecked();
    v.waterfall = waterfallOn_->isChecked();
    setView(v);
}

bool SpectrumControls::dbUnit() const
{
    return QString::fromLatin1(qaio_unit_name(set_.unit)).startsWith(QLatin1String("dB"));
}

void SpectrumControls::apply()
{
    bool db = dbUnit();
    QString unit = QString::fromLatin1(qaio_unit_name(set_.unit));
    ref_->setSuffix(' ' + unit);
    refOn_->setEnabled(db);
    ref_->setEnabled(db && view_.refLevelOn);
    perDiv_->setEnabled(db && view_.refLevelOn);
    logAmp_->setEnabled(!db);
    bool fixed = db && view_.refLevelOn;
    double top = view_.refLevel, bottom = view_.refLevel - 10 * view_.dbPerDiv;
    plot_->setLogScale(QwtPlot::xBottom, view_.logFrequency);
    plot_->setLogScale(QwtPlot::yLeft, !db && view_.logAmplitude);
    TracePlot::HomeRange y; // fitted to the curve
    if (fixed)
        y = {bottom, top, view_.dbPerDiv};
    plot_->setHomeView(TracePlot::HomeRange(), y);
    holds_->setShown(view_.maxHold, view_.minHold);
    waterfall_->setVisible(view_.waterfall);
    waterfall_->setScale(fixed ? bottom : NAN, fixed ? top : NAN, !db && view_.logAmplitude, unit);
}

void SpectrumControls::setSettings(const PanelSettings &s)
{
    bool changed = !haveSettings_ || s.source != set_.source || s.points != set_.points || s.rate != set_.rate ||
                   s.averages != set_.averages || s.averaging != set_.averaging || s.window != set_.window ||
                   s.mode != set_.mode || s.unit != set_.unit || s.trigger != set_.trigger ||
                   s.slope != set_.slope || s.triggerSource != set_.triggerSource ||
                   s.triggerLevel != set_.triggerLevel || s.channels != set_.channels;
    bool unitChanged = !haveSettings_ || s.unit != set_.unit;
    set_ = s;
    haveSettings_ = true;
    if (!changed)
        return;
    holds_->reset();
    waterfall_->clear();
    enbw_ = 0;
    plot_->setFooter(rbwText());
    if (unitChanged)
        apply();
}

void SpectrumControls::setTrace(const qaio_trace *t)
{
    if (!t || t->n == 0)
        return;
    // First what the plot's replot draws with the curve.
    holds_->add(t);
    if (t->enbw_hz != enbw_) {
        enbw_ = t->enbw_hz;
        plot_->setFooter(rbwText());
    }
    plot_->setTrace(t);
    // After: a new shape has set the frequency axis the row is drawn on.
    if (waterfall_->isVisible())
        waterfall_->addRow(t);
}

QString SpectrumControls::rbwText() const
{
    // Before the first spectrum of these settings the line is there (the
    // plot does not change height) with the window known, the RBW not yet.
    QString rbw = enbw_ > 0 ? threeDigits(enbw_, QStringLiteral("Hz")) : QStringLiteral("-");
    return tr("RBW %1  %2").arg(rbw, windowDisplayName(set_.window));
}

void SpectrumControls::autoscale()
{
    apply();
}

void SpectrumControls::resetHolds()
{
    holds_->reset();
    plot_->replot();
}
