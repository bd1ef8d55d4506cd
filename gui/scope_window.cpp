#include "scope_window.h"

#include "loop_monitor.h"
#include "measurements_view.h"
#include "scope_controls.h"
#include "reference_traces.h"
#include "si_spin_box.h"
#include "spectrum_controls.h"
#include "task_monitor.h"
#include "waterfall.h"
#include "trace_plot.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QApplication>
#include <QGuiApplication>
#include <QScreen>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QTimer>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace {
template <typename E>
QComboBox *enumCombo(int count, const char *(*name)(E))
{
    auto *c = new QComboBox;
    for (int i = 0; i < count; i++)
        c->addItem(QString::fromLatin1(name(E(i))), i);
    return c;
}

QWidget *plotWithReadout(TracePlot *plot, QLabel *readout)
{
    auto *w = new QWidget;
    auto *v = new QVBoxLayout(w);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(plot, 1);
    readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wraps inside the plot's width instead of widening the window.
    readout->setWordWrap(true);
    readout->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Minimum);
    readout->setMinimumHeight(readout->fontMetrics().height() + 4);
    v->addWidget(readout);
    return w;
}
}

ScopeWindow::ScopeWindow(const PanelSettings *settings, QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("qaio-scope"));
    if (settings) {
        set_ = *settings;
    } else {
        QSettings s = panelStore();
        set_.load(s);
    }
    acq_ = new Acquisition(this);
    mon_ = new LoopMonitor(this);
    scopePlot_ = new TracePlot(tr("Scope (average)"), false);
    specPlot_ = new TracePlot(tr("Spectrum"), true);
    scopeControls_ = new ScopeControls(scopePlot_);
    specControls_ = new SpectrumControls(specPlot_);
    scopeReadout_ = new QLabel;
    specReadout_ = new QLabel;
    connect(scopePlot_, &TracePlot::readoutChanged, scopeReadout_, &QLabel::setText);
    connect(specPlot_, &TracePlot::readoutChanged, specReadout_, &QLabel::setText);
    refs_ = new ReferenceTraces(scopePlot_, specPlot_, this);

    auto *plots = new QSplitter(Qt::Horizontal);
    QWidget *scopeBox = plotWithReadout(scopePlot_, scopeReadout_);
    scopeBox->layout()->addWidget(measurements_ = new MeasurementsView);
    plots->addWidget(scopeBox);
    auto *spectrumColumn = new QSplitter(Qt::Vertical); // the waterfall under the spectrum
    spectrumColumn->addWidget(plotWithReadout(specPlot_, specReadout_));
    spectrumColumn->addWidget(specControls_->waterfall());
    spectrumColumn->setChildrenCollapsible(false);
    spectrumColumn->setStretchFactor(0, 3);
    spectrumColumn->setStretchFactor(1, 2);
    plots->addWidget(spectrumColumn);
    // The error stays in sight over the plots until the next run.
    banner_ = new QLabel;
    banner_->setObjectName("errorBanner");
    banner_->setWordWrap(true);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Minimum);
    banner_->setStyleSheet(QStringLiteral("background: #b02828; color: white; padding: 6px; font-weight: bold"));
    banner_->setVisible(false);
    auto *right = new QWidget;
    auto *rv = new QVBoxLayout(right);
    rv->setContentsMargins(0, 0, 0, 0);
    rv->addWidget(banner_);
    rv->addWidget(plots, 1);
    // The controls scroll when the window is shorter than they are.
    auto *scroll = new QScrollArea;
    scroll->setObjectName("controlsScroll");
    QWidget *controls = buildControls();
    scroll->setWidget(controls);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(controls->sizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 4);
    splitter_ = new QSplitter(Qt::Horizontal);
    splitter_->setObjectName("mainSplitter");
    splitter_->addWidget(scroll);
    splitter_->addWidget(right);
    splitter_->setStretchFactor(0, 0);
    splitter_->setStretchFactor(1, 1);
    splitter_->setCollapsible(0, false);
    splitter_->setCollapsible(1, false);
    setCentralWidget(splitter_);
    buildMenus();

    status_ = new QLabel;
    status_->setObjectName("status");
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(status_, 1);
    lagLabel_ = new QLabel;
    fpsLabel_ = new QLabel;
    acqLabel_ = new QLabel;
    statusBar()->addPermanentWidget(acqLabel_);
    statusBar()->addPermanentWidget(fpsLabel_);
    statusBar()->addPermanentWidget(lagLabel_);
    connect(mon_, &LoopMonitor::report, this, [this](double lag, double fps, double acq) {
        acqLabel_->setText(tr("%1 acq/s").arg(acq, 0, 'f', 1));
        fpsLabel_->setText(tr("%1 redraws/s").arg(fps, 0, 'f', 1));
        lagLabel_->setText(tr("loop lag p99 %1 ms").arg(lag, 0, 'f', 2));
    });

    connect(acq_, &Acquisition::stepped, this, &ScopeWindow::onStepped);
    connect(acq_, &Acquisition::acquired, mon_, [this](unsigned records) {
        for (unsigned i = 0; i < records; i++)
            mon_->countAcquisition();
    });
    connect(acq_, &Acquisition::modeChanged, this, &ScopeWindow::onModeChanged);
    connect(acq_, &Acquisition::failed, this, &ScopeWindow::onFailed);
    connect(acq_, &Acquisition::stateChanged, this, &ScopeWindow::refreshStatus);
    connect(acq_, &Acquisition::curvesDropped, measurements_, [this] { measurements_->traceChanged(nullptr); });
    saveTimer_ = new QTimer(this);
    saveTimer_->setSingleShot(true);
    saveTimer_->setInterval(1000);
    connect(saveTimer_, &QTimer::timeout, this, &ScopeWindow::saveSettings);
    // The trigger state ("waiting for trigger") changes with no event.
    statusTimer_ = new QTimer(this);
    statusTimer_->start(250);
    connect(statusTimer_, &QTimer::timeout, this, &ScopeWindow::refreshStatus);
    showSettings();
    specControls_->setSettings(set_);
    acq_->setSettings(set_);
    counter_->setText(QStringLiteral("0/%1").arg(set_.averages));
    onModeChanged(Acquisition::Mode::Idle);
    // 1280x720, or what the screen has room for (a 1024x600 netbook).
    QSize size(1280, 720);
    if (QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size() - QSize(16, 48));
    resize(size.expandedTo(minimumSizeHint()));
}

