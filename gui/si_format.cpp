#include "si_format.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace {
const SiPrefix kPrefixes[] = {{1e9, "G"},  {1e6, "M"},       {1e3, "k"},  {1, ""},
                              {1e-3, "m"}, {1e-6, "\u00b5"}, {1e-9, "n"}, {1e-12, "p"}};
const SiPrefix kNoPrefix = {1, ""};

// A ratio in decibels has no prefix: "-3.01 dBV", never "mdBV".
bool isDecibels(const QString &unit) { return unit.startsWith(QLatin1String("dB")); }

QString withUnit(const QString &number, const SiPrefix &p, const QString &unit)
{
    QString u = QString::fromUtf8(p.name) + unit;
    return u.isEmpty() ? number : number + ' ' + u;
}
}

SiPrefix siPrefixFor(double maxAbs)
{
    for (const SiPrefix &p : kPrefixes)
        if (maxAbs >= p.factor)
            return p;
    return maxAbs > 0 ? kPrefixes[std::size(kPrefixes) - 1] : kNoPrefix;
}

QString siFormat(double v, const QString &unit, double resolution)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    bool db = isDecibels(unit);
    SiPrefix p = db ? kNoPrefix : siPrefixFor(std::fabs(v));
    QString number;
    if (resolution > 0 && std::isfinite(resolution)) {
        // Two significant digits of the resolution: its steps stay visible.
        int decimals = 1 - int(std::floor(std::log10(resolution / p.factor)));
        number = QString::number(v / p.factor, 'f', std::clamp(decimals, 0, 12));
    } else if (db) {
        number = QString::number(v, 'f', 2);
    } else {
        number = QString::number(v / p.factor, 'g', 5);
    }
    return withUnit(number, p, unit);
}

QString siFormatDigits(double v, const QString &unit, int digits)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    double rounded = QString::number(std::fabs(v), 'g', digits).toDouble();
    SiPrefix p = isDecibels(unit) ? kNoPrefix : siPrefixFor(rounded);
    double x = QString::number(v / p.factor, 'g', digits).toDouble();
    int whole = x == 0 ? 1 : int(std::floor(std::log10(std::fabs(x)))) + 1;
    return withUnit(QString::number(x, 'f', std::max(0, digits - std::max(whole, 1))), p, unit);
}

bool SiScaleDraw::setFactor(double f)
{
    if (f == factor_)
        return false;
    factor_ = f;
    invalidateCache();
    return true;
}

QwtText SiScaleDraw::label(double v) const
{
    double x = v / factor_;
    if (std::fabs(x) < 1e-9 * factor_)
        x = 0;
    return QwtText(QString::number(x, 'g', 6));
}
