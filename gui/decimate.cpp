#include "decimate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace {
// The first index of the smallest and of the largest value in y[a..b),
// b > a (NaN never wins, unless y[a] is one). Four lanes at a time where
// SSE is there, each lane keeping the index of its own extremes: the scan
// is most of a frame's work at a million points.
void extremes(const float *y, size_t a, size_t b, size_t *imin, size_t *imax)
{
    size_t i = a, lo = a, hi = a;
#ifdef __SSE2__
    if (b - a >= 16) {
        __m128 vmn = _mm_loadu_ps(y + a), vmx = vmn;
        __m128i idx = _mm_setr_epi32(0, 1, 2, 3), imn = idx, imx = idx;
        const __m128i four = _mm_set1_epi32(4);
        for (i = a + 4; i + 4 <= b; i += 4) {
            idx = _mm_add_epi32(idx, four);
            __m128 v = _mm_loadu_ps(y + i);
            __m128 lt = _mm_cmplt_ps(v, vmn), gt = _mm_cmpgt_ps(v, vmx);
            vmn = _mm_or_ps(_mm_and_ps(lt, v), _mm_andnot_ps(lt, vmn));
            vmx = _mm_or_ps(_mm_and_ps(gt, v), _mm_andnot_ps(gt, vmx));
            __m128i l = _mm_castps_si128(lt), g = _mm_castps_si128(gt);
            imn = _mm_or_si128(_mm_and_si128(l, idx), _mm_andnot_si128(l, imn));
            imx = _mm_or_si128(_mm_and_si128(g, idx), _mm_andnot_si128(g, imx));
        }
        float mn[4], mx[4];
        alignas(16) int32_t jn[4], jx[4];
        _mm_storeu_ps(mn, vmn);
        _mm_storeu_ps(mx, vmx);
        _mm_store_si128(reinterpret_cast<__m128i *>(jn), imn);
        _mm_store_si128(reinterpret_cast<__m128i *>(jx), imx);
        int bn = 0, bx = 0;
        for (int k = 1; k < 4; k++) { // equal values: the earlier index
            if (mn[k] < mn[bn] || (mn[k] == mn[bn] && jn[k] < jn[bn]))
                bn = k;
            if (mx[k] > mx[bx] || (mx[k] == mx[bx] && jx[k] < jx[bx]))
                bx = k;
        }
        lo = a + size_t(jn[bn]);
        hi = a + size_t(jx[bx]);
    }
#endif
    for (; i < b; i++) {
        if (y[i] < y[lo])
            lo = i;
        if (y[i] > y[hi])
            hi = i;
    }
    *imin = lo;
    *imax = hi;
}

// The largest (upper) or smallest value of y[a..b), b > a.
float extreme(const float *y, size_t a, size_t b, bool upper)
{
    float m = y[a];
    size_t i = a + 1;
#ifdef __SSE__
    if (b - i >= 16) {
        __m128 v = _mm_set1_ps(m);
        for (; i + 4 <= b; i += 4)
            v = upper ? _mm_max_ps(_mm_loadu_ps(y + i), v) : _mm_min_ps(_mm_loadu_ps(y + i), v);
        float lanes[4];
        _mm_storeu_ps(lanes, v);
        for (float x : lanes)
            m = upper ? std::max(m, x) : std::min(m, x);
    }
#endif
    for (; i < b; i++)
        m = upper ? std::max(m, y[i]) : std::min(m, y[i]);
    return m;
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
            out[k] = extreme(y, a, b, upper);
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

size_t indexOfMax(const float *y, size_t a, size_t b)
{
    if (b <= a)
        return a;
    size_t lo, hi;
    extremes(y, a, b, &lo, &hi);
    return hi;
}
