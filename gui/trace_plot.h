// One plot of the panel (the scope's or the spectrum's): a Qwt plot that
// keeps the full curve and draws it min/max decimated to the canvas's pixel
// columns over the visible x range (re-decimated on zoom, pan and resize),
// with two cursors and their delta readout, an optional peak marker,
// autoscale and zoom.
//
// Mouse: drag a rectangle to zoom, right click to zoom out (Ctrl+right
// click: all the way), wheel to zoom about the pointer (up: in), middle drag
// to pan (the zoom stays); Shift+click places cursor A, Ctrl+click cursor B,
// Shift+right click the horizontal cursor Y1, Ctrl+Shift+right click Y2; a
// left drag on a cursor line moves it; Esc (with the plot focused) clears
// the cursors. Curves keep their
// channel's colour (CH1 yellow, CH2 blue) with a legend; axes show SI
// prefixes (time (ms), frequency (kHz)).
#pragma once

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <cmath>
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
    // Channel ch's (1, 2) fixed colour.
    static QColor channelColor(int ch);
    // Drags the cursors; other lines on the plot may join (trigger level).
    class LineDragger *dragger() const { return dragger_; }

    void autoscale();
    // Forgets the curve (it no longer means what the axes say).
    void clear();
    void clearCursors();
    // Cursor 0 (A) or 1 (B) at x; NaN hides it.
    void setCursorX(int which, double x);
    double cursorX(int which) const { return cursorX_[which]; }
    // Horizontal cursor 0 (Y1) or 1 (Y2) at plot y; NaN hides it.
    void setCursorY(int which, double y);
    double cursorY(int which) const { return cursorY_[which]; }
    QwtPlotMarker *cursorMarker(int which, bool horizontal) const { return horizontal ? ycursor_[which] : cursor_[which]; }
    // Scope display: channel ch (1, 2) drawn as (v + offset) / perDiv, in
    // divisions; perDiv NaN draws the values as given.
    void setChannelScale(int ch, double perDiv, double offset);
    // The value in the curve's unit of plot y for the first channel shown
    // (plot y itself without a channel scale).
    double plotToValue(double y) const;
    double valueToPlot(int ch, double v) const;
    // A fixed full view (x, y ranges and major steps) that new records and
    // autoscale return to; a null rect: the whole record, y autoscaled.
    void setFixedView(const QRectF &view, double xStep, double yStep, const QString &yTitle);
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

private:
    void redecimate();
    void updateAxisPrefixes();

    std::vector<std::vector<float>> y_;
    double x0_ = 0, dx_ = 1;
    QString xUnit_, yUnit_;
    bool spectrum_ = false, peakMarker_;
    QwtPlotCurve *curve_[2];
    QwtPlotMarker *cursor_[2];
    QwtPlotMarker *peak_;
    QwtPlotZoomer *zoomer_;
    class LineDragger *dragger_;
    class SiScaleDraw *scaleDraw_[2]; // x, y
    double cursorX_[2];
    double cursorY_[2];
    QwtPlotMarker *ycursor_[2];
    // Scope display scaling by channel number - 1, and the channel (1, 2)
    // of each curve slot.
    double perDiv_[2] = {NAN, NAN}, offset_[2] = {0, 0};
    int slotChannel_[2] = {1, 2};
    QRectF view_;
    double viewStep_[2] = {0, 0};
    QString viewYTitle_;
    void resetView();
    quint64 redraws_ = 0;
    bool decimating_ = false;
    bool rebase_ = false; // the zoom base follows at the next redecimate
};
