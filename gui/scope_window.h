// The qaio-scope panel: scope and spectrum plots side by side over one
// acquisition (Acquisition), the controls, the k/N counter, exports and a
// status bar with acquisitions/s, redraws/s and event-loop lag. It only
// starts runs and draws what they publish.
#pragma once

#include <QMainWindow>

#include "acquisition.h"
#include "panel_settings.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;
class LoopMonitor;
class TracePlot;
class ReferenceTraces;

class ScopeWindow : public QMainWindow {
    Q_OBJECT
public:
    // Settings come from QSettings (organisation "qaio", application
    // "qaio-scope") unless `settings` is given.
    explicit ScopeWindow(const PanelSettings *settings = nullptr, QWidget *parent = nullptr);
    ~ScopeWindow() override;  // saves settings changed in the last second

    PanelSettings settings() const { return set_; }
    // Shows s in the controls and hands it to the acquisition (a running
    // average restarts with it). Saved with QSettings.
    void applySettings(const PanelSettings &s);

    Acquisition *acquisition() { return acq_; }
    LoopMonitor *monitor() { return mon_; }
    TracePlot *scopePlot() { return scopePlot_; }
    TracePlot *spectrumPlot() { return specPlot_; }
    class ScopeControls *scopeControls() { return scopeControls_; }
    class MeasurementsView *measurements() { return measurements_; }
    QString counterText() const;
    QString errorText() const;
    QString statusText() const;
    QWidget *errorBanner() const;
    // Window size, position and splitter from QSettings (main() calls it
    // for interactive runs; they are saved on close).
    void restoreLayout();
    void saveLayout();
    // Writes the settings now (they are saved 1 s after a change, and at
    // close or destruction otherwise).
    void saveSettings();

    // Exports: false with a reason in *error.
    bool exportScopeCsv(const QString &path, QString *error);
    bool exportSpectrumCsv(const QString &path, QString *error);
    bool exportPng(const QString &path, QString *error);

    // Reference traces: the current curves frozen (false with a reason when
    // there is none), or a CSV loaded over the plot of its domain.
    ReferenceTraces *references() { return refs_; }
    bool freezeReferences(QString *error);
    bool loadReference(const QString &path, QString *error);

public slots:
    void runContinuous();
    void runSingle();
    void stop();
    void restartAverage();
    void reconnect();
    void autoscale();
    void clearCursors();

protected:
    void closeEvent(QCloseEvent *e) override;

private:
    QWidget *buildControls();
    void buildMenus();
    void showSettings();    // set_ -> controls
    void readControls();    // controls -> set_, then apply
    void onStepped(unsigned k, unsigned n);
    void onModeChanged(Acquisition::Mode m);
    void onFailed(const QString &message);
    void exportDialog(int what);
    void showError(const QString &message);
    void refreshStatus();
    void stopUnlessPopup();

    PanelSettings set_;
    Acquisition *acq_;
    LoopMonitor *mon_;
    ReferenceTraces *refs_;
    TracePlot *scopePlot_, *specPlot_;
    class ScopeControls *scopeControls_;
    class MeasurementsView *measurements_;
    QLabel *scopeReadout_, *specReadout_;
    QLineEdit *source_;
    QSpinBox *averages_;
    QComboBox *averaging_, *points_, *window_, *mode_, *unit_, *trigger_, *slope_, *trigSource_;
    QDoubleSpinBox *rate_, *level_;
    QCheckBox *ch1_, *ch2_;
    QPushButton *run_, *single_, *stop_, *restart_;
    QLabel *counter_, *error_, *lagLabel_, *fpsLabel_, *acqLabel_;
    QProgressBar *progress_;
    QLabel *banner_, *status_;
    class QSplitter *splitter_;
    QTimer *debounce_, *statusTimer_, *saveTimer_;
    bool showing_ = false;
};
