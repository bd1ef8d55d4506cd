// One plot of the panel (the scope's or the spectrum's): a Qwt plot that
// keeps the full curve and draws it min/max decimated to the canvas's pixel
// columns over the visible x range (re-decimated on zoom, pan and resize),
// with two cursors and their delta readout, an optional peak marker,
// autoscale and zoom.
//
// Mouse: drag a rectangle to zoom, right click to zoom out (Ctrl+right
// click: all the way), wheel to zoom about the pointer (up: in), middle drag
// to pan (the zoom stays); Shift+click places cursor A, Ctrl+click cursor B;
// Esc (with the plot focused) clears the cursors. Curves keep their
// channel's colour (CH1 yellow, CH2 blue) with a legend; axes show SI
// prefixes (time (ms), frequency (kHz)).
#pragma once

#include <QColor>
#include <cmath>
#include <QPointF>
#include <QString>
#include <qwt_plot.h>
#include <vector>
#include <qaio/instr.h>

class QwtPlotCurve;
class QwtPlotMarker;
class QwtPlotZoomer;

class TracePlot : public QwtPlot {
    Q_OBJECT
public:
    TracePlot(const QString &title, bool peakMarker, QWidget *parent = nullptr);

    // Copies t's curves (up to two channels) and redraws.
    void setTrace(const qaio_trace *t);
    // Raw points of channel c (what was given), and vertices last drawn.
    size_t points(size_t c = 0) const { return c < y_.size() ? y_[c].size() : 0; }
    int drawnVertices(size_t c = 0) const;
    QColor curveColor(size_t c = 0) const;
    // A channel's colour (1: yellow, 2: blue; 0: slot c's).
    static QColor channelColor(int channel, size_t c = 0);

    // Back to the home view (homeView()): the whole curve.
    void autoscale();
    // A logarithmic x or y axis (a spectrum's frequency, a density's
    // amplitude); the view goes home.
    void setLogScale(int axis, bool on);
    bool logScale(int axis) const;
    // The y range of the home view: [lo, hi] with ticks every step (a
    // reference level and dB/div); NaN: fitted to the curve.
    void setHomeY(double lo, double hi, double step);
    // Forgets the curve (it no longer means what the axes say).
    void clear();
    void clearCursors();
    // Cursor 0 (A) or 1 (B) at x; NaN hides it.
    void setCursorX(int which, double x);
    double cursorX(int which) const { return cursorX_[which]; }
    // Channel 1's value at x (linear interpolation), NaN outside the curve.
    double valueAt(double x) const;
    QString readout() const;
    // The highest point of channel 1 (skipping DC on spectra): x, y.
    QPointF peak() const;
    // Replots since construction (the status bar's frame rate).
    quint64 redraws() const { return redraws_; }

    void replot() override;

protected:
    bool eventFilter(QObject *o, QEvent *e) override;

signals:
    void readoutChanged(const QString &text);
    // The curve was decimated anew (a new curve, zoom, pan, resize), just
    // before the replot: overlays on the same pixel columns update now and
    // are drawn by that replot.
    void columnsChanged();

private:
    void redecimate();
    void homeView();
    QPointF findPeak() const;
    void updateAxisPrefixes();

    std::vector<std::vector<float>> y_;
    double x0_ = 0, dx_ = 1;
    QString xUnit_, yUnit_;
    bool spectrum_ = false, peakMarker_;
    QwtPlotCurve *curve_[2];
    QwtPlotMarker *cursor_[2];
    QwtPlotMarker *peak_;
    QwtPlotZoomer *zoomer_;
    class SiScaleDraw *scaleDraw_[2]; // x, y
    double cursorX_[2];
    QPointF peakAt_{NAN, NAN};
    double homeY_[3] = {NAN, NAN, 0};
    quint64 redraws_ = 0;
    bool decimating_ = false;
    bool rebase_ = false; // the zoom base follows at the next redecimate
};