void ScopeWindow::saveSettings()
{
    saveTimer_->stop();
    QSettings st = panelStore();
    set_.save(st);
}

void ScopeWindow::restoreLayout()
{
    QSettings s = panelStore();
    if (s.contains("window/geometry"))
        restoreGeometry(s.value("window/geometry").toByteArray());
    if (s.contains("window/splitter"))
        splitter_->restoreState(s.value("window/splitter").toByteArray());
    scopeControls_->restore();
    specControls_->restore();
}

void ScopeWindow::saveLayout()
{
    QSettings s = panelStore();
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/splitter", splitter_->saveState());
    scopeControls_->saveIfRemembered();
}

ScopeWindow::~ScopeWindow()
{
    if (saveTimer_->isActive())
        saveSettings();
}

QWidget *ScopeWindow::buildControls()
{
    auto *panel = new QWidget;
    auto *v = new QVBoxLayout(panel);

    auto *srcBox = new QGroupBox(tr("Source"));
    auto *srcForm = new QFormLayout(srcBox);
    source_ = new QLineEdit;
    source_->setObjectName("source");
    source_->setPlaceholderText(tr("sim, or HOST[:PORT]"));
    source_->setToolTip(tr("'sim' for the simulated scope, or the address of a SCPI instrument "
                           "such as qaio-instrument-sim (port 5025 by default)"));
    auto *reconnect = new QPushButton(tr("Reconnect"));
    reconnect->setToolTip(tr("Drop the instrument; the next run connects anew"));
    srcForm->addRow(tr("Instrument"), source_);
    srcForm->addRow(reconnect);
    v->addWidget(srcBox);

    auto *runBox = new QGroupBox(tr("Acquisition"));
    auto *grid = new QGridLayout(runBox);
    run_ = new QPushButton(tr("Run"));
    run_->setObjectName("run");
    single_ = new QPushButton(tr("Single"));
    stop_ = new QPushButton(tr("Stop"));
    restart_ = new QPushButton(tr("Restart average"));
    run_->setToolTip(tr("Average continuously (F5)"));
    single_->setToolTip(tr("Average N records, then stop (F6)"));
    stop_->setToolTip(tr("Stop the run or the connection in progress (Esc); the curves stay"));
    restart_->setToolTip(tr("Start the average again from 0 with the current settings (F7)"));
    grid->addWidget(run_, 0, 0);
    grid->addWidget(single_, 0, 1);
    grid->addWidget(stop_, 1, 0);
    grid->addWidget(restart_, 1, 1);
    counter_ = new QLabel(QStringLiteral("0/0"));
    counter_->setObjectName("counter");
    counter_->setAlignment(Qt::AlignCenter);
    QFont big = counter_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    counter_->setFont(big);
    progress_ = new QProgressBar;
    progress_->setTextVisible(false);
    counter_->setToolTip(tr("Records averaged / averages N"));
    progress_->setToolTip(counter_->toolTip());
    grid->addWidget(counter_, 2, 0, 1, 2);
    grid->addWidget(progress_, 3, 0, 1, 2);
    v->addWidget(runBox);

    auto *setBox = new QGroupBox(tr("Settings"));
    auto *f = new QFormLayout(setBox);
    averages_ = new QSpinBox;
    averages_->setObjectName("averages");
    averages_->setRange(1, 1000000);
    averaging_ = new QComboBox;
    averaging_->addItem(tr("exponential"), int(QAIO_AVG_EXPONENTIAL));
    averaging_->addItem(tr("repeat"), int(QAIO_AVG_REPEAT));
    points_ = new QComboBox;
    for (int p = 256; p <= (1 << 20); p *= 2)
        points_->addItem(QString::number(p), p);
    rate_ = new SiSpinBox(QStringLiteral("S/s")); // "10 MS/s"
    rate_->setObjectName("rate");
    rate_->setRange(1, 1e10);
    rate_->setDecimals(0);
    rate_->setSingleStep(1e5);
    window_ = enumCombo<qaio_window>(QAIO_WINDOW_COUNT, qaio_window_name);
    window_->setObjectName("window");
    mode_ = enumCombo<qaio_avg_mode>(QAIO_AVG_MODE_COUNT, qaio_avg_mode_name);
    unit_ = enumCombo<qaio_unit>(QAIO_UNIT_COUNT, qaio_unit_name);
    unit_->setObjectName("unit");
    trigger_ = enumCombo<qaio_trigger_mode>(QAIO_TRIG_MODE_COUNT, qaio_trigger_mode_name);
    trigger_->setObjectName("trigger");
    slope_ = enumCombo<qaio_trigger_slope>(QAIO_SLOPE_COUNT, qaio_trigger_slope_name);
    trigSource_ = new QComboBox;
    trigSource_->addItem(QStringLiteral("CH1"), 1);
    trigSource_->addItem(QStringLiteral("CH2"), 2);
    level_ = new QDoubleSpinBox;
    level_->setRange(-100, 100);
    level_->setDecimals(3);
    level_->setSingleStep(0.05);
    level_->setSuffix(QStringLiteral(" V"));
    ch1_ = new QCheckBox(QStringLiteral("CH1"));
    ch2_ = new QCheckBox(QStringLiteral("CH2"));
    auto *chans = new QWidget;
    auto *ch = new QHBoxLayout(chans);
    ch->setContentsMargins(0, 0, 0, 0);
    ch->addWidget(ch1_);
    ch->addWidget(ch2_);
    averages_->setToolTip(tr("N: records per average (Single), or the exponential average's time constant (Run)"));
    averaging_->setToolTip(tr("Continuous runs: exponential (moving) or repeat (restart every N records)"));
    points_->setToolTip(tr("Record length in samples"));
    rate_->setToolTip(tr("Sample rate asked of the instrument"));
    window_->setToolTip(tr("FFT window: hann for general use, flattop for amplitudes, rect for on-bin tones"));
    mode_->setToolTip(tr("Spectrum average: power (RMS of the noise) or vector (complex, needs a trigger)"));
    unit_->setToolTip(tr("Spectrum unit; the densities (/sqrt(Hz), /Hz) divide by the noise bandwidth"));
    trigger_->setToolTip(tr("auto: an edge or free-run after a while; normal: waits for an edge; "
                            "single: one triggered record, then stop; force: untriggered"));
    level_->setToolTip(tr("Trigger level"));
    slope_->setToolTip(tr("Trigger edge"));
    trigSource_->setToolTip(tr("Channel the trigger looks at"));
    ch1_->setToolTip(tr("Acquire channel 1 (yellow)"));
    ch2_->setToolTip(tr("Acquire channel 2 (blue)"));
    chans->setToolTip(tr("Channels acquired (one at least)"));
    f->addRow(tr("Averages"), averages_);
    f->addRow(tr("Averaging"), averaging_);
    f->addRow(tr("Points"), points_);
    f->addRow(tr("Sample rate"), rate_);
    f->addRow(tr("Window"), window_);
    f->addRow(tr("Spectrum average"), mode_);
    f->addRow(tr("Unit"), unit_);
    f->addRow(tr("Trigger"), trigger_);
    f->addRow(tr("Level"), level_);
    f->addRow(tr("Slope"), slope_);
    f->addRow(tr("Trigger source"), trigSource_);
    f->addRow(tr("Channels"), chans);
    v->addWidget(setBox);
    v->addWidget(scopeControls_);
    connect(scopeControls_, &ScopeControls::levelDragged, level_, &QDoubleSpinBox::setValue);
    connect(scopeControls_, &ScopeControls::triggerPositionChanged, this, [this](double f) {
        PanelSettings s = set_;
        s.pretrigger = f;
        applySettings(s);
    });
    v->addWidget(specControls_);

    auto *autoscale = new QPushButton(tr("Autoscale"));
    autoscale->setToolTip(tr("Fit both plots to their curves (A)"));
    auto *clear = new QPushButton(tr("Clear cursors"));
    clear->setObjectName("clearCursors");
    clear->setToolTip(tr("Remove cursors A, B, Y1 and Y2 from both plots (Esc on a focused plot clears its own)"));
    auto *views = new QHBoxLayout;
    views->addWidget(autoscale);
    views->addWidget(clear);
    v->addLayout(views);
    connect(clear, &QPushButton::clicked, this, &ScopeWindow::clearCursors);
    // Reference traces: kept curves drawn dashed over the live ones.
    auto *freeze = new QPushButton(tr("Freeze"));
    freeze->setObjectName("freezeReference");
    freeze->setToolTip(tr("Keep the current scope and spectrum curves as dashed references"));
    auto *loadRef = new QPushButton(tr("Load ref..."));
    loadRef->setToolTip(tr("Overlay a CSV written by qaio-scope or qaio-acquire as a reference"));
    auto *clearRefs = new QPushButton(tr("Clear refs"));
    clearRefs->setObjectName("clearReferences");
    clearRefs->setToolTip(tr("Remove every reference trace"));
    auto *refRow = new QHBoxLayout;
    refRow->addWidget(freeze);
    refRow->addWidget(loadRef);
    refRow->addWidget(clearRefs);
    v->addLayout(refRow);
    connect(freeze, &QPushButton::clicked, this, [this] {
        QString err;
        if (!freezeReferences(&err))
            statusBar()->showMessage(err, 5000);
    });
    connect(loadRef, &QPushButton::clicked, this, [this] { exportDialog(3); });
    connect(clearRefs, &QPushButton::clicked, refs_, &ReferenceTraces::clear);
    error_ = new QLabel;
    error_->setObjectName("error");
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #d03030"));
    v->addWidget(error_);
    v->addStretch(1);

    connect(run_, &QPushButton::clicked, this, &ScopeWindow::runContinuous);
    connect(single_, &QPushButton::clicked, this, &ScopeWindow::runSingle);
    connect(stop_, &QPushButton::clicked, this, &ScopeWindow::stop);
    connect(restart_, &QPushButton::clicked, this, &ScopeWindow::restartAverage);
    connect(reconnect, &QPushButton::clicked, this, &ScopeWindow::reconnect);
    connect(autoscale, &QPushButton::clicked, this, &ScopeWindow::autoscale);
    connect(source_, &QLineEdit::editingFinished, this, &ScopeWindow::readControls);
    for (QComboBox *c : {averaging_, points_, window_, mode_, unit_, trigger_, slope_, trigSource_})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &ScopeWindow::readControls);
    // Spin boxes apply as they change, once typing or stepping pauses.
    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(400);
    connect(debounce_, &QTimer::timeout, this, &ScopeWindow::readControls);
    auto later = [this] {
        if (!showing_)
            debounce_->start();
    };
    connect(averages_, qOverload<int>(&QSpinBox::valueChanged), this, later);
    connect(rate_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, later);
    connect(level_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, later);
    for (QAbstractSpinBox *b : {static_cast<QAbstractSpinBox *>(averages_), static_cast<QAbstractSpinBox *>(rate_),
                                static_cast<QAbstractSpinBox *>(level_)})
        connect(b, &QAbstractSpinBox::editingFinished, this, &ScopeWindow::readControls);
    connect(ch1_, &QCheckBox::toggled, this, &ScopeWindow::readControls);
    connect(ch2_, &QCheckBox::toggled, this, &ScopeWindow::readControls);
    return panel;
}

void ScopeWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Export scope CSV..."), this, [this] { exportDialog(0); });
    file->addAction(tr("Export spectrum CSV..."), this, [this] { exportDialog(1); });
    file->addAction(tr("Export PNG..."), this, [this] { exportDialog(2); });
    file->addAction(tr("Load reference trace..."), this, [this] { exportDialog(3); });
    file->addSeparator();
    file->addAction(tr("Quit"), this, &QWidget::close, QKeySequence::Quit);
    QMenu *acq = menuBar()->addMenu(tr("&Acquisition"));
    acq->addAction(tr("Run"), this, &ScopeWindow::runContinuous, QKeySequence(Qt::Key_F5));
    acq->addAction(tr("Single"), this, &ScopeWindow::runSingle, QKeySequence(Qt::Key_F6));
    // Esc stops, except in a popup (it only closes it) or on a focused plot
    // (it clears the plot's cursors, see TracePlot).
    QAction *stopAction = acq->addAction(tr("Stop"), this, &ScopeWindow::stopUnlessPopup);
    stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    acq->addAction(tr("Restart average"), this, &ScopeWindow::restartAverage, QKeySequence(Qt::Key_F7));
    acq->addAction(tr("Autoscale"), this, &ScopeWindow::autoscale, QKeySequence(Qt::Key_A));
    acq->addAction(tr("Clear cursors"), this, &ScopeWindow::clearCursors, QKeySequence(Qt::CTRL + Qt::Key_K));
    TaskMonitor::addMenu(this); // Debug > Tasks... (Ctrl+Shift+D)
}

