// Min/max decimation of a uniformly sampled curve to a plot's pixel columns.
#pragma once

#include <QPointF>
#include <QVector>
#include <cstddef>

// The vertices to draw y[0..n) (x_i = x0 + i*dx) on `columns` pixel columns
// spanning [xmin, xmax]. Points outside the span are dropped, except one on
// each side so the line reaches the edges. With more than two points per
// column, each column keeps its minimum and maximum (in the order they
// occur), so peaks and noise bands look exactly as with every point drawn;
// otherwise every point is kept. columns < 1 counts as 1.
QVector<QPointF> decimateMinMax(const float *y, size_t n, double x0, double dx, double xmin,
                                double xmax, int columns);
