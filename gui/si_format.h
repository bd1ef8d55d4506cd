// Numbers with SI prefixes, for axes and readouts: "10.0014 kHz",
// "250 µs", "-42.00 dBV". dB units are never prefixed.
#pragma once

#include <QString>
#include <qwt_scale_draw.h>

// An SI prefix and the factor a value is divided by for it.
struct SiPrefix {
    double factor;
    const char *name; // UTF-8: "k", "µ", ""
};

// The prefix for values up to maxAbs (G down to n; none for 0).
SiPrefix siPrefixFor(double maxAbs);

// v with a prefix and unit. With resolution > 0 (the step between
// neighbouring values: a bin width, a sample period), the digits shown are
// those that tell two neighbours apart: 10 kHz with 1.4 Hz bins reads
// "10.0000 kHz"; without, 5 significant digits. NaN or infinity: "-".
QString siFormat(double v, const QString &unit, double resolution = 0);

// An axis's tick labels divided by one prefix factor (the axis title names
// it: "frequency (kHz)"), so they stay short: "250", not "0.00025".
class SiScaleDraw : public QwtScaleDraw {
public:
    double factor() const { return factor_; }
    // Changes the factor and redraws the labels (true if it changed).
    bool setFactor(double f);
    QwtText label(double v) const override;

private:
    double factor_ = 1;
};