static void selectData(QComboBox *c, int value)
{
    int i = c->findData(value);
    if (i < 0) { // a saved size that is not a power of two
        c->addItem(QString::number(value), value);
        i = c->count() - 1;
    }
    c->setCurrentIndex(i);
}

void ScopeWindow::showSettings()
{
    showing_ = true;
    source_->setText(set_.source);
    averages_->setValue(set_.averages);
    selectData(averaging_, int(set_.averaging));
    selectData(points_, set_.points);
    rate_->setValue(set_.rate);
    selectData(window_, int(set_.window));
    selectData(mode_, int(set_.mode));
    selectData(unit_, int(set_.unit));
    selectData(trigger_, int(set_.trigger));
    selectData(slope_, int(set_.slope));
    selectData(trigSource_, int(set_.triggerSource));
    level_->setValue(set_.triggerLevel);
    ch1_->setChecked(set_.channels & 1);
    ch2_->setChecked(set_.channels & 2);
    showing_ = false;
    scopeControls_->setTrigger(set_.triggerLevel, set_.triggerSource, set_.pretrigger);
}

void ScopeWindow::readControls()
{
    if (showing_)
        return;
    PanelSettings s = set_;
    s.source = source_->text().trimmed().isEmpty() ? QStringLiteral("sim") : source_->text().trimmed();
    s.averages = averages_->value();
    s.averaging = qaio_avg_type(averaging_->currentData().toInt());
    s.points = points_->currentData().toInt();
    s.rate = rate_->value();
    s.window = qaio_window(window_->currentData().toInt());
    s.mode = qaio_avg_mode(mode_->currentData().toInt());
    s.unit = qaio_unit(unit_->currentData().toInt());
    s.trigger = qaio_trigger_mode(trigger_->currentData().toInt());
    s.slope = qaio_trigger_slope(slope_->currentData().toInt());
    s.triggerSource = unsigned(trigSource_->currentData().toInt());
    s.triggerLevel = level_->value();
    s.channels = (ch1_->isChecked() ? 1u : 0u) | (ch2_->isChecked() ? 2u : 0u);
    debounce_->stop();
    if (s.channels == 0) { // one channel at least
        s.channels = 1;
        showing_ = true;
        ch1_->setChecked(true);
        showing_ = false;
    }
    applySettings(s);
}

