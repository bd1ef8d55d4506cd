#include "scope_window.h"

#include "csv_export.h"
#include "loop_monitor.h"
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
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace {
QSettings store() { return QSettings(QStringLiteral("qaio"), QStringLiteral("qaio-scope")); }

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
        QSettings s = store();
        set_.load(s);
    }
    acq_ = new Acquisition(this);
    mon_ = new LoopMonitor(this);
    scopePlot_ = new TracePlot(tr("Scope (time-domain average)"), false);
    specPlot_ = new TracePlot(tr("Spectrum"), true);
    scopeReadout_ = new QLabel;
    specReadout_ = new QLabel;
    connect(scopePlot_, &TracePlot::readoutChanged, scopeReadout_, &QLabel::setText);
    connect(specPlot_, &TracePlot::readoutChanged, specReadout_, &QLabel::setText);

    auto *plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(plotWithReadout(scopePlot_, scopeReadout_));
    plots->addWidget(plotWithReadout(specPlot_, specReadout_));
    auto *central = new QWidget;
    auto *h = new QHBoxLayout(central);
    h->addWidget(buildControls());
    h->addWidget(plots, 1);
    setCentralWidget(central);
    buildMenus();

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
    connect(acq_, &Acquisition::acquired, mon_, &LoopMonitor::countAcquisition, Qt::DirectConnection);
    connect(acq_, &Acquisition::modeChanged, this, &ScopeWindow::onModeChanged);
    connect(acq_, &Acquisition::failed, this, &ScopeWindow::onFailed);
    showSettings();
    acq_->setSettings(set_);
    onModeChanged(Acquisition::Mode::Idle);
    resize(1280, 720);
}

ScopeWindow::~ScopeWindow() = default;

QWidget *ScopeWindow::buildControls()
{
    auto *panel = new QWidget;
    panel->setMaximumWidth(300);
    auto *v = new QVBoxLayout(panel);

    auto *srcBox = new QGroupBox(tr("Source"));
    auto *srcForm = new QFormLayout(srcBox);
    source_ = new QLineEdit;
    source_->setObjectName("source");
    source_->setPlaceholderText(tr("sim, or HOST[:PORT]"));
    source_->setToolTip(tr("'sim' for the simulated scope, or the address of a SCPI instrument "
                           "such as qaio-instrument-sim (port 5025 by default)"));
    auto *reconnect = new QPushButton(tr("Reconnect"));
    srcForm->addRow(tr("Instrument"), source_);
    srcForm->addRow(reconnect);
    v->addWidget(srcBox);

    auto *runBox = new QGroupBox(tr("Acquisition"));
    auto *grid = new QGridLayout(runBox);
    run_ = new QPushButton(tr("Run"));
    single_ = new QPushButton(tr("Single"));
    stop_ = new QPushButton(tr("Stop"));
    restart_ = new QPushButton(tr("Restart average"));
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
    grid->addWidget(counter_, 2, 0, 1, 2);
    grid->addWidget(progress_, 3, 0, 1, 2);
    v->addWidget(runBox);

    auto *setBox = new QGroupBox(tr("Settings"));
    auto *f = new QFormLayout(setBox);
    averages_ = new QSpinBox;
    averages_->setRange(1, 1000000);
    averaging_ = new QComboBox;
    averaging_->addItem(tr("exponential"), int(QAIO_AVG_EXPONENTIAL));
    averaging_->addItem(tr("repeat"), int(QAIO_AVG_REPEAT));
    points_ = new QComboBox;
    for (int p = 256; p <= (1 << 20); p *= 2)
        points_->addItem(QString::number(p), p);
    rate_ = new QDoubleSpinBox;
    rate_->setRange(1, 1e10);
    rate_->setDecimals(0);
    rate_->setSuffix(QStringLiteral(" S/s"));
    rate_->setSingleStep(1e5);
    window_ = enumCombo<qaio_window>(QAIO_WINDOW_COUNT, qaio_window_name);
    window_->setObjectName("window");
    mode_ = enumCombo<qaio_avg_mode>(QAIO_AVG_MODE_COUNT, qaio_avg_mode_name);
    unit_ = enumCombo<qaio_unit>(QAIO_UNIT_COUNT, qaio_unit_name);
    unit_->setObjectName("unit");
    trigger_ = enumCombo<qaio_trigger_mode>(QAIO_TRIG_MODE_COUNT, qaio_trigger_mode_name);
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

    auto *autoscale = new QPushButton(tr("Autoscale"));
    v->addWidget(autoscale);
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
    connect(averages_, &QSpinBox::editingFinished, this, &ScopeWindow::readControls);
    connect(rate_, &QDoubleSpinBox::editingFinished, this, &ScopeWindow::readControls);
    connect(level_, &QDoubleSpinBox::editingFinished, this, &ScopeWindow::readControls);
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
    file->addSeparator();
    file->addAction(tr("Quit"), this, &QWidget::close, QKeySequence::Quit);
    QMenu *acq = menuBar()->addMenu(tr("&Acquisition"));
    acq->addAction(tr("Run"), this, &ScopeWindow::runContinuous, QKeySequence(Qt::Key_F5));
    acq->addAction(tr("Single"), this, &ScopeWindow::runSingle, QKeySequence(Qt::Key_F6));
    acq->addAction(tr("Stop"), this, &ScopeWindow::stop, QKeySequence(Qt::Key_Escape));
    acq->addAction(tr("Restart average"), this, &ScopeWindow::restartAverage, QKeySequence(Qt::Key_F7));
    acq->addAction(tr("Autoscale"), this, &ScopeWindow::autoscale, QKeySequence(Qt::Key_A));
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
                   s.triggerLevel != set_.triggerLevel || s.channels != set_.channels;
    set_ = s;
    showSettings();
    {
        QSettings st = store();
        set_.save(st);
    }
    if (!changed)
        return;
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
    error_->clear();
    acq_->runContinuous();
}

