// The spectrum plot's display controls: a log frequency axis, a reference
// level and dB/div (dB units), a log amplitude axis (linear units), max
// and min hold overlays, the waterfall, and the "RBW ...  window" line
// under the plot (as a bench analyzer annotates its screen; on the canvas
// it would hide the peak's label or the curve). Display only: nothing here
// changes the acquisition.
#pragma once

#include <QGroupBox>
#include <qaio/instr.h>

#include "panel_settings.h"

class HoldCurves;
class QCheckBox;
class QDoubleSpinBox;
class QSettings;
class TracePlot;
class Waterfall;

// What the controls set, remembered between runs.
struct SpectrumView {
    bool logFrequency = false;
    bool refLevelOn = false; // else the y axis fits the curve
    double refLevel = 0;     // top of the axis, in the dB unit
    double dbPerDiv = 10;    // ten divisions below the reference
    bool logAmplitude = true; // linear units: a density's floor stays visible
    bool maxHold = false, minHold = false;
    bool waterfall = false;

    void load(QSettings &s);
    void save(QSettings &s) const;
};

class SpectrumControls : public QGroupBox {
    Q_OBJECT
public:
    // Controls for plot; makes the waterfall that follows it (the window
    // places it) and the hold curves drawn on it.
    explicit SpectrumControls(TracePlot *plot, QWidget *parent = nullptr);

    Waterfall *waterfall() const { return waterfall_; }
    HoldCurves *holds() const { return holds_; }
    SpectrumView view() const { return view_; }
    // Shows v in the controls and applies it to the plot.
    void setView(const SpectrumView &v);
    // Loads the view saved in QSettings, and saves each change there from
    // now on (interactive runs; headless runs and tests keep the defaults).
    void restore();
    // The panel's settings: the unit decides which y controls apply; any
    // change restarts the holds and the waterfall.
    void setSettings(const PanelSettings &s);
    // Each spectrum the panel draws: folded into the holds, handed to the
    // plot (one replot shows the curve, the holds and the RBW line), and
    // added to the waterfall.
    void setTrace(const qaio_trace *t);
    // The y axis home (Autoscale): the waterfall's auto range starts anew.
    void autoscale();
    void resetHolds();
    // The plot's footer: "RBW 1.50 kHz  Hann" ("RBW -  Hann" before the
    // first spectrum of the current settings).
    QString rbwText() const;

private:
    void readControls();
    void showView();
    void apply();
    bool dbUnit() const;

    TracePlot *plot_;
    Waterfall *waterfall_;
    HoldCurves *holds_;
    SpectrumView view_;
    PanelSettings set_;
    bool haveSettings_ = false, showing_ = false, remember_ = false;
    double enbw_ = 0;
    QCheckBox *logFreq_, *refOn_, *logAmp_, *maxHold_, *minHold_, *waterfallOn_;
    QDoubleSpinBox *ref_, *perDiv_;
};