void ScopeWindow::applySettings(const PanelSettings &s)
{
    bool changed = s.source != set_.source || s.points != set_.points || s.rate != set_.rate ||
                   s.averages != set_.averages || s.averaging != set_.averaging || s.window != set_.window ||
                   s.mode != set_.mode || s.unit != set_.unit || s.trigger != set_.trigger ||
                   s.slope != set_.slope || s.triggerSource != set_.triggerSource ||
                   s.triggerLevel != set_.triggerLevel || s.channels != set_.channels ||
                   s.pretrigger != set_.pretrigger;
    PanelSettings old = set_;
    set_ = s;
    showSettings();
    specControls_->setSettings(set_);
    // Saved a moment later, once for a burst of changes: writing the file
    // costs the loop milliseconds.
    saveTimer_->start();
    if (!changed)
        return;
    // Curves whose axes or unit these settings change no longer mean what
    // the plot would say: cleared, not left under new axes (or exported
    // with a header that disagrees).
    if (s.points != old.points || s.rate != old.rate || s.window != old.window || s.mode != old.mode ||
        s.unit != old.unit || s.channels != old.channels || s.source != old.source) {
        acq_->clearCurves();
        scopePlot_->clear();
        specPlot_->clear();
        measurements_->traceChanged(acq_->scope());
        counter_->setText(QStringLiteral("0/%1").arg(set_.averages));
        progress_->setValue(0);
    }
    Acquisition::Mode m = acq_->mode();
    acq_->setSettings(set_);
    // A running average restarts with the new settings (a new source: the
    // run stopped, and starts again on it).
    if (m != Acquisition::Mode::Idle && acq_->mode() != Acquisition::Mode::Idle)
        acq_->restartAverage();
    else if (m == Acquisition::Mode::Continuous)
        acq_->runContinuous();
}

