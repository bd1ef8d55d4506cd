// The waterfall (spectrogram): the spectrum's history, newest row at the
// top, one row per spectrum the panel draws, a colour per value. It sits
// under the spectrum plot and follows its frequency axis (span, zoom, pan,
// log): each row is the spectrum decimated to the waterfall's pixel
// columns, a column taking the largest bin it covers (a narrow line stays
// visible at any zoom). The colour bar on the left is in the spectrum's
// unit, over the reference level's ten divisions or (auto) the first row's
// range; log for linear units shown on a log axis.
//
// Rows are written into a ring of image rows (colour-mapped once, as they
// arrive) and drawn with two image copies per repaint, so a row costs one
// pass over the spectrum plus one row of pixels, whatever the history's
// length. A history of the last 1024 spectra (at up to 4096 columns)
// redraws the rows when the frequency axis (zoom, pan, log) or the size
// changes, so they keep their frequencies.
#pragma once

#include <QImage>
#include <cmath>
#include <QString>
#include <qwt_plot.h>
#include <vector>
#include <qaio/instr.h>

#include "decimate.h"

class TracePlot;

class Waterfall : public QwtPlot {
    Q_OBJECT
public:
    // Follows spectrum's frequency axis.
    explicit Waterfall(TracePlot *spectrum, QWidget *parent = nullptr);

    // Adds t's first channel as the newest row and repaints.
    void addRow(const qaio_trace *t);
    // Forgets the rows (a setting changed what they mean).
    void clear();
    // The colour scale: [lo, hi] in unit (log: logarithmic). NaN bounds:
    // auto, from the next row's range.
    void setScale(double lo, double hi, bool log, const QString &unit);

    // Rows added since construction; rows held now; repaints since
    // construction (the bench's frames/s).
    quint64 rowsAdded() const { return added_; }
    int rowsHeld() const { return held_; }
    quint64 paints() const { return paints_; }
    // The colour scale's top (NaN: auto, before the first row).
    double scaleMax() const { return hi_; }
    // The colour bar's title (the unit, with its prefix).
    QString scaleTitle() const;
    // The colour of value v (after the last row's range was set).
    QRgb colourOf(double v) const;
    // The colour drawn at a frequency in the newest row (or an older one;
    // black where there is none).
    QRgb pixelAt(double frequency, int ageRows = 0) const;
    const QImage &image() const { return image_; }

protected:
    bool eventFilter(QObject *o, QEvent *e) override;
    void showEvent(QShowEvent *e) override;

private:
    friend class WaterfallItem;
    void followSpectrum();
    void followPrefix();
    QSize wantedSize() const;
    void resizeImage();
    void redraw();
    PixelColumns columns() const;
    void remember(const qaio_trace *t);
    void recolour();
    void updateColourBar();
    void alignAxes();
    bool fitScale(const std::vector<float> &values);
    int index(double v) const;

    TracePlot *spectrum_;
    QImage image_;               // ring of rows: row head_ is the newest
    std::vector<float> values_;  // the rows' values, for recolouring
    int head_ = 0, held_ = 0;
    double lo_ = NAN, hi_ = NAN; // colour scale (NaN: auto)
    bool auto_ = true, log_ = false;
    bool stale_ = false; // the spectrum's axis changed while hidden
    QString unit_;
    QRgb lut_[256];
    quint64 added_ = 0, paints_ = 0;
    std::vector<float> row_;
    // The history the rows are redrawn from (newest at histHead_).
    static constexpr int kHistoryRows = 1024;
    static constexpr size_t kHistoryColumns = 4096;
    std::vector<float> history_;
    size_t histN_ = 0, histCols_ = 0;
    double histSpan_[2] = {0, 0}, histX0_ = 0, histDx_ = 1;
    int histHead_ = 0, histHeld_ = 0;
};
