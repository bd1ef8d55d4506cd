#include "decimate.h"

#include <algorithm>
#include <cmath>

QVector<QPointF> decimateMinMax(const float *y, size_t n, double x0, double dx, double xmin,
                                double xmax, int columns)
{
    QVector<QPointF> out;
    if (!y || n == 0 || !(dx > 0))
        return out;
    columns = std::max(columns, 1);
    // The index range in view, widened by one point on each side.
    double lo = std::floor((xmin - x0) / dx) - 1, hi = std::ceil((xmax - x0) / dx) + 1;
    size_t first = lo <= 0 ? 0 : size_t(std::min(lo, double(n - 1)));
    size_t last = hi >= double(n - 1) ? n - 1 : size_t(std::max(hi, 0.0));
    if (first > last)
        return out;
    size_t count = last - first + 1;
    if (count <= size_t(2 * columns)) {
        out.reserve(int(count));
        for (size_t i = first; i <= last; i++)
            out.append(QPointF(x0 + double(i) * dx, double(y[i])));
        return out;
    }
    out.reserve(2 * columns + 2);
    double per = double(count) / columns; // points per column (> 2)
    for (int c = 0; c < columns; c++) {
        size_t a = first + size_t(c * per), b = first + size_t((c + 1) * per);
        b = std::min(std::max(b, a + 1), last + 1);
        size_t imin = a, imax = a;
        for (size_t i = a + 1; i < b; i++) {
            if (y[i] < y[imin])
                imin = i;
            if (y[i] > y[imax])
                imax = i;
        }
        size_t p = std::min(imin, imax), q = std::max(imin, imax);
        out.append(QPointF(x0 + double(p) * dx, double(y[p])));
        if (q != p)
            out.append(QPointF(x0 + double(q) * dx, double(y[q])));
    }
    return out;
}