void ScopeWindow::runContinuous()
{
    showError(QString());
    acq_->runContinuous();
}

void ScopeWindow::runSingle()
{
    showError(QString());
    acq_->runSingle();
}

void ScopeWindow::stop() { acq_->stop(); }

void ScopeWindow::stopUnlessPopup()
{
    if (QApplication::activePopupWidget())
        return;
    stop();
}

void ScopeWindow::clearCursors()
{
    scopePlot_->clearCursors();
    specPlot_->clearCursors();
}

void ScopeWindow::restartAverage()
{
    showError(QString());
    acq_->restartAverage();
}

void ScopeWindow::reconnect()
{
    showError(QString());
    Acquisition::Mode m = acq_->mode();
    acq_->reconnect();
    statusBar()->showMessage(tr("instrument dropped: the next run connects anew"), 3000);
    if (m == Acquisition::Mode::Continuous)
        acq_->runContinuous();
}

void ScopeWindow::autoscale()
{
    scopeControls_->autoscale(acq_->scope());
    scopePlot_->autoscale();
    specPlot_->autoscale();
    specControls_->autoscale();
}

QString ScopeWindow::counterText() const { return counter_->text(); }
QString ScopeWindow::errorText() const { return error_->text(); }
QString ScopeWindow::statusText() const { return status_->text(); }
QWidget *ScopeWindow::errorBanner() const { return banner_; }

