// Numbers with SI prefixes, for axes, readouts and labels: "10.0014 kHz",
// "250 µs", "707.1 mV", "-42.00 dBV". dB units are never prefixed.
#pragma once

#include <QString>
#include <qwt_scale_draw.h>

// An SI prefix and the factor a value is divided by for it.
struct SiPrefix {
    double factor;
    const char *name; // UTF-8: "k", "µ", ""
};

// The prefix for values up to maxAbs (G down to p; none for 0).
SiPrefix siPrefixFor(double maxAbs);

// v with a prefix and unit. With resolution > 0 (the step between
// neighbouring values: a bin width, a sample period), the digits shown are
// those that tell two neighbours apart: 10 kHz with 1.4 Hz bins reads
// "10.0000 kHz"; without, up to 5 significant digits. NaN or infinity: "-".
QString siFormat(double v, const QString &unit, double resolution = 0);

// v with a prefix and unit to `digits` significant digits, trailing zeros
// kept so that readings refreshed in place line up ("707.1 mV",
// "1.000 V"); the prefix is chosen after rounding (999.96 mV reads
// "1.000 V"). NaN or infinity: "-".
QString siFormatDigits(double v, const QString &unit, int digits = 4);

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
