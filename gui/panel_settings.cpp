#include "panel_settings.h"

#include <QSettings>
#include <QTextStream>
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

QString PanelSettings::headerLines() const
{
    QString text;
    QTextStream t(&text);
    t << "# source: " << source;
    if (!isSimulated())
        t << "\n# driver: " << driver;
    t << "\n# points: " << points << "\n# rate_hz: " << QString::number(rate, 'g', 17)
      << "\n# averages: " << averages << "\n# averaging: "
      << (averaging == QAIO_AVG_REPEAT ? "repeat" : "exponential") << "\n# window: " << qaio_window_name(window)
      << "\n# average: " << qaio_avg_mode_name(mode) << "\n# unit: " << qaio_unit_name(unit)
      << "\n# trigger: " << qaio_trigger_mode_name(trigger) << "\n# slope: " << qaio_trigger_slope_name(slope)
      << "\n# trigger_source: " << triggerSource << "\n# trigger_level: " << triggerLevel
      << "\n# channels: " << channels << "\n# pretrigger: " << pretrigger << "\n";
    return text;
}
