#include "si_spin_box.h"

#include "si_format.h"

#include <QRegularExpression>
#include <cmath>

SiSpinBox::SiSpinBox(const QString &unit, QWidget *parent) : QDoubleSpinBox(parent), unit_(unit) {}

QString SiSpinBox::textFromValue(double v) const
{
    SiPrefix p = siPrefixFor(std::fabs(v));
    // Every digit the value has (12 significant), so reading the text back
    // gives the same value.
    return QString::number(v / p.factor, 'g', 12) + ' ' + QString::fromUtf8(p.name) + unit_;
}

double SiSpinBox::parse(const QString &text) const
{
    static const QRegularExpression re(QStringLiteral("^\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*"
                                                      "([GMkmun\u00b5u]?)\\s*(.*?)\\s*$"));
    QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return NAN;
    QString rest = m.captured(3);
    if (!rest.isEmpty() && rest != unit_)
        return NAN;
    bool ok = false;
    double v = m.captured(1).toDouble(&ok);
    if (!ok)
        return NAN;
    static const QString prefixes = QStringLiteral("GMkmun\u00b5");
    static const double factors[] = {1e9, 1e6, 1e3, 1e-3, 1e-6, 1e-9, 1e-6};
    QString p = m.captured(2);
    if (p == QLatin1String("u"))
        p = QStringLiteral("\u00b5");
    int i = p.isEmpty() ? -1 : int(prefixes.indexOf(p));
    return i < 0 ? v : v * factors[i];
}

double SiSpinBox::valueFromText(const QString &text) const
{
    double v = parse(text);
    return std::isfinite(v) ? v : value();
}

QValidator::State SiSpinBox::validate(QString &text, int &) const
{
    double v = parse(text);
    if (std::isfinite(v))
        return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
    // Half typed: digits, a point, an exponent, a prefix, part of the unit.
    static const QRegularExpression partial(QStringLiteral("^[\\d\\s.eE+\\-GMkmun\u00b5/A-Za-z()^]*$"));
    return partial.match(text).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}
