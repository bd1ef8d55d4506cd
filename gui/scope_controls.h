// The scope plot's bench-scope controls: volts/div and offset per channel,
// time/div and the trigger position, and the trigger-level line on the
// plot (drag it to set the level).
//
// The display is a bench scope's graticule: 8 vertical divisions by 10
// horizontal ones, the y axis in divisions. Each channel has its own
// scale, so no single volts axis is right for both traces; the scales are
// in the controls and the legend, and cursor readouts turn divisions back
// into volts.
//
// Volts/div and offset only change how the traces are drawn (the record
// keeps its volts). Time/div and the trigger position pick the window
// shown: 10 divisions, the trigger time at the given fraction from the
// left; the trigger position is also asked of the instrument as its
// pre-trigger fraction, which the simulated scope honours (its records
// then start that much before the trigger). SCPI instruments keep their
// own trigger point, as their drivers read it back.
#pragma once

#include <QGroupBox>
#include <QString>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QTimer;
class QwtPlotMarker;
class TracePlot;
struct qaio_trace;

struct ScopeDisplay {
    static constexpr int kVerticalDivs = 8, kHorizontalDivs = 10;
    double voltsPerDiv[2] = {0.5, 0.5};
    double offset[2] = {0, 0};   // volts added before scaling: + moves a trace up
    double timePerDiv = 0;       // seconds; 0: the whole record
    double triggerPosition = 0;  // fraction of the screen before the trigger, 0..1 (a
                                 // setting of the acquisition: not saved here)
};

class ScopeControls : public QGroupBox {
    Q_OBJECT
public:
    // Draws on plot (its channel scales, view, trigger line).
    explicit ScopeControls(TracePlot *plot, QWidget *parent = nullptr);
    // Loads the display saved in QSettings, and saves changes there from
    // now on (interactive runs; tests start from the defaults).
    void restore();
    // Writes the display now if it is remembered (it is saved 1 s after a
    // change otherwise, and at destruction).
    void saveIfRemembered();
    ~ScopeControls() override;

    const ScopeDisplay &display() const { return d_; }
    void setDisplay(const ScopeDisplay &d);
    // The trigger line and position follow the settings (the line not
    // while it is dragged).
    void setTrigger(double level, unsigned source, double position);
    QwtPlotMarker *triggerLine() const { return trigLine_; }
    // A bench scope's Auto: each channel's volts/div so its trace spans at
    // most 6 of the 8 divisions, centred; the whole record shown.
    void autoscale(const qaio_trace *scope);

protected:
    bool eventFilter(QObject *o, QEvent *e) override;

signals:
    // The trigger line was dragged to this level (volts).
    void levelDragged(double volts);
    // The trigger position was changed here (a fraction, 0..1), once
    // stepping or typing pauses.
    void triggerPositionChanged(double fraction);

private:
    void showDisplay();
    void readControls();
    void apply();
    void save();

    TracePlot *plot_;
    bool remember_;
    ScopeDisplay d_;
    QComboBox *vdiv_[2], *tdiv_;
    QDoubleSpinBox *offset_[2];
    QSpinBox *position_;
    QwtPlotMarker *trigLine_, *trigTime_;
    double level_ = 0;
    unsigned source_ = 1;
    bool showing_ = false;
    bool fromSettings_ = false;
    QTimer *saveTimer_, *positionTimer_;
};
