#include "si_text.h"

#include <cmath>

QString siText(double v, const QString &unit, int digits)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    static const struct {
        double factor;
        const char *prefix;
    } prefixes[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}, {1e-3, "m"}, {1e-6, "\u00b5"}, {1e-9, "n"}, {1e-12, "p"}};
    double a = std::fabs(v);
    for (const auto &p : prefixes) {
        if (a >= p.factor * 0.9995 || p.factor == 1e-12 || a == 0) {
            // Rounded to the digits first: 9.99996 shows as 10.000, not 10.0000.
            double x = a == 0 ? 0 : QString::number(v / p.factor, 'g', digits).toDouble();
            int whole = x == 0 ? 1 : int(std::floor(std::log10(std::fabs(x)))) + 1;
            int decimals = std::max(0, digits - std::max(whole, 1));
            return QString::number(x, 'f', decimals) + ' ' + QString::fromUtf8(a == 0 ? "" : p.prefix) + unit;
        }
    }
    return QString::number(v) + ' ' + unit;
}