void ScopeWindow::showError(const QString &message)
{
    error_->setText(message);
    banner_->setText(message);
    banner_->setVisible(!message.isEmpty());
}

void ScopeWindow::refreshStatus()
{
    QString t = acq_->statusText();
    if (status_->text() != t)
        status_->setText(t);
    status_->setToolTip(t);
    stop_->setEnabled(acq_->mode() != Acquisition::Mode::Idle || acq_->connecting());
}

void ScopeWindow::onStepped(unsigned k, unsigned n)
{
    scopePlot_->setTrace(acq_->scope());
    specControls_->setTrace(acq_->spectrum()); // the plot, its holds and the waterfall
    measurements_->traceChanged(acq_->scope());
    mon_->countRedraw();
    unsigned shown = std::min(k, n);
    counter_->setText(QStringLiteral("%1/%2").arg(shown).arg(n));
    progress_->setRange(0, int(n));
    progress_->setValue(int(shown));
}

void ScopeWindow::onModeChanged(Acquisition::Mode m)
{
    run_->setEnabled(m != Acquisition::Mode::Continuous);
    stop_->setEnabled(m != Acquisition::Mode::Idle || acq_->connecting());
    restart_->setEnabled(m != Acquisition::Mode::Idle);
    refreshStatus();
}

void ScopeWindow::onFailed(const QString &message)
{
    showError(message);
    refreshStatus();
}

bool ScopeWindow::exportScopeCsv(const QString &path, QString *error)
{
    if (acq_->scope()->n == 0) {
        *error = tr("no curve yet for these settings: run first");
        return false;
    }
    qaio_csv_meta m;
    acq_->describe(&m);
    return writeTraceCsv(path, acq_->scope(), &m, error);
}

bool ScopeWindow::exportSpectrumCsv(const QString &path, QString *error)
{
    if (acq_->spectrum()->n == 0) {
        *error = tr("no curve yet for these settings: run first");
        return false;
    }
    qaio_csv_meta m;
    acq_->describe(&m);
    return writeTraceCsv(path, acq_->spectrum(), &m, error);
}

bool ScopeWindow::exportPng(const QString &path, QString *error)
{
    if (grab().save(path, "PNG"))
        return true;
    *error = tr("cannot write %1").arg(path);
    return false;
}

bool ScopeWindow::freezeReferences(QString *error)
{
    qaio_csv_meta m;
    acq_->describe(&m);
    bool scope = refs_->freeze(acq_->scope(), &m, error);
    bool spectrum = refs_->freeze(acq_->spectrum(), &m, error);
    return scope || spectrum;
}

bool ScopeWindow::loadReference(const QString &path, QString *error) { return refs_->load(path, error); }

void ScopeWindow::exportDialog(int what)
{
    static const char *filters[] = {"CSV (*.csv)", "CSV (*.csv)", "PNG image (*.png)", "CSV (*.csv)"};
    QString err;
    if (what == 3) {
        QString path = QFileDialog::getOpenFileName(this, tr("Load reference trace"), QString(), tr(filters[what]));
        if (!path.isEmpty() && !loadReference(path, &err))
            statusBar()->showMessage(tr("cannot load: %1").arg(err), 8000);
        return;
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Export"), QString(), tr(filters[what]));
    if (path.isEmpty())
        return;
    bool ok = what == 0 ? exportScopeCsv(path, &err) : what == 1 ? exportSpectrumCsv(path, &err) : exportPng(path, &err);
    statusBar()->showMessage(ok ? tr("wrote %1").arg(path) : tr("export failed: %1").arg(err), 5000);
}

void ScopeWindow::closeEvent(QCloseEvent *e)
{
    acq_->stop();
    saveLayout();
    if (saveTimer_->isActive())
        saveSettings();
    e->accept();
}
