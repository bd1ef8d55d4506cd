#include "si_format.h"

#include <cmath>

namespace {
const SiPrefix kPrefixes[] = {{1e9, "G"},  {1e6, "M"},       {1e3, "k"}, {1, ""},
                              {1e-3, "m"}, {1e-6, "\u00b5"}, {1e-9, "n"}};
}

SiPrefix siPrefixFor(double maxAbs)
{
    for (const SiPrefix &p : kPrefixes)
        if (maxAbs >= p.factor)
            return p;
    return maxAbs > 0 ? kPrefixes[6] : kPrefixes[3];
}

QString siFormat(double v, const QString &unit, double resolution)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    bool db = unit.startsWith(QLatin1String("dB"));
    SiPrefix p = db ? SiPrefix{1, ""} : siPrefixFor(std::fabs(v));
    if (p.factor == 1 && v != 0 && !db && std::fabs(v) < 1e-9)
        p = kPrefixes[6];
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
    QString u = QString::fromUtf8(p.name) + unit;
    return u.isEmpty() ? number : number + ' ' + u;
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
