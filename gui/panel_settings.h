// Everything the panel's controls set, remembered between runs (QSettings)
// and turned into the src/instr settings structs.
#pragma once

#include <QString>
#include <qaio/instr.h>

class QSettings;

struct PanelSettings {
    QString source = QStringLiteral("sim"); // "sim" or an address (qaio_scpi_address_parse)
    QString driver = QStringLiteral("auto"); // a SCPI driver family, or "auto" (from *IDN?)
    int points = 4096;
    double rate = 1e6;
    int averages = 16;
    qaio_avg_type averaging = QAIO_AVG_EXPONENTIAL; // continuous mode
    qaio_window window = QAIO_WINDOW_HANN;
    qaio_avg_mode mode = QAIO_AVG_POWER;
    qaio_unit unit = QAIO_UNIT_DBV;
    qaio_trigger_mode trigger = QAIO_TRIG_AUTO;
    qaio_trigger_slope slope = QAIO_SLOPE_RISING;
    unsigned triggerSource = 1;
    double triggerLevel = 0;
    double pretrigger = 0; // part of the record before the trigger, 0..1 (the simulated scope's)
    unsigned channels = 1; // enable mask: 1, 2 or 3

    // Reads what was saved, keeping the defaults for missing or bad values.
    void load(QSettings &s);
    void save(QSettings &s) const;

    void toScope(qaio_scope_settings *out) const;
    void toSpectrum(qaio_spectrum_settings *out) const;

    bool isSimulated() const { return source.compare(QLatin1String("sim"), Qt::CaseInsensitive) == 0; }
    // Every setting into group g of a CSV header (asked or used).
    void toCsv(qaio_csv_meta *m, qaio_csv_group g) const;
};
