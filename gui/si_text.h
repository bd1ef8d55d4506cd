// Numbers with an SI prefix for the panel's labels: "707.1 mV", "10.00 kHz".
#pragma once

#include <QString>

// v with the prefix that leaves 1..999 before the point, `digits`
// significant digits (trailing zeros kept: readings line up) and unit
// ("V", "Hz", "s"); "-" when v is not finite.
QString siText(double v, const QString &unit, int digits = 4);