void ScopeWindow::runSingle()
{
    error_->clear();
    acq_->runSingle();
}

void ScopeWindow::stop() { acq_->stop(); }

void ScopeWindow::restartAverage()
{
    error_->clear();
    acq_->restartAverage();
}

void ScopeWindow::reconnect()
{
    error_->clear();
    Acquisition::Mode m = acq_->mode();
    acq_->reconnect();
    statusBar()->showMessage(tr("instrument dropped: the next run connects anew"), 3000);
    if (m == Acquisition::Mode::Continuous)
        acq_->runContinuous();
}

void ScopeWindow::autoscale()
{
    scopePlot_->autoscale();
    specPlot_->autoscale();
}

QString ScopeWindow::counterText() const { return counter_->text(); }
QString ScopeWindow::errorText() const { return error_->text(); }

void ScopeWindow::onStepped(unsigned k, unsigned n)
{
    scopePlot_->setTrace(acq_->scope());
    specPlot_->setTrace(acq_->spectrum());
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
    QString what = m == Acquisition::Mode::Continuous ? tr("running")
                   : m == Acquisition::Mode::Single   ? tr("single")
                                                      : tr("stopped");
    if (acq_->connecting())
        what = tr("connecting to %1").arg(set_.source);
    statusBar()->showMessage(what + (acq_->instrumentName().isEmpty() ? QString() : " - " + acq_->instrumentName()));
}

void ScopeWindow::onFailed(const QString &message)
{
    error_->setText(message);
    statusBar()->showMessage(message);
}

bool ScopeWindow::exportScopeCsv(const QString &path, QString *error)
{
    return writeTraceCsv(path, acq_->scope(), set_.headerLines(), error);
}

bool ScopeWindow::exportSpectrumCsv(const QString &path, QString *error)
{
    return writeTraceCsv(path, acq_->spectrum(), set_.headerLines(), error);
}

bool ScopeWindow::exportPng(const QString &path, QString *error)
{
    if (grab().save(path, "PNG"))
        return true;
    *error = tr("cannot write %1").arg(path);
    return false;
}

void ScopeWindow::exportDialog(int what)
{
    static const char *filters[] = {"CSV (*.csv)", "CSV (*.csv)", "PNG image (*.png)"};
    QString path = QFileDialog::getSaveFileName(this, tr("Export"), QString(), tr(filters[what]));
    if (path.isEmpty())
        return;
    QString err;
    bool ok = what == 0 ? exportScopeCsv(path, &err) : what == 1 ? exportSpectrumCsv(path, &err) : exportPng(path, &err);
    statusBar()->showMessage(ok ? tr("wrote %1").arg(path) : tr("export failed: %1").arg(err), 5000);
}

void ScopeWindow::closeEvent(QCloseEvent *e)
{
    acq_->stop();
    e->accept();
}
