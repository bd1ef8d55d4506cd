// qaio-scope: the live oscilloscope and spectrum-analyzer averaging panel.
//
//   qaio-scope [--source sim|ADDRESS] [--driver NAME] [--points N] [--rate HZ] [--averages N]
//   qaio-scope --screenshot FILE   headless: one complete average, a PNG, exit 0
//   qaio-scope --bench SECONDS [--reps R] [--quick]
//                                  headless: continuous averaging, print the viewer figures
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <QSettings>

#include "acquisition.h"
#include "bench_mode.h"
#include "scope_window.h"

int main(int argc, char **argv)
{
    // Headless modes (and --help) need no display: pick the offscreen platform before Qt
    // looks for one (an explicit QT_QPA_PLATFORM still wins).
    for (int i = 1; i < argc; i++)
        if (!qstrcmp(argv[i], "--screenshot") || !qstrcmp(argv[i], "--bench") || !qstrcmp(argv[i], "--help") ||
            !qstrcmp(argv[i], "-h") || !qstrcmp(argv[i], "--help-all"))
            qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("qaio-scope"));
    QApplication::setOrganizationName(QStringLiteral("qaio"));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "Live oscilloscope and spectrum-analyzer averaging on the simulated scope or a SCPI instrument."));
    cli.addHelpOption();
    QCommandLineOption source("source",
                              "sim (default) or a SCPI oscilloscope: HOST[:PORT], TCPIP0::HOST::PORT::SOCKET, "
                              "USB0::VID::PID::SERIAL::INSTR or usbtmc:/dev/usbtmcN.",
                              "SRC");
    QStringList drivers;
    for (size_t i = 0; qaio_scpi_driver_name(i); i++)
        drivers << QString::fromUtf8(qaio_scpi_driver_name(i));
    QCommandLineOption driver("driver",
                              "The oscilloscope family (default auto: from its *IDN? answer): " +
                                  drivers.join(QStringLiteral(", ")) + ".",
                              "NAME");
    QCommandLineOption points("points", "Record length.", "N");
    QCommandLineOption rate("rate", "Sample rate in Hz.", "HZ");
    QCommandLineOption averages("averages", "Averages N.", "N");
    QCommandLineOption shot("screenshot", "Render headless after the first complete average, save FILE (PNG), exit.", "FILE");
    QCommandLineOption bench("bench", "Headless continuous averaging for SECONDS per repetition; print the viewer figures.", "SECONDS");
    QCommandLineOption reps("reps", "Bench repetitions (default 3).", "R");
    QCommandLineOption quick("quick", "Bench smoke test: one repetition of one second.");
    QCommandLineOption fresh("defaults", "Start from the default settings, not the remembered ones.");
    cli.addOptions({source, driver, points, rate, averages, shot, bench, reps, quick, fresh});
    cli.process(app);

    // Headless runs never touch (or depend on) the user's remembered settings.
    bool headless = cli.isSet(shot) || cli.isSet(bench);
    PanelSettings s;
    if (!headless && !cli.isSet(fresh)) {
        QSettings store(QStringLiteral("qaio"), QStringLiteral("qaio-scope"));
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
