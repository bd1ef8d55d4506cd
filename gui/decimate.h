// Decimation of a uniformly sampled curve to a plot's pixel columns, on a
// linear or a logarithmic x axis.
#pragma once

#include <QPointF>
#include <QVector>
#include <cstddef>

// The pixel columns a curve is drawn on: `count` columns spanning
// [xmin, xmax], evenly in x or (log, xmin > 0) in log x.
struct PixelColumns {
    double xmin, xmax;
    int count; // < 1 counts as 1
    bool log = false;
};

// The vertices to draw y[0..n) (x_i = x0 + i*dx) on the columns. Points
// outside the span are dropped, except one on each side so the line
// reaches the edges. A column covering more than two points keeps their
// minimum and maximum (in the order they occur), so peaks and noise bands
// look exactly as with every point drawn; otherwise every point is kept.
QVector<QPointF> decimateMinMax(const float *y, size_t n, double x0, double dx, const PixelColumns &cols);

// One value per column: the largest (upper) or smallest point it covers;
// a column between two points takes the point nearest its centre, and a
// column outside the curve NaN. out holds cols.count values.
void decimateExtreme(const float *y, size_t n, double x0, double dx, const PixelColumns &cols, bool upper,
                     float *out);

// The columns' centres (x), as decimateExtreme's values are drawn.
double columnCentre(const PixelColumns &cols, int c);

// The first index of the largest value in y[a..b) (a if the range is empty).
size_t indexOfMax(const float *y, size_t a, size_t b);
