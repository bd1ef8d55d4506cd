#include "decimate.h"

#include <algorithm>
#include <cmath>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

namespace {
// The extremes of y[a..b), b > a: four lanes at a time where SSE is there
// (the scan is most of a frame's work at a million points), then the first
// index of each, so the vertices keep the order the points came in.
void extremes(const float *y, size_t a, size_t b, size_t *imin, size_t *imax)
{
    float mn = y[a], mx = y[a];
    size_t i = a + 1;
#ifdef __SSE__
    if (b - i >= 16) {
        __m128 vmn = _mm_set1_ps(mn), vmx = vmn;
        for (; i + 4 <= b; i += 4) {
            __m128 v = _mm_loadu_ps(y + i);
            vmn = _mm_min_ps(vmn, v);
            vmx = _mm_max_ps(vmx, v);
        }
        float lo[4], hi[4];
        _mm_storeu_ps(lo, vmn);
        _mm_storeu_ps(hi, vmx);
        for (int k = 0; k < 4; k++) {
            mn = std::min(mn, lo[k]);
            mx = std::max(mx, hi[k]);
        }
    }
#endif
    for (; i < b; i++) {
        mn = std::min(mn, y[i]);
        mx = std::max(mx, y[i]);
    }
    *imin = *imax = a;
    bool haveMin = false, haveMax = false;
    for (i = a; i < b && !(haveMin && haveMax); i++) {
        if (!haveMin && y[i] == mn) {
            *imin = i;
            haveMin = true;
        }
        if (!haveMax && y[i] == mx) {
            *imax = i;
            haveMax = true;
        }
    }
}

double edge(const PixelColumns &c, int k, int count)
{
    double f = double(k) / count;
    if (c.log)
        return c.xmin * std::pow(c.xmax / c.xmin, f);
    return c.xmin + (c.xmax - c.xmin) * f;
}

// The first index at or after x, within [0, n].
size_t indexAt(double x, double x0, double dx, size_t n)
{
    double i = std::ceil((x - x0) / dx);
    return i <= 0 ? 0 : i >= double(n) ? n : size_t(i);
}

PixelColumns sane(PixelColumns c)
{
    c.count = std::max(c.count, 1);
    c.log = c.log && c.xmin > 0 && c.xmax > c.xmin;
    return c;
}

void append(QVector<QPointF> &out, const float *y, double x0, double dx, size_t i)
{
    out.append(QPointF(x0 + double(i) * dx, double(y[i])));
}
}

double columnCentre(const PixelColumns &cols, int c)
{
    PixelColumns s = sane(cols);
    return edge(s, 2 * c + 1, 2 * s.count);
}

QVector<QPointF> decimateMinMax(const float *y, size_t n, double x0, double dx, const PixelColumns &cols)
{
    QVector<QPointF> out;
    if (!y || n == 0 || !(dx > 0))
        return out;
    const PixelColumns c = sane(cols);
    // The index range in view, widened by one point on each side.
    double lo = std::floor((c.xmin - x0) / dx) - 1, hi = std::ceil((c.xmax - x0) / dx) + 1;
    size_t first = lo <= 0 ? 0 : size_t(std::min(lo, double(n - 1)));
    size_t last = hi >= double(n - 1) ? n - 1 : size_t(std::max(hi, 0.0));
    if (first > last)
        return out;
    size_t count = last - first + 1;
    if (count <= size_t(2 * c.count)) {
        out.reserve(int(count));
        for (size_t i = first; i <= last; i++)
            append(out, y, x0, dx, i);
        return out;
    }
    out.reserve(2 * c.count + 2);
    double per = double(count) / c.count; // points per linear column (> 2)
    size_t a = first;
    for (int k = 0; k < c.count; k++) {
        size_t b = k + 1 == c.count ? last + 1
                   : c.log          ? std::clamp(indexAt(edge(c, k + 1, c.count), x0, dx, n), a, last + 1)
                                    : first + size_t((k + 1) * per);
        if (!c.log)
            b = std::min(std::max(b, a + 1), last + 1);
        if (b - a <= 2) { // a log axis's low columns: a point or none each
            for (size_t i = a; i < b; i++)
                append(out, y, x0, dx, i);
        } else {
            size_t imin, imax;
            extremes(y, a, b, &imin, &imax);
            size_t p = std::min(imin, imax), q = std::max(imin, imax);
            append(out, y, x0, dx, p);
            if (q != p)
                append(out, y, x0, dx, q);
        }
        a = b;
    }
    return out;
}

void decimateExtreme(const float *y, size_t n, double x0, double dx, const PixelColumns &cols, bool upper,
                     float *out)
{
    const PixelColumns c = sane(cols);
    if (!y || n == 0 || !(dx > 0)) {
        std::fill(out, out + c.count, NAN);
        return;
    }
    double xlast = x0 + dx * double(n - 1);
    size_t a = indexAt(edge(c, 0, c.count), x0, dx, n);
    for (int k = 0; k < c.count; k++) {
        size_t b = indexAt(edge(c, k + 1, c.count), x0, dx, n);
        if (k + 1 == c.count && c.xmax >= xlast)
            b = n;
        if (b > a + 1) {
            size_t imin, imax;
            extremes(y, a, b, &imin, &imax);
            out[k] = y[upper ? imax : imin];
        } else if (b == a + 1) {
            out[k] = y[a];
        } else { // between two points, or outside the curve
            double x = edge(c, 2 * k + 1, 2 * c.count);
            double i = std::round((x - x0) / dx);
            out[k] = i < -0.5 || i > double(n - 1) + 0.5 ? NAN : y[size_t(std::clamp(i, 0.0, double(n - 1)))];
        }
        a = std::max(a, b);
    }
}
