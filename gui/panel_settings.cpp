#include "panel_settings.h"

#include <QSettings>
#include <cmath>

namespace {
// An enum read back by name through one of the library's parsers; the old
// value stays when the name is missing or unknown.
template <typename E>
void readEnum(QSettings &s, const char *key, E *v, const char *(*name)(E), int (*parse)(const char *, E *))
{
    QByteArray text = s.value(key, name(*v)).toString().toLatin1();
    E parsed;
    if (parse(text.constData(), &parsed) == 0)
        *v = parsed;
}
}

void PanelSettings::load(QSettings &s)
{
    source = s.value("source", source).toString().trimmed();
    if (source.isEmpty())
        source = QStringLiteral("sim");
    driver = s.value("driver", driver).toString().trimmed();
    if (driver.isEmpty())
        driver = QStringLiteral("auto");
    int p = s.value("points", points).toInt();
    if (p >= 16 && p <= (1 << 22))
        points = p;
    double r = s.value("rate", rate).toDouble();
    if (r > 0 && std::isfinite(r))
        rate = r;
    int a = s.value("averages", averages).toInt();
    if (a >= 1 && a <= 1000000)
        averages = a;
    averaging = s.value("averaging", "exponential").toString() == "repeat" ? QAIO_AVG_REPEAT
                                                                          : QAIO_AVG_EXPONENTIAL;
    readEnum(s, "window", &window, qaio_window_name, qaio_window_parse);
    readEnum(s, "mode", &mode, qaio_avg_mode_name, qaio_avg_mode_parse);
    readEnum(s, "unit", &unit, qaio_unit_name, qaio_unit_parse);
    readEnum(s, "trigger", &trigger, qaio_trigger_mode_name, qaio_trigger_mode_parse);
    readEnum(s, "slope", &slope, qaio_trigger_slope_name, qaio_trigger_slope_parse);
    unsigned src = s.value("trigger_source", triggerSource).toUInt();
    if (src == 1 || src == 2)
        triggerSource = src;
    double lvl = s.value("trigger_level", triggerLevel).toDouble();
    if (std::isfinite(lvl))
        triggerLevel = lvl;
    double pre = s.value("pretrigger", pretrigger).toDouble();
    if (pre >= 0 && pre <= 1)
        pretrigger = pre;
    unsigned ch = s.value("channels", channels).toUInt();
    if (ch >= 1 && ch <= 3)
        channels = ch;
    // Checked as the analyzer will check them, without making one.
    qaio_spectrum_settings sp;
    toSpectrum(&sp);
    if (qaio_spectrum_settings_check(&sp) != 0) {
        PanelSettings d;
        window = d.window;
        mode = d.mode;
        unit = d.unit;
    }
}

void PanelSettings::save(QSettings &s) const
{
    s.setValue("source", source);
    s.setValue("driver", driver);
    s.setValue("points", points);
    s.setValue("rate", rate);
    s.setValue("averages", averages);
    s.setValue("averaging", averaging == QAIO_AVG_REPEAT ? "repeat" : "exponential");
    s.setValue("window", qaio_window_name(window));
    s.setValue("mode", qaio_avg_mode_name(mode));
    s.setValue("unit", qaio_unit_name(unit));
    s.setValue("trigger", qaio_trigger_mode_name(trigger));
    s.setValue("slope", qaio_trigger_slope_name(slope));
    s.setValue("trigger_source", triggerSource);
    s.setValue("trigger_level", triggerLevel);
    s.setValue("channels", channels);
    s.setValue("pretrigger", pretrigger);
}

void PanelSettings::toScope(qaio_scope_settings *out) const
{
    qaio_scope_settings_default(out);
    out->points = size_t(points);
    out->rate = rate;
    out->channels = channels;
    out->trigger = trigger;
    out->slope = slope;
    out->trigger_source = triggerSource;
    out->trigger_level = triggerLevel;
    out->pretrigger = pretrigger;
}

void PanelSettings::toSpectrum(qaio_spectrum_settings *out) const
{
    qaio_spectrum_settings_default(out);
    out->window = window;
    out->mode = mode;
    out->unit = unit;
}

void PanelSettings::toCsv(qaio_csv_meta *m, qaio_csv_group g) const
{
    auto set = [m, g](const char *key, const QString &value) {
        qaio_csv_meta_set(m, g, key, value.toUtf8().constData());
    };
    set("source", source);
    if (!isSimulated())
        set("driver", driver);
    set("points", QString::number(points));
    set("rate_hz", QString::number(rate, 'g', 17));
    set("averages", QString::number(averages));
    set("averaging", averaging == QAIO_AVG_REPEAT ? "repeat" : "exponential");
    set("window", qaio_window_name(window));
    set("average", qaio_avg_mode_name(mode));
    set("unit", qaio_unit_name(unit));
    set("trigger", qaio_trigger_mode_name(trigger));
    set("slope", qaio_trigger_slope_name(slope));
    set("trigger_source", QString::number(triggerSource));
    set("trigger_level", QString::number(triggerLevel, 'g', 17));
    set("channels", QString::number(channels));
    set("pretrigger", QString::number(pretrigger, 'g', 17));
}
