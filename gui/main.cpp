// qaio-scope: the live oscilloscope and spectrum-analyzer averaging panel.
//
//   qaio-scope [--source sim|ADDRESS] [--driver NAME] [--points N] [--rate HZ] [--averages N]
//   qaio-scope --screenshot FILE   headless: one complete average, a PNG, exit 0
//   qaio-scope --bench SECONDS [--reps R] [--quick]
//                                  headless: continuous averaging, print the viewer figures
//   qaio-scope --help | --version  (no display needed)
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <cstring>
#include <QSettings>
#include <initializer_list>

#include "acquisition.h"
#include "bench_mode.h"
#include "scope_window.h"

// The options, made before any application object: --help and --version
// are answered by a QCoreApplication, which needs no display.
struct Cli {
    QCommandLineParser parser;
    QStringList drivers;
    QCommandLineOption source{"source",
                              "sim (default) or a SCPI oscilloscope: HOST[:PORT], TCPIP0::HOST::PORT::SOCKET, "
                              "USB0::VID::PID::SERIAL::INSTR or usbtmc:/dev/usbtmcN.",
                              "SRC"};
    QCommandLineOption driver{"driver", "", "NAME"};
    QCommandLineOption points{"points", "Record length.", "N"};
    QCommandLineOption rate{"rate", "Sample rate in Hz.", "HZ"};
    QCommandLineOption averages{"averages", "Averages N.", "N"};
    QCommandLineOption shot{"screenshot", "Render headless after the first complete average, save FILE (PNG), exit.", "FILE"};
    QCommandLineOption bench{"bench", "Headless continuous averaging for SECONDS per repetition; print the viewer figures.", "SECONDS"};
    QCommandLineOption reps{"reps", "Bench repetitions (default 3).", "R"};
    QCommandLineOption quick{"quick", "Bench smoke test: one repetition of one second."};
    QCommandLineOption fresh{"defaults", "Start from the default settings, not the remembered ones."};

    Cli()
    {
        parser.setApplicationDescription(QStringLiteral(
            "Live oscilloscope and spectrum-analyzer averaging on the simulated scope or a SCPI instrument."));
        parser.addHelpOption();
        parser.addVersionOption();
        for (size_t i = 0; qaio_scpi_driver_name(i); i++)
            drivers << QString::fromUtf8(qaio_scpi_driver_name(i));
        driver.setDescription("The oscilloscope family (default auto: from its *IDN? answer): " +
                              drivers.join(QStringLiteral(", ")) + ".");
        parser.addOptions({source, driver, points, rate, averages, shot, bench, reps, quick, fresh});
    }
};

// Whether argv has one of the options, alone or as --name=value.
static bool hasArg(int argc, char **argv, std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; i++)
        for (const char *n : names) {
            size_t len = std::strlen(n);
            if (!std::strncmp(argv[i], n, len) && (argv[i][len] == 0 || argv[i][len] == '='))
                return true;
        }
    return false;
}

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("qaio-scope"));
    QCoreApplication::setOrganizationName(QStringLiteral("qaio"));
    QCoreApplication::setApplicationVersion(QString::fromUtf8(qaio_version_string()));
    if (hasArg(argc, argv, {"-h", "--help", "-?", "--help-all", "-v", "--version"})) {
        QCoreApplication app(argc, argv);
        Cli cli;
        cli.parser.process(app); // prints and exits
    }
    bool headless = hasArg(argc, argv, {"--screenshot", "--bench"});
    // Headless modes need no display: pick the offscreen platform before Qt
    // looks for one (an explicit QT_QPA_PLATFORM still wins).
    if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The window needs a display; without one QApplication would abort.
    if (!headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && !hasArg(argc, argv, {"-platform"})) {
        std::fprintf(stderr,
                     "qaio-scope: no display (DISPLAY and WAYLAND_DISPLAY are unset). Run it in a desktop\n"
                     "session, or with a virtual one (xvfb-run qaio-scope), or headless:\n"
                     "  qaio-scope --screenshot FILE.png   one complete average saved as a PNG\n"
                     "  qaio-scope --bench SECONDS         the viewer benchmark\n");
        return 2;
    }
    QApplication app(argc, argv);
    Cli c;
    c.parser.process(app);
    const QCommandLineParser &cli = c.parser;
    const QStringList &drivers = c.drivers;
    const QCommandLineOption &source = c.source, &driver = c.driver, &points = c.points, &rate = c.rate,
                             &averages = c.averages, &shot = c.shot, &bench = c.bench, &reps = c.reps,
                             &quick = c.quick, &fresh = c.fresh;

    // Headless runs never touch (or depend on) the user's remembered settings.
    PanelSettings s;
    if (!headless && !cli.isSet(fresh)) {
        QSettings store = panelStore();
        s.load(store);
    }
    if (cli.isSet(bench)) { // the benchmark's fixed scenario, then any overrides
        s.points = 16384;
        s.rate = 1e7;
        s.averages = 100;
        s.trigger = QAIO_TRIG_FORCE;
    }
    bool ok = true;
    if (cli.isSet(source))
        s.source = cli.value(source);
    if (cli.isSet(driver)) {
        s.driver = cli.value(driver);
        if (s.driver != QLatin1String("auto") && !drivers.contains(s.driver)) {
            std::fprintf(stderr, "qaio-scope: --driver: no driver '%s'; there are: %s\n",
                         qPrintable(s.driver), qPrintable(drivers.join(' ')));
            return 2;
        }
    }
    if (cli.isSet(points))
        s.points = cli.value(points).toInt(&ok);
    if (ok && cli.isSet(rate))
        s.rate = cli.value(rate).toDouble(&ok);
    if (ok && cli.isSet(averages))
        s.averages = cli.value(averages).toInt(&ok);
    if (!ok || s.points < 16 || s.points > (1 << 22) || !(s.rate > 0) || s.averages < 1) {
        std::fprintf(stderr, "qaio-scope: bad --points, --rate or --averages\n");
        return 2;
    }
    ScopeWindow w(&s);

    if (cli.isSet(bench)) {
        double secs = cli.value(bench).toDouble(&ok);
        int r = cli.isSet(reps) ? cli.value(reps).toInt() : 3;
        if (cli.isSet(quick) && !cli.isSet(reps)) {
            secs = 1;
            r = 1;
        }
        if (!ok || !(secs > 0) || r < 1) {
            std::fprintf(stderr, "qaio-scope: bad --bench or --reps\n");
            return 2;
        }
        w.show();
        return runBench(&w, secs, r);
    }
    if (cli.isSet(shot)) {
        QString file = cli.value(shot);
        w.resize(1280, 720); // the offscreen screen is 800x600: the README's size, not a netbook's
        w.show();
        QObject::connect(w.acquisition(), &Acquisition::singleFinished, &w, [&] {
            QString err;
            if (!w.exportPng(file, &err)) {
                std::fprintf(stderr, "qaio-scope: %s\n", qPrintable(err));
                QApplication::exit(1);
                return;
            }
            std::printf("qaio-scope: wrote %s (%s averages)\n", qPrintable(file), qPrintable(w.counterText()));
            QApplication::exit(0);
        });
        QObject::connect(w.acquisition(), &Acquisition::failed, &w, [](const QString &m) {
            std::fprintf(stderr, "qaio-scope: %s\n", qPrintable(m));
            QApplication::exit(1);
        });
        QTimer::singleShot(0, &w, [&] { w.runSingle(); });
        return app.exec();
    }
    if (!cli.isSet(fresh))
        w.restoreLayout();
    w.show();
    return app.exec();
}
