// qaio-scope, driven as a user would under QT_QPA_PLATFORM=offscreen: a
// Single run ends at N/N with both plots full; window and unit change the
// spectrum as theory says; CSV export round-trips; settings are remembered;
// the event loop keeps running during continuous averaging; a SCPI source
// (a real qaio-instrument-sim) works, and killing it shows an error while
// the window stays usable and reconnects; and the real binary renders a
// non-blank screenshot on an X server (Xvfb).
#include "testutil.h"

#include <QAbstractButton>
#include <qwt_scale_widget.h>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QImage>
#include <QProcess>
#include <QDir>
#include <QDoubleSpinBox>
#include <QRegularExpression>
#include <QWheelEvent>
#include <qwt_scale_map.h>
#include <qwt_scale_div.h>
#include <qwt_text.h>
#include <qwt_plot_curve.h>
#include <qwt_plot_marker.h>
#include <qwt_series_data.h>
#include <QSpinBox>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cmath>
#include <set>
#include <signal.h>

#include "hold_curves.h"
#include "si_format.h"
#include "spectrum_controls.h"
#include "waterfall.h"
#include "reference_traces.h"
#include <qwt_plot_curve.h>
#include "sim_process.h"
#include "loop_monitor.h"
#include "measurements_view.h"
#include "scope_controls.h"
#include "scope_window.h"
#include "trace_plot.h"

namespace {
// 10 kHz (the default signal's tone, 1 Vpk) is bin 10 of 1000 points at
// 1 MS/s: on a bin, so no scalloping loss enters the expected levels.
PanelSettings onBin(int averages = 4)
{
    PanelSettings s;
    s.points = 1000;
    s.rate = 1e6;
    s.averages = averages;
    s.trigger = QAIO_TRIG_FORCE;
    return s;
}

bool runSingle(ScopeWindow &w)
{
    QSignalSpy done(w.acquisition(), &Acquisition::singleFinished);
    w.runSingle();
    // Valgrind runs this 30x slower, beside another suite on the same cores.
    return done.wait(underValgrind() ? 120000 : 30000);
}

// One notch of the wheel, up, at a point of widget c.
void wheelUp(QWidget *c, QPoint at)
{
    QWheelEvent wheel(at, c->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(c, &wheel);
    QCoreApplication::processEvents();
}

// A middle-button drag (the pan) on widget c, through the midpoint.
void middleDrag(QWidget *c, QPoint from, QPoint to)
{
    auto send = [c](QEvent::Type t, QPoint pos, Qt::MouseButton b, Qt::MouseButtons held) {
        QMouseEvent e(t, pos, c->mapToGlobal(pos), t == QEvent::MouseMove ? Qt::NoButton : b, held, Qt::NoModifier);
        QApplication::sendEvent(c, &e);
    };
    send(QEvent::MouseButtonPress, from, Qt::MiddleButton, Qt::MiddleButton);
    send(QEvent::MouseMove, (from + to) / 2, Qt::MiddleButton, Qt::MiddleButton);
    send(QEvent::MouseMove, to, Qt::MiddleButton, Qt::MiddleButton);
    send(QEvent::MouseButtonRelease, to, Qt::MiddleButton, Qt::NoButton);
    QCoreApplication::processEvents();
}

double peakValue(ScopeWindow &w) { return w.spectrumPlot()->peak().y(); }

// The largest y drawn by the plot's first curve (plot coordinates).
double drawnMax(TracePlot *p)
{
    double m = -INFINITY;
    for (QwtPlotItem *i : p->itemList(QwtPlotItem::Rtti_PlotCurve)) {
        auto *c = static_cast<QwtPlotCurve *>(i);
        for (size_t k = 0; k < c->dataSize(); k++)
            m = std::max(m, c->sample(int(k)).y());
        break;
    }
    return m;
}

// Controls whose text would be cut: narrower (or lower) than their size
// hint asks for. Word-wrapped and elastic labels wrap, so they are skipped.
QStringList truncated(QWidget *top)
{
    QStringList bad;
    for (QWidget *w : top->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(top))
            continue;
        auto *label = qobject_cast<QLabel *>(w);
        bool text = qobject_cast<QAbstractButton *>(w) || qobject_cast<QComboBox *>(w) ||
                    qobject_cast<QAbstractSpinBox *>(w) || (label && !label->wordWrap() && !label->text().isEmpty() &&
                                                            label->sizePolicy().horizontalPolicy() != QSizePolicy::Ignored);
        if (!text)
            continue;
        QSize hint = label ? w->minimumSizeHint() : w->sizeHint();
        if (w->width() < hint.width() || w->height() < std::min(hint.height(), w->minimumSizeHint().height()))
            bad << QStringLiteral("%1 '%2' %3x%4 < %5x%6")
                       .arg(w->metaObject()->className(),
                            label                              ? label->text()
                            : qobject_cast<QAbstractButton *>(w) ? qobject_cast<QAbstractButton *>(w)->text()
                            : qobject_cast<QComboBox *>(w)       ? qobject_cast<QComboBox *>(w)->currentText()
                                                                 : w->objectName())
                            .arg(w->width()).arg(w->height()).arg(hint.width()).arg(hint.height());
    }
    return bad;
}

// Widgets (controls, plots) whose rectangle leaves the window's central area.
QStringList offWindow(ScopeWindow &w)
{
    QStringList bad;
    QRect inside = w.rect();
    for (QWidget *c : {static_cast<QWidget *>(w.scopePlot()), static_cast<QWidget *>(w.spectrumPlot()),
                       w.errorBanner()}) {
        if (!c->isVisibleTo(&w))
            continue;
        QRect r(c->mapTo(&w, QPoint(0, 0)), c->size());
        if (!inside.contains(r))
            bad << QStringLiteral("%1 at %2,%3 %4x%5").arg(c->metaObject()->className()).arg(r.x()).arg(r.y())
                       .arg(r.width()).arg(r.height());
    }
    return bad;
}
}

class TestScopeGui : public QObject {
    Q_OBJECT
    QTemporaryDir config_;
private slots:
    void initTestCase()
    {
        // Remembered settings go to a scratch directory, not the user's.
        qputenv("XDG_CONFIG_HOME", config_.path().toUtf8());
        // FFTW wisdom starts empty (not the user's cache): every size is new.
        qputenv("QAIO_FFTW_WISDOM", config_.filePath("fftwf-wisdom").toUtf8());
    }

    // A record size the FFT has never planned: the first spectra use an
    // estimated plan while a worker measures one, so the loop never stalls
    // (FFTW_MEASURE on the loop held it 250-770 ms).
    void newRecordSizeDoesNotFreezeTheLoop()
    {
        PanelSettings s = onBin(1000000);
        ScopeWindow w(&s);
        w.show();
        QSignalSpy steps(w.acquisition(), &Acquisition::stepped);
        w.runContinuous();
        QTRY_VERIFY(steps.count() >= 3);
        // The startup size's measurement (1000 points, ~0.3 s) is over: a
        // second new size asked for during one waits for FFTW's one planner
        // (fft.h).
        QTest::qWait(1500);
        LoopChecker checker(1);
        s.points = 1 << 15; // planned nowhere else in this process
        w.applySettings(s);
        QTRY_VERIFY_WITH_TIMEOUT(w.acquisition()->spectrum()->n == (1u << 14) + 1 && w.acquisition()->count() >= 1,
                                 20000);
        double gap = checker.maxGapMs();
        qInfo("largest loop gap at the new size: %.1f ms", gap);
        w.stop();
        QVERIFY(std::fabs(w.spectrumPlot()->peak().x() - 10e3) < 40);
        // Measuring a 32k plan on the loop froze it 0.5 s natively. Under
        // ASan/TSan everything runs 2-5x slower (33 ms seen without any
        // planning on the loop), so the bound there only tells a freeze
        // from a slow pass; under valgrind (30x, and the startup size's
        // measurement outlasts the wait above) timing says nothing.
        if (underValgrind())
            return;
        double bound = kSanitized ? 150 : 20;
        QVERIFY2(gap < bound, qPrintable(QString("the loop stalled %1 ms at a new record size").arg(gap)));
    }

    void singleEndsAtNofNWithBothPlotsFull()
    {
        PanelSettings s;
        s.points = 4096;
        s.averages = 8;
        ScopeWindow w(&s);
        w.show();
        QVERIFY(runSingle(w));
        QCOMPARE(w.counterText(), QStringLiteral("8/8"));
        QCOMPARE(w.acquisition()->spectrum()->averages, 8u);
        QCOMPARE(w.acquisition()->scope()->averages, 8u);
        QCOMPARE(w.scopePlot()->points(), size_t(4096));
        QCOMPARE(w.spectrumPlot()->points(), size_t(2049));
        // Decimated to the canvas: at most two vertices per pixel column.
        int width = w.scopePlot()->canvas()->width();
        QVERIFY(w.scopePlot()->drawnVertices() > 0);
        QVERIFY2(w.scopePlot()->drawnVertices() <= 2 * width + 2,
                 qPrintable(QString("%1 vertices for %2 px").arg(w.scopePlot()->drawnVertices()).arg(width)));
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Idle);
        QVERIFY(w.errorText().isEmpty());
    }

    void windowAndUnitChangeTheSpectrumAsTheorySays()
    {
        PanelSettings s = onBin();
        s.window = QAIO_WINDOW_FLATTOP;
        s.unit = QAIO_UNIT_VRMS;
        ScopeWindow w(&s);
        QVERIFY(runSingle(w));
        // 1 Vpk tone: 0.7071 Vrms; flat-top is flat to < 0.01 dB.
        QVERIFY2(std::fabs(peakValue(w) - M_SQRT1_2) < 1e-3, qPrintable(QString::number(peakValue(w))));
        QCOMPARE(w.spectrumPlot()->peak().x(), 10e3);
        s.unit = QAIO_UNIT_VPK;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        QVERIFY(std::fabs(peakValue(w) - 1.0) < 1e-3);
        s.unit = QAIO_UNIT_DBV;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        QVERIFY(std::fabs(peakValue(w) - -3.0103) < 0.01);
        s.unit = QAIO_UNIT_DBM; // into 50 ohm: dBV + 10 log10(1 / 0.05) = +13.01 dB
        w.applySettings(s);
        QVERIFY(runSingle(w));
        QVERIFY(std::fabs(peakValue(w) - 10.0) < 0.01);
        // Rectangular window on a bin: the same tone level, but a leakage-free
        // neighbourhood only for on-bin tones; Hann spreads the tone over three
        // bins (the neighbours at -6.02 dB).
        s.unit = QAIO_UNIT_DBV;
        s.window = QAIO_WINDOW_HANN;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        const qaio_trace *sp = w.acquisition()->spectrum();
        QVERIFY(std::fabs(sp->y[0][10] - -3.0103) < 0.01);
        QVERIFY(std::fabs(sp->y[0][11] - (-3.0103 - 6.0206)) < 0.05);
        s.window = QAIO_WINDOW_RECT;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        sp = w.acquisition()->spectrum();
        QVERIFY(std::fabs(sp->y[0][10] - -3.0103) < 0.01);
        QVERIFY(sp->y[0][11] < -80); // on a bin, nothing leaks with rect
        // ENBW in the header of the curve: Hann 1.5 bins, rect 1 bin.
        QVERIFY(std::fabs(sp->enbw_hz - 1000.0) < 1e-6);
    }

    // A laptop screen and up: the window fits, nothing is cut, the controls
    // scroll, readouts with both cursors wrap inside their plot, the error
    // banner shows over the plots, every control has a tooltip.
    void layoutFitsFrom1024x600()
    {
        PanelSettings s = onBin(2);
        s.channels = 3;
        ScopeWindow w(&s);
        SpectrumView view; // every spectrum display feature shown
        view.waterfall = view.maxHold = view.minHold = view.logFrequency = true;
        w.spectrumControls()->setView(view);
        QVERIFY2(w.minimumSizeHint().width() <= 1024 && w.minimumSizeHint().height() <= 600,
                 qPrintable(QString("minimum %1x%2").arg(w.minimumSizeHint().width()).arg(w.minimumSizeHint().height())));
        w.show();
        QVERIFY(runSingle(w));
        for (QSize size : {QSize(1024, 600), QSize(1366, 768), QSize(1920, 1080)}) {
            w.resize(size);
            QTRY_COMPARE(w.size(), size);
            w.scopePlot()->setCursorX(0, 1e-4);
            w.scopePlot()->setCursorX(1, 7.5e-4);
            w.spectrumPlot()->setCursorX(0, 1e4);
            w.spectrumPlot()->setCursorX(1, 2.5e5);
            w.scopePlot()->setCursorY(0, 1.5);
            w.scopePlot()->setCursorY(1, -2.5);
            w.spectrumPlot()->setCursorY(0, -40);
            w.spectrumPlot()->setCursorY(1, -80);
            QCoreApplication::processEvents();
            QCOMPARE(w.size(), size); // the readouts did not widen it
            // A status label whose text just changed (the loop monitor
            // reports once a second) keeps its old geometry until the
            // layout runs: run it before comparing with the size hints.
            for (int i = 0; i < 3; i++)
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QStringList cut = truncated(&w);
            QVERIFY2(cut.isEmpty(), qPrintable(QString("%1x%2: ").arg(size.width()).arg(size.height()) + cut.join("; ")));
            QStringList out = offWindow(w);
            QVERIFY2(out.isEmpty(), qPrintable(out.join("; ")));
            QVERIFY(w.scopePlot()->canvas()->height() > 150);
            QVERIFY(w.spectrumPlot()->canvas()->width() > 200);
            // The waterfall's columns are the spectrum's: the canvases line up.
            QWidget *sc = w.spectrumPlot()->canvas(), *wc = w.spectrumControls()->waterfall()->canvas();
            QVERIFY(wc->isVisible() && wc->height() > 40);
            int left = sc->mapTo(&w, QPoint(0, 0)).x(), wleft = wc->mapTo(&w, QPoint(0, 0)).x();
            QVERIFY2(std::abs(left - wleft) <= 2 && std::abs(sc->width() - wc->width()) <= 2,
                     qPrintable(QString("spectrum canvas %1+%2, waterfall %3+%4").arg(left).arg(sc->width())
                                    .arg(wleft).arg(wc->width())));
        }
        // Cursors clear: the button, and Esc on a focused plot (which does
        // not stop a run).
        w.findChild<QAbstractButton *>("clearCursors")->click();
        QVERIFY(std::isnan(w.scopePlot()->cursorX(0)) && std::isnan(w.spectrumPlot()->cursorX(1)));
        w.scopePlot()->setCursorX(0, 1e-4);
        w.activateWindow();
        w.scopePlot()->canvas()->setFocus();
        w.runContinuous();
        QTest::keyClick(w.scopePlot()->canvas(), Qt::Key_Escape);
        QVERIFY(std::isnan(w.scopePlot()->cursorX(0)));
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Continuous);
        w.stop();
        // An error is in a banner over the plots.
        w.resize(1024, 600);
        PanelSettings bad = s;
        bad.source = QStringLiteral("127.0.0.1:notaport");
        w.applySettings(bad);
        QSignalSpy failed(w.acquisition(), &Acquisition::failed);
        w.runSingle();
        QVERIFY(failed.wait(10000));
        QTRY_VERIFY(w.errorBanner()->isVisible());
        QVERIFY(offWindow(w).isEmpty());
        QVERIFY(w.statusText().contains("notaport"));
        // Every control says what it does.
        QStringList silent;
        for (QWidget *c : w.findChildren<QWidget *>())
            if ((qobject_cast<QAbstractButton *>(c) || qobject_cast<QComboBox *>(c) ||
                 qobject_cast<QAbstractSpinBox *>(c) || qobject_cast<QLineEdit *>(c)) &&
                c->toolTip().isEmpty() && !c->parentWidget()->inherits("QAbstractSpinBox") &&
                !c->parentWidget()->inherits("QComboBox") && !c->inherits("QScrollBar") && c->isVisibleTo(&w))
                silent << QString("%1 %2").arg(c->metaObject()->className(),
                                              qobject_cast<QAbstractButton *>(c) ? qobject_cast<QAbstractButton *>(c)->text()
                                                                                 : c->objectName());
        QVERIFY2(silent.isEmpty(), qPrintable("no tooltip: " + silent.join(", ")));
    }

    // The scope display: V/div and offset scale the trace on 8 divisions,
    // time/div and the trigger position pick the window (the position is
    // also the simulated scope's pre-trigger), dragging the trigger line
    // sets the level, horizontal cursors read volts, and the measurements
    // under the plot are the library's.
    void scopeDisplayControls()
    {
        PanelSettings s = onBin(2);
        ScopeWindow w(&s);
        w.resize(1366, 768);
        w.show();
        QVERIFY(runSingle(w));
        TracePlot *p = w.scopePlot();
        auto *vdiv = w.findChild<QComboBox *>("vdiv1");
        auto *offset = w.findChild<QDoubleSpinBox *>("offset1");
        QVERIFY(vdiv && offset);
        QCOMPARE(p->axisScaleDiv(QwtPlot::yLeft).lowerBound(), -4.0);
        QCOMPARE(p->axisScaleDiv(QwtPlot::yLeft).upperBound(), 4.0);
        QCOMPARE(p->axisTitle(QwtPlot::yLeft).text(), QStringLiteral("divisions"));
        // The 1 Vpk tone: 2 divisions at the default 0.5 V/div, 5 at 0.2,
        // 3 at 0.5 V/div with 0.5 V of offset.
        QVERIFY2(std::fabs(drawnMax(p) - 2) < 0.01, qPrintable(QString::number(drawnMax(p))));
        vdiv->setCurrentIndex(vdiv->findData(0.2));
        QVERIFY2(std::fabs(drawnMax(p) - 5) < 0.02, qPrintable(QString::number(drawnMax(p))));
        vdiv->setCurrentIndex(vdiv->findData(0.5));
        offset->setValue(0.5);
        QVERIFY2(std::fabs(drawnMax(p) - 3) < 0.01, qPrintable(QString::number(drawnMax(p))));
        offset->setValue(0);
        // Horizontal cursors read CH1's volts.
        p->setCursorY(0, 2);
        p->setCursorY(1, -1);
        QVERIFY2(p->readout().contains("Y1: CH1 1 V") && p->readout().contains("ΔY -1.5 V"), qPrintable(p->readout()));
        // Time/div: 10 divisions from the trigger position.
        auto *tdiv = w.findChild<QComboBox *>("timeDiv");
        tdiv->setCurrentIndex(tdiv->findData(50e-6));
        QCOMPARE(p->axisScaleDiv(QwtPlot::xBottom).lowerBound(), 0.0);
        QVERIFY(std::fabs(p->axisScaleDiv(QwtPlot::xBottom).upperBound() - 500e-6) < 1e-12);
        auto *position = w.findChild<QSpinBox *>("triggerPosition");
        position->setValue(40);
        QVERIFY(std::fabs(p->axisScaleDiv(QwtPlot::xBottom).lowerBound() + 200e-6) < 1e-12);
        // ... and the simulated scope's pre-trigger, once the box pauses.
        QTRY_COMPARE(w.settings().pretrigger, 0.4);
        PanelSettings normal = w.settings();
        normal.trigger = QAIO_TRIG_NORMAL;
        w.applySettings(normal);
        QVERIFY(runSingle(w));
        QCOMPARE(w.acquisition()->scope()->x0, -std::round(0.4 * 999) / 1e6);
        // Dragging the trigger line 40 px up sets the level (debounced).
        QwtPlotMarker *line = w.scopeControls()->triggerLine();
        QWidget *c = p->canvas();
        const QwtScaleMap ymap = p->canvasMap(QwtPlot::yLeft);
        QPoint from(c->width() / 2, int(std::lround(ymap.transform(line->yValue())))), to = from - QPoint(0, 40);
        auto send = [c](QEvent::Type t, QPoint pos, Qt::MouseButtons held) {
            QMouseEvent e(t, pos, c->mapToGlobal(pos), t == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, held,
                          Qt::NoModifier);
            QApplication::sendEvent(c, &e);
        };
        double xBefore = p->axisScaleDiv(QwtPlot::xBottom).upperBound();
        send(QEvent::MouseButtonPress, from, Qt::LeftButton);
        send(QEvent::MouseMove, from - QPoint(0, 20), Qt::LeftButton);
        send(QEvent::MouseMove, to, Qt::LeftButton);
        send(QEvent::MouseButtonRelease, to, Qt::NoButton);
        double want = ymap.invTransform(to.y()) * 0.5; // divisions to CH1 volts
        QVERIFY2(want > 0.1, qPrintable(QString::number(want)));
        QTRY_VERIFY2(std::fabs(w.settings().triggerLevel - want) < 1e-3,
                     qPrintable(QString("%1 want %2").arg(w.settings().triggerLevel).arg(want)));
        QCOMPARE(p->axisScaleDiv(QwtPlot::xBottom).upperBound(), xBefore); // no rubber-band zoom
        QVERIFY(std::fabs(line->yValue() - ymap.invTransform(to.y())) < 1e-3);
        // The measurements shown are the library's for the curve shown.
        QVERIFY(runSingle(w));
        qaio_measurements m;
        QCOMPARE(qaio_measure_trace(w.acquisition()->scope(), 0, &m), 0);
        MeasurementsView *mv = w.measurements();
        QTRY_COMPARE(mv->values(0).vpp, m.vpp);
        QCOMPARE(mv->channel(0), 1);
        QCOMPARE(mv->values(0).frequency, m.frequency);
        QVERIFY(std::fabs(m.frequency - 10e3) < 1);
        QVERIFY2(mv->text(0).contains("Vpp " + siFormatDigits(m.vpp, "V")) &&
                     mv->text(0).contains("RMS " + siFormatDigits(m.rms, "V")) && mv->text(0).contains("kHz"),
                 qPrintable(mv->text(0)));
        QVERIFY(mv->channel(1) == 0);
        // A setting that makes the curve stale clears them.
        PanelSettings more = w.settings();
        more.points = 2000;
        w.applySettings(more);
        QVERIFY(mv->channel(0) == 0 && mv->text(0).isEmpty());
    }

    void windowGeometryIsRemembered()
    {
        PanelSettings s = onBin();
        QByteArray splitter;
        {
            ScopeWindow w(&s);
            w.show();
            w.resize(1100, 650);
            auto *sp = w.findChild<QSplitter *>("mainSplitter");
            QList<int> sizes = sp->sizes();
            sp->setSizes({sizes[0] + 40, sizes[1] - 40});
            splitter = sp->saveState();
            QCoreApplication::processEvents();
            w.close(); // saves
        }
        ScopeWindow again(&s);
        again.restoreLayout();
        again.show();
        QTRY_COMPARE(again.size(), QSize(1100, 650));
        QCOMPARE(again.findChild<QSplitter *>("mainSplitter")->saveState(), splitter);
        // The scope display comes back with the layout (and only with it: a
        // window that never restored its layout saves no display).
        auto *vdiv2 = again.findChild<QComboBox *>("vdiv2");
        QCOMPARE(vdiv2->currentData().toDouble(), 0.5);
        vdiv2->setCurrentIndex(vdiv2->findData(2.0));
        again.close();
        {
            ScopeWindow fresh(&s);
            QCOMPARE(fresh.findChild<QComboBox *>("vdiv2")->currentData().toDouble(), 0.5);
            fresh.restoreLayout();
            QCOMPARE(fresh.findChild<QComboBox *>("vdiv2")->currentData().toDouble(), 2.0);
            QCOMPARE(fresh.scopeControls()->display().voltsPerDiv[1], 2.0);
            fresh.findChild<QComboBox *>("vdiv2")->setCurrentIndex(vdiv2->findData(0.5));
        }
    }

    // Trigger "single" is a one-shot in Run and in Single: one triggered
    // record, then stopped, no error.
    void triggerSingleCapturesOnceInRunAndSingle()
    {
        PanelSettings s = onBin(8);
        s.trigger = QAIO_TRIG_SINGLE;
        s.triggerLevel = 0.2;
        ScopeWindow w(&s);
        for (int run = 0; run < 2; run++) {
            QSignalSpy done(w.acquisition(), &Acquisition::singleFinished);
            QSignalSpy failed(w.acquisition(), &Acquisition::failed);
            if (run == 0)
                w.runContinuous();
            else
                w.runSingle();
            QVERIFY(done.wait(10000));
            QCOMPARE(failed.count(), 0);
            QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Idle);
            QCOMPARE(w.counterText(), QStringLiteral("1/1"));
            QVERIFY2(w.statusText().contains("single trigger captured"), qPrintable(w.statusText()));
            QVERIFY(w.errorText().isEmpty());
            // Triggered on the rising edge at 0.2 V: the record starts just
            // past it (one sample is 0.063 V of the 10 kHz sine), rising.
            const qaio_trace *rec = w.acquisition()->scope();
            QVERIFY2(rec->y[0][0] > 0.15f && rec->y[0][0] < 0.4f && rec->y[0][1] > rec->y[0][0],
                     qPrintable(QString("%1 %2").arg(rec->y[0][0]).arg(rec->y[0][1])));
        }
    }

    // What the window says matches what happens, and stale curves go.
    void statusAxesColoursAndStaleCurves()
    {
        PanelSettings s = onBin(4);
        s.channels = 2; // CH2 alone: drawn in CH2's colour
        ScopeWindow w(&s);
        w.show();
        QCOMPARE(w.statusText(), QStringLiteral("stopped (not connected)"));
        QVERIFY(runSingle(w));
        QVERIFY2(w.statusText().startsWith("stopped - connected to qaio simulated scope"), qPrintable(w.statusText()));
        QColor ch2 = w.scopePlot()->curveColor(0);
        s.channels = 1;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        QVERIFY(w.scopePlot()->curveColor(0) != ch2);
        s.channels = 3;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        QCOMPARE(w.scopePlot()->curveColor(1), ch2);
        // Points change: the time axis follows (1000 -> 4000 samples at 1 MS/s).
        double before = w.scopePlot()->axisScaleDiv(QwtPlot::xBottom).upperBound();
        s.points = 4000;
        w.applySettings(s);
        // Stopped: the old curves are gone, not left under the new settings.
        QCOMPARE(w.scopePlot()->points(), size_t(0));
        QCOMPARE(w.spectrumPlot()->points(), size_t(0));
        QCOMPARE(w.counterText(), QStringLiteral("0/4"));
        QString err;
        QVERIFY(!w.exportSpectrumCsv(QDir::temp().filePath("qaio-never.csv"), &err));
        QVERIFY(runSingle(w));
        double after = w.scopePlot()->axisScaleDiv(QwtPlot::xBottom).upperBound();
        QVERIFY2(after > 3 * before, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
        QVERIFY(w.scopePlot()->axisTitle(QwtPlot::xBottom).text().contains("ms"));
        QVERIFY(w.spectrumPlot()->axisTitle(QwtPlot::xBottom).text().contains("kHz"));
        // Running: status says so, with k/N and the trigger state.
        w.runContinuous();
        QTRY_VERIFY(w.acquisition()->count() >= 1);
        QTRY_VERIFY2(w.statusText().startsWith("running") && w.statusText().contains("untriggered"),
                     qPrintable(w.statusText()));
        w.stop();
        QTRY_VERIFY(w.statusText().startsWith("stopped"));
    }

    // Spin boxes apply while being changed (after a pause), without Enter.
    void spinBoxesApplyAsTheyChange()
    {
        PanelSettings s = onBin(4);
        ScopeWindow w(&s);
        auto *avg = w.findChild<QSpinBox *>("averages");
        avg->setValue(19);
        QCOMPARE(w.settings().averages, 4); // debounced
        QTRY_COMPARE(w.settings().averages, 19);
    }

    // Esc in a drop-down closes it and stops nothing.
    void escapeInAPopupOnlyClosesIt()
    {
        PanelSettings s = onBin(1000000);
        ScopeWindow w(&s);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w) || true);
        w.runContinuous();
        QTRY_VERIFY(w.acquisition()->count() >= 1);
        auto *combo = w.findChild<QComboBox *>("window");
        combo->showPopup();
        QTRY_VERIFY(QApplication::activePopupWidget() != nullptr);
        QTest::keyClick(QApplication::activePopupWidget(), Qt::Key_Escape);
        QTRY_VERIFY(QApplication::activePopupWidget() == nullptr);
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Continuous);
        w.stop();
    }

    // Stop and a settings change return at once (no nested event loop in
    // the slot): the run is still unwinding when they return, the status
    // says so, and what was asked happens when it has ended -- also a Run
    // clicked while the last run still stops.
    void stopAndSettingsReturnBeforeTheRunEnds()
    {
        PanelSettings s = onBin(1000000);
        s.rate = 1e8; // 10 us records: many per frame, so one is unshown when a run stops
        ScopeWindow w(&s);
        Acquisition *a = w.acquisition();
        w.runContinuous();
        QTRY_VERIFY(a->count() >= 1);
        w.stop();
        QCOMPARE(a->mode(), Acquisition::Mode::Idle);
        QVERIFY(a->stopping());
        QVERIFY2(w.statusText().startsWith("stopping"), qPrintable(w.statusText()));
        QTRY_VERIFY(!a->stopping());
        QTRY_VERIFY2(w.statusText().startsWith("stopped"), qPrintable(w.statusText()));
        // Run, stop, run before anything ended: it runs.
        w.runContinuous();
        QTRY_VERIFY(a->count() >= 1);
        w.stop();
        w.runContinuous();
        QVERIFY(a->stopping() || a->connecting());
        QTRY_VERIFY(!a->stopping() && a->count() >= 2);
        QCOMPARE(a->mode(), Acquisition::Mode::Continuous);
        // A setting that changes the curves: the run stops and starts anew.
        // The old run's last frame (dBV, published as its task unwinds)
        // never becomes the panel's curve.
        int stale = 0;
        auto staleCurve = [&] { stale += a->spectrum()->n > 0 && QByteArray(a->spectrum()->y_unit) != "Vrms"; };
        auto conn = connect(a, &Acquisition::stepped, this, staleCurve);
        s.unit = QAIO_UNIT_VRMS;
        w.applySettings(s);
        QVERIFY(a->stopping() || a->connecting());
        QVERIFY(runUntil([&] {
            staleCurve();
            return a->count() >= 1 && QByteArray(a->spectrum()->y_unit) == "Vrms";
        }));
        disconnect(conn);
        QCOMPARE(stale, 0);
        w.stop();
        QTRY_VERIFY(!a->stopping());
    }

    // Stop while connecting to a host that accepts and never answers: the
    // connect ends at once and the window is ready for the next run.
    void stopEndsAConnectInFlight()
    {
        // A listening socket never accepted: the kernel completes the
        // handshake, nobody ever reads or answers.
        int silent = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        QVERIFY(::bind(silent, reinterpret_cast<sockaddr *>(&a), len) == 0);
        QVERIFY(::listen(silent, 4) == 0);
        QVERIFY(::getsockname(silent, reinterpret_cast<sockaddr *>(&a), &len) == 0);
        int port = ntohs(a.sin_port);
        PanelSettings s = onBin();
        s.source = QStringLiteral("127.0.0.1:%1").arg(port);
        ScopeWindow w(&s);
        w.show();
        w.runContinuous();
        QTest::qWait(300); // connected; *IDN? goes unanswered
        QVERIFY(w.acquisition()->connecting());
        QVERIFY2(w.statusText().startsWith("connecting to"), qPrintable(w.statusText()));
        QElapsedTimer t;
        t.start();
        w.stop();
        QVERIFY(t.elapsed() < 1000);
        QVERIFY(!w.acquisition()->connecting());
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Idle);
        QTRY_VERIFY2(w.statusText().startsWith("stopped"), qPrintable(w.statusText()));
        QVERIFY(w.findChild<QAbstractButton *>("run") == nullptr || w.findChild<QAbstractButton *>("run")->isEnabled());
        ::close(silent);
    }

    // Wheel up zooms in about the pointer; a rubber-band zoom survives a
    // middle-drag pan; right click zooms back out.
    void wheelZoomsAboutThePointerAndPanKeepsTheZoom()
    {
        PanelSettings s = onBin(2);
        ScopeWindow w(&s);
        w.resize(1366, 768);
        w.show();
        QVERIFY(runSingle(w));
        TracePlot *p = w.scopePlot();
        QWidget *c = p->canvas();
        auto range = [p] {
            const QwtScaleDiv &d = p->axisScaleDiv(QwtPlot::xBottom);
            return std::make_pair(d.lowerBound(), d.upperBound());
        };
        auto [a0, b0] = range();
        QPoint at(c->width() / 4, c->height() / 2);
        double under = p->canvasMap(QwtPlot::xBottom).invTransform(at.x());
        wheelUp(c, at);
        auto [a1, b1] = range();
        QVERIFY2(b1 - a1 < 0.95 * (b0 - a0), qPrintable(QString("%1 -> %2").arg(b0 - a0).arg(b1 - a1)));
        QVERIFY(std::fabs(p->canvasMap(QwtPlot::xBottom).invTransform(at.x()) - under) < 0.01 * (b1 - a1));
        // Rubber band over the middle half, then a middle-drag pan.
        auto send = [c](QEvent::Type t, QPoint pos, Qt::MouseButton b, Qt::MouseButtons held) {
            QMouseEvent e(t, pos, c->mapToGlobal(pos), t == QEvent::MouseMove ? Qt::NoButton : b, held, Qt::NoModifier);
            QApplication::sendEvent(c, &e);
        };
        QPoint q1(c->width() / 4, c->height() / 4), q3(3 * c->width() / 4, 3 * c->height() / 4);
        send(QEvent::MouseButtonPress, q1, Qt::LeftButton, Qt::LeftButton);
        send(QEvent::MouseMove, (q1 + q3) / 2, Qt::LeftButton, Qt::LeftButton);
        send(QEvent::MouseMove, q3, Qt::LeftButton, Qt::LeftButton);
        send(QEvent::MouseButtonRelease, q3, Qt::LeftButton, Qt::NoButton);
        QCoreApplication::processEvents();
        auto [a2, b2] = range();
        QVERIFY2(b2 - a2 < 0.6 * (b1 - a1), qPrintable(QString("%1 -> %2").arg(b1 - a1).arg(b2 - a2)));
        QPoint from(c->width() / 2, c->height() / 2), to = from + QPoint(60, 0);
        middleDrag(c, from, to);
        auto [a3, b3] = range();
        QVERIFY2(std::fabs((b3 - a3) - (b2 - a2)) < 1e-3 * (b2 - a2), "the pan changed the zoom");
        QVERIFY2(a3 < a2, "no pan"); // dragged right: earlier times come into view
        QTest::mouseClick(c, Qt::RightButton, Qt::ControlModifier, from);
        QCoreApplication::processEvents();
        auto [a4, b4] = range();
        QVERIFY(b4 - a4 > b2 - a2);
    }

    // Readouts show what tells neighbouring bins apart, with SI prefixes.
    void siPrefixesFollowTheResolution()
    {
        QCOMPARE(siFormat(10e3, "Hz", 1.4), QStringLiteral("10.0000 kHz"));
        QCOMPARE(siFormat(10e3, "Hz", 244.14), QStringLiteral("10.00 kHz"));
        QCOMPARE(siFormat(2.5e-4, "s"), QStringLiteral("250 \u00b5s"));
        QCOMPARE(siFormat(1.5e7, "Hz"), QStringLiteral("15 MHz"));
        QCOMPARE(siFormat(-3.0103, "dBV"), QStringLiteral("-3.01 dBV"));
        QCOMPARE(siFormat(0, "V"), QStringLiteral("0 V"));
        // Fixed digits (measurements, V/div): trailing zeros kept, the
        // prefix chosen after rounding, dB never prefixed.
        QCOMPARE(siFormatDigits(0.70711, "V"), QStringLiteral("707.1 mV"));
        QCOMPARE(siFormatDigits(0.99996, "V"), QStringLiteral("1.000 V"));
        QCOMPARE(siFormatDigits(1e-7, "s", 1), QStringLiteral("100 ns"));
        QCOMPARE(siFormatDigits(0, "V"), QStringLiteral("0.000 V"));
        QCOMPARE(siFormatDigits(-3.0103, "dBV"), QStringLiteral("-3.010 dBV"));
        PanelSettings s = onBin(2);
        s.points = 1 << 16; // 15.26 Hz bins at 1 MS/s
        ScopeWindow w(&s);
        QVERIFY(runSingle(w));
        QString r = w.spectrumPlot()->readout();
        // 15.26 Hz bins: the hertz digit, no more.
        QVERIFY2(r.contains(QRegularExpression("peak \\d+\\.\\d\\d\\d kHz, ")), qPrintable(r));
        QCOMPARE(w.spectrumPlot()->axisTitle(QwtPlot::xBottom).text(), QStringLiteral("frequency (kHz)"));
        // The sample rate reads and takes prefixes.
        auto *rate = w.findChild<QDoubleSpinBox *>("rate");
        QCOMPARE(rate->text(), QStringLiteral("1 MS/s"));
        rate->selectAll();
        QTest::keyClicks(rate, "250k");
        QTest::keyClick(rate, Qt::Key_Return);
        QCOMPARE(rate->value(), 250e3);
        QCOMPARE(rate->text(), QStringLiteral("250 kS/s"));
        QCOMPARE(w.settings().rate, 250e3);
    }

    // The log frequency axis starts at the first bin above DC and keeps the
    // curve; back to linear, the whole span again; on the log axis the
    // wheel still zooms about the pointer and a pan keeps the zoom.
    void logFrequencyAxisKeepsCurveAndRange()
    {
        PanelSettings s = onBin(2);
        ScopeWindow w(&s);
        w.resize(1366, 768);
        w.show();
        QVERIFY(runSingle(w));
        TracePlot *p = w.spectrumPlot();
        SpectrumControls *sc = w.spectrumControls();
        w.findChild<QCheckBox *>("logFrequency")->click();
        QVERIFY(sc->view().logFrequency);
        QVERIFY(p->logScale(QwtPlot::xBottom));
        const QwtScaleDiv *d = &p->axisScaleDiv(QwtPlot::xBottom);
        QCOMPARE(d->lowerBound(), 1000.0); // bin 1 of 1000 points at 1 MS/s
        QCOMPARE(d->upperBound(), 500e3);
        QVERIFY(p->drawnVertices() > 100);
        QCOMPARE(p->peak().x(), 10e3);
        // 10 kHz sits a third of the way along 1 k..500 kHz, not at 2%.
        double at = p->canvasMap(QwtPlot::xBottom).transform(10e3) / p->canvas()->width();
        QVERIFY2(at > 0.3 && at < 0.45, qPrintable(QString::number(at)));
        QWidget *c = p->canvas();
        QPoint pos(c->width() / 3, c->height() / 2);
        double under = p->canvasMap(QwtPlot::xBottom).invTransform(pos.x());
        wheelUp(c, pos);
        d = &p->axisScaleDiv(QwtPlot::xBottom);
        double ratio = d->upperBound() / d->lowerBound(), lo = d->lowerBound();
        QVERIFY(ratio < 0.95 * 500);
        // Within 1% of the span (in decades), as on a linear axis.
        QVERIFY2(std::fabs(std::log10(p->canvasMap(QwtPlot::xBottom).invTransform(pos.x()) / under)) <
                     0.01 * std::log10(d->upperBound() / d->lowerBound()),
                 qPrintable(QString("%1 -> %2, %3..%4").arg(under).arg(p->canvasMap(QwtPlot::xBottom).invTransform(pos.x()))
                                .arg(d->lowerBound()).arg(d->upperBound())));
        // A pan keeps the zoom: the same ratio (decades), shifted.
        middleDrag(c, QPoint(c->width() / 2, c->height() / 2), QPoint(c->width() / 2 + 60, c->height() / 2));
        d = &p->axisScaleDiv(QwtPlot::xBottom);
        QVERIFY2(std::fabs(d->upperBound() / d->lowerBound() / ratio - 1) < 1e-3, "the pan changed the zoom");
        QVERIFY(d->lowerBound() < lo);
        w.findChild<QCheckBox *>("logFrequency")->click();
        QVERIFY(!p->logScale(QwtPlot::xBottom));
        d = &p->axisScaleDiv(QwtPlot::xBottom);
        QCOMPARE(d->lowerBound(), 0.0);
        QCOMPARE(d->upperBound(), 500e3);
        QVERIFY(p->drawnVertices() > 100);
        QCOMPARE(p->peak().x(), 10e3);
    }

    // dB units: the reference level is the top, ten divisions of dB/div
    // below it. Linear units: a log amplitude axis that shows the floor.
    void referenceLevelAndLogAmplitudeSetTheAxis()
    {
        PanelSettings s = onBin(2);
        ScopeWindow w(&s);
        w.show();
        QVERIFY(runSingle(w));
        TracePlot *p = w.spectrumPlot();
        SpectrumView v = w.spectrumControls()->view();
        v.refLevelOn = true;
        v.refLevel = 10;
        v.dbPerDiv = 5;
        w.spectrumControls()->setView(v);
        const QwtScaleDiv &d = p->axisScaleDiv(QwtPlot::yLeft);
        QCOMPARE(d.lowerBound(), -40.0);
        QCOMPARE(d.upperBound(), 10.0);
        QCOMPARE(d.ticks(QwtScaleDiv::MajorTick).size(), 11);
        auto *perDiv = w.findChild<QDoubleSpinBox *>("dbPerDiv");
        perDiv->setValue(10);
        QCOMPARE(p->axisScaleDiv(QwtPlot::yLeft).lowerBound(), -90.0);
        // A new record keeps the reference view.
        QVERIFY(runSingle(w));
        QCOMPARE(p->axisScaleDiv(QwtPlot::yLeft).upperBound(), 10.0);
        QCOMPARE(p->axisScaleDiv(QwtPlot::yLeft).lowerBound(), -90.0);
        s.unit = QAIO_UNIT_V_RTHZ;
        w.applySettings(s);
        QVERIFY(!perDiv->isEnabled());
        QVERIFY(w.findChild<QCheckBox *>("logAmplitude")->isEnabled());
        QVERIFY(runSingle(w));
        QVERIFY(p->logScale(QwtPlot::yLeft));
        const QwtScaleDiv &l = p->axisScaleDiv(QwtPlot::yLeft);
        const qaio_trace *sp = w.acquisition()->spectrum();
        float floor = sp->y[0][400]; // noise, far from the tone and its harmonics
        QVERIFY2(l.lowerBound() > 0 && l.lowerBound() <= floor && l.upperBound() >= p->peak().y(),
                 qPrintable(QString("%1..%2, floor %3").arg(l.lowerBound()).arg(l.upperBound()).arg(floor)));
        // The floor is drawn well above the bottom (on a linear axis it
        // sat on zero with the tone at the top).
        double fy = p->canvasMap(QwtPlot::yLeft).transform(floor);
        QVERIFY2(fy < 0.9 * p->canvas()->height(), qPrintable(QString::number(fy)));
        w.findChild<QCheckBox *>("logAmplitude")->click();
        QVERIFY(!p->logScale(QwtPlot::yLeft));
    }

    // Max hold >= the average >= min hold at every bin, after several
    // records; reset by the button and by a settings change.
    void holdsBracketTheAverage()
    {
        PanelSettings s = onBin(4);
        s.averaging = QAIO_AVG_REPEAT;
        ScopeWindow w(&s);
        w.show();
        SpectrumView v = w.spectrumControls()->view();
        v.maxHold = v.minHold = true;
        w.spectrumControls()->setView(v);
        HoldCurves *h = w.spectrumControls()->holds();
        w.runContinuous();
        QTRY_VERIFY_WITH_TIMEOUT(h->count() >= 8, 20000);
        w.stop();
        const qaio_trace *sp = w.acquisition()->spectrum();
        QCOMPARE(h->channels(), size_t(1));
        const std::vector<float> &hi = h->held(true, 0), &lo = h->held(false, 0);
        QCOMPARE(hi.size(), sp->n);
        int wider = 0;
        for (size_t i = 0; i < sp->n; i++) {
            QVERIFY2(hi[i] >= sp->y[0][i] && sp->y[0][i] >= lo[i],
                     qPrintable(QString("bin %1: %2 %3 %4").arg(i).arg(hi[i]).arg(sp->y[0][i]).arg(lo[i])));
            wider += hi[i] > lo[i] + 0.5f;
        }
        QVERIFY2(wider > int(sp->n) / 2, qPrintable(QString("%1 bins differ").arg(wider))); // noise moves
        QVERIFY(w.spectrumPlot()->itemList(QwtPlotItem::Rtti_PlotCurve).size() >= 3);
        w.findChild<QAbstractButton *>("resetHolds")->click();
        QCOMPARE(h->count(), 0u);
        QVERIFY(runSingle(w));
        QVERIFY(h->count() >= 1);
        s.window = QAIO_WINDOW_FLATTOP;
        w.applySettings(s);
        QCOMPARE(h->count(), 0u);
    }

    // The RBW under the plot is the analyzer's noise bandwidth, with the window.
    void rbwLabelMatchesTheAnalyzer()
    {
        PanelSettings s = onBin(2);
        ScopeWindow w(&s);
        w.show();
        QVERIFY(runSingle(w));
        double enbw = w.acquisition()->spectrum()->enbw_hz; // Hann: 1.5 bins of 1 kHz
        QVERIFY2(std::fabs(enbw - 1500) < 1e-3, qPrintable(QString::number(enbw, 'g', 12)));
        QCOMPARE(w.spectrumControls()->rbwText(), QStringLiteral("RBW 1.50 kHz  Hann"));
        QCOMPARE(w.spectrumPlot()->footer().text(), w.spectrumControls()->rbwText());
        s.window = QAIO_WINDOW_FLATTOP;
        s.points = 4000;
        w.applySettings(s);
        QCOMPARE(w.spectrumPlot()->footer().text(), QStringLiteral("RBW -  Flat top")); // not the old one
        QVERIFY(runSingle(w));
        QVERIFY(std::fabs(w.acquisition()->spectrum()->enbw_hz - 3.7702 * 250) < 0.1);
        QCOMPARE(w.spectrumControls()->rbwText(), QStringLiteral("RBW 943 Hz  Flat top"));
    }

    // One waterfall row per spectrum drawn, the tone brighter than the
    // floor; the colour scale is in the unit chosen.
    void waterfallRowsAdvanceAndScaleFollowsTheUnit()
    {
        PanelSettings s = onBin(1);
        ScopeWindow w(&s);
        w.resize(1366, 768);
        w.show();
        SpectrumView v = w.spectrumControls()->view();
        v.waterfall = true;
        w.spectrumControls()->setView(v);
        Waterfall *wf = w.spectrumControls()->waterfall();
        QVERIFY(wf->isVisible());
        QCOMPARE(wf->scaleTitle(), QStringLiteral("dBV"));
        QVERIFY(runSingle(w)); // the frequency labels are the spectrum's: kHz
        QCOMPARE(wf->axisScaleDraw(QwtPlot::xBottom)->label(250e3).text(), QStringLiteral("250"));
        QSignalSpy steps(w.acquisition(), &Acquisition::stepped);
        quint64 before = wf->rowsAdded();
        int heldBefore = wf->rowsHeld();
        w.runContinuous();
        QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 10, 20000);
        w.stop();
        QCOMPARE(wf->rowsAdded() - before, quint64(steps.count()));
        QCOMPARE(wf->rowsHeld(), std::min(heldBefore + steps.count(), wf->image().height()));
        QRgb a = wf->pixelAt(10e3), b = wf->pixelAt(400e3);
        QVERIFY2(qGray(a) > qGray(b) + 60, qPrintable(QString("tone %1, floor %2").arg(qGray(a)).arg(qGray(b))));
        QCOMPARE(a, wf->colourOf(wf->scaleMax())); // the first row's peak: the top of the auto scale
        // A zoom on the spectrum keeps the rows, at their frequencies.
        int held = wf->rowsHeld();
        TracePlot *p = w.spectrumPlot();
        p->setAxisScale(QwtPlot::xBottom, 5e3, 50e3);
        p->replot();
        QCOMPARE(wf->axisScaleDiv(QwtPlot::xBottom).upperBound(), 50e3);
        QCOMPARE(wf->rowsHeld(), held);
        QVERIFY(qGray(wf->pixelAt(10e3)) > qGray(wf->pixelAt(40e3)) + 60);
        QCOMPARE(wf->pixelAt(10e3, held - 1), a);
        w.autoscale();
        // Linear units: the bar is in them, logarithmic; the rows restart.
        s.unit = QAIO_UNIT_V_RTHZ;
        w.applySettings(s);
        QCOMPARE(wf->rowsHeld(), 0);
        QVERIFY(runSingle(w));
        QVERIFY2(wf->scaleTitle().endsWith(QStringLiteral("V/sqrt(Hz)")), qPrintable(wf->scaleTitle()));
        QVERIFY(wf->axisWidget(QwtPlot::yLeft)->isColorBarEnabled());
        QVERIFY(wf->canvasMap(QwtPlot::yLeft).transformation() != nullptr);
        QVERIFY(wf->rowsHeld() >= 1);
    }

    void referenceTracesFromAcquireAndFreeze()
    {
        // A spectrum written by qaio-acquire overlays the spectrum plot,
        // named with its settings in the legend.
        QTemporaryDir dir;
        QString file = dir.filePath("ref.csv");
        QProcess acquire;
        acquire.start(QStringLiteral(QAIO_ACQUIRE_PATH),
                      {"--mode", "spectrum", "--points", "2048", "--averages", "3", "--window", "flattop",
                       "--signal", "sine amp=1 freq=10e3", "--out", file});
        QVERIFY(acquire.waitForFinished(30000));
        QCOMPARE(acquire.exitCode(), 0);
        PanelSettings s = onBin(2);
        ScopeWindow w(&s);
        ReferenceTraces *refs = w.references();
        QSignalSpy changed(refs, &ReferenceTraces::changed);
        QString err;
        QVERIFY2(w.loadReference(file, &err), qPrintable(err));
        QCOMPARE(refs->count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(refs->plot(0), static_cast<QwtPlot *>(w.spectrumPlot()));
        QCOMPARE(refs->points(0), size_t(1025));
        QString title = refs->title(0);
        for (const char *part : {"REF1 CH1 dBV", "flattop", "2048 pts", "1 MS/s", "3 avg"})
            QVERIFY2(title.contains(QLatin1String(part)), qPrintable(title));
        bool inLegend = false;
        for (QwtPlotItem *item : w.spectrumPlot()->itemList(QwtPlotItem::Rtti_PlotCurve))
            inLegend |= item->title().text() == title && item->testItemAttribute(QwtPlotItem::Legend);
        QVERIFY(inLegend);
        // A file that is not one is refused with the line at fault.
        QString bad = dir.filePath("bad.csv");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("time_s,ch1_V\n0,1\n1,oops\n");
        f.close();
        QVERIFY(!w.loadReference(bad, &err));
        QVERIFY2(err.contains("line 3"), qPrintable(err));
        QCOMPARE(refs->count(), 1);
        // Freeze: the live curves, each over its own plot.
        QVERIFY(!w.freezeReferences(&err)); // nothing acquired yet
        QVERIFY(runSingle(w));
        QVERIFY2(w.freezeReferences(&err), qPrintable(err));
        QCOMPARE(refs->count(), 3);
        QCOMPARE(refs->plot(1), static_cast<QwtPlot *>(w.scopePlot()));
        QCOMPARE(refs->plot(2), static_cast<QwtPlot *>(w.spectrumPlot()));
        QVERIFY2(refs->title(1).contains("REF2 CH1 V"), qPrintable(refs->title(1)));
        QVERIFY2(refs->title(1).contains("1000 pts"), qPrintable(refs->title(1)));
        // The frozen scope curve stays in volts: a V/div or offset change
        // moves it on the divisions exactly as the live curve.
        QwtPlotCurve *ref = nullptr;
        for (QwtPlotItem *item : w.scopePlot()->itemList(QwtPlotItem::Rtti_PlotCurve))
            if (item->title().text() == refs->title(1))
                ref = static_cast<QwtPlotCurve *>(item);
        QVERIFY(ref && ref->dataSize() > 10);
        double volts = w.scopePlot()->plotToValue(ref->sample(10).y());
        w.scopePlot()->setChannelScale(1, 0.2, 0.3);
        QCOMPARE(ref->sample(10).y(), w.scopePlot()->valueToPlot(1, volts));
        QCOMPARE(ref->sample(10).y(), (volts + 0.3) / 0.2);
        refs->clear();
        QCOMPARE(refs->count(), 0);
        for (QwtPlotItem *item : w.spectrumPlot()->itemList(QwtPlotItem::Rtti_PlotCurve))
            QVERIFY(!item->title().text().startsWith("REF"));
    }

    void csvExportRoundTrips()
    {
        PanelSettings s = onBin(3);
        ScopeWindow w(&s);
        QVERIFY(runSingle(w));
        QTemporaryDir dir;
        QString err;
        QString spec = dir.filePath("spectrum.csv"), scope = dir.filePath("scope.csv");
        QVERIFY2(w.exportSpectrumCsv(spec, &err), qPrintable(err));
        QVERIFY2(w.exportScopeCsv(scope, &err), qPrintable(err));
        // Read back by the library's reader: the same numbers, axis, units.
        qaio_trace *t = qaio_trace_new(0, 0);
        qaio_csv_meta m;
        qaio_csv_error e;
        QVERIFY2(qaio_csv_read_file(qPrintable(spec), t, &m, &e) == 0, e.message);
        QCOMPARE(t->domain, QAIO_DOMAIN_FREQUENCY);
        QCOMPARE(QByteArray(t->y_unit), QByteArray("dBV"));
        QCOMPARE(QByteArray(qaio_csv_meta_get(&m, QAIO_CSV_ASKED, "window")), QByteArray("hann"));
        QCOMPARE(QByteArray(qaio_csv_meta_get(&m, QAIO_CSV_USED, "points")), QByteArray("1000"));
        QCOMPARE(QByteArray(m.instrument), QByteArray("qaio simulated scope"));
        QCOMPARE(QByteArray(m.program), QByteArray("qaio-scope"));
        QCOMPARE(t->averages, 3u);
        const qaio_trace *sp = w.acquisition()->spectrum();
        QCOMPARE(t->n, sp->n);
        for (size_t i = 0; i < t->n; i++) {
            QCOMPARE(qaio_trace_x(t, i), qaio_trace_x(sp, i));
            QCOMPARE(t->y[0][i], sp->y[0][i]); // 9 digits: a float exactly
        }
        QVERIFY2(qaio_csv_read_file(qPrintable(scope), t, &m, &e) == 0, e.message);
        QCOMPARE(t->domain, QAIO_DOMAIN_TIME);
        QCOMPARE(QByteArray(t->y_unit), QByteArray("V"));
        QCOMPARE(t->n, size_t(1000));
        QCOMPARE(t->y[0][500], w.acquisition()->scope()->y[0][500]);
        qaio_trace_free(t);
        QVERIFY(!w.exportSpectrumCsv(dir.filePath("no/such/dir/x.csv"), &err));
        QVERIFY(!err.isEmpty());
        QVERIFY2(w.exportPng(dir.filePath("panel.png"), &err), qPrintable(err));
        QVERIFY(!QImage(dir.filePath("panel.png")).isNull());
    }

    void settingsAreRemembered()
    {
        PanelSettings s;
        s.points = 2048;
        s.rate = 2.5e6;
        s.window = QAIO_WINDOW_BLACKMAN_HARRIS;
        s.unit = QAIO_UNIT_V_RTHZ;
        s.trigger = QAIO_TRIG_NORMAL;
        s.triggerLevel = 0.25;
        s.channels = 3;
        {
            ScopeWindow w(&s);
            w.applySettings(s); // what a user's change does: saved
        }
        ScopeWindow again; // reads QSettings
        PanelSettings r = again.settings();
        QCOMPARE(r.points, 2048);
        QCOMPARE(r.rate, 2.5e6);
        QCOMPARE(r.window, QAIO_WINDOW_BLACKMAN_HARRIS);
        QCOMPARE(r.unit, QAIO_UNIT_V_RTHZ);
        QCOMPARE(r.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(r.triggerLevel, 0.25);
        QCOMPARE(r.channels, 3u);
        // The controls show them.
        auto *win = again.findChild<QComboBox *>("window");
        QCOMPARE(win->currentText(), QStringLiteral("blackman-harris"));
    }

    void loopStaysResponsiveDuringContinuousAveraging()
    {
        PanelSettings s;
        s.points = 16384;
        s.rate = 1e7;
        s.averages = 50;
        s.trigger = QAIO_TRIG_FORCE;
        ScopeWindow w(&s);
        w.show();
        QSignalSpy steps(w.acquisition(), &Acquisition::stepped);
        LoopChecker checker(10);
        w.runContinuous();
        // Past N records (seconds in a plain build; sanitizers and valgrind
        // are slower), the timer firing all along.
        QTRY_VERIFY_WITH_TIMEOUT(w.acquisition()->count() > 60, 100000);
        QVERIFY(steps.count() >= 3);
        QVERIFY2(checker.ticks() >= 10, qPrintable(QString("%1 ticks").arg(checker.ticks())));
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Continuous);
        w.stop();
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Idle);
        // Continuous past N: the counter holds at N/N (exponential average).
        QCOMPARE(w.counterText(), QStringLiteral("50/50"));
    }

    void scpiSourceThenKilledThenReconnected()
    {
        QProcess sim;
        int port = startSim(sim);
        QVERIFY(port > 0);
        PanelSettings s = onBin(1000000);
        s.source = QStringLiteral("127.0.0.1:%1").arg(port);
        ScopeWindow w(&s);
        w.show();
        QSignalSpy steps(w.acquisition(), &Acquisition::stepped);
        QSignalSpy failed(w.acquisition(), &Acquisition::failed);
        w.runContinuous();
        QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 3, 20000);
        QVERIFY(w.acquisition()->instrumentName().startsWith("qaio,qaio-instrument-sim"));
        QCOMPARE(w.spectrumPlot()->peak().x(), 10e3);
        // The instrument dies mid-run: an error in the window, the loop alive.
        LoopChecker checker(10);
        ::kill(pid_t(sim.processId()), SIGKILL);
        sim.waitForFinished(5000);
        QVERIFY(failed.wait(20000) || failed.count() > 0);
        QVERIFY2(!w.errorText().isEmpty(), "no error shown");
        // The loop runs on, nothing waits on the dead peer. Ticks are
        // counted, not timed: under valgrind on a loaded machine 100 ms may
        // hold only two of them (a CI run did).
        QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 3, 10000);
        QCOMPARE(w.acquisition()->mode(), Acquisition::Mode::Idle);
        // Nothing listening now: asking again reports a refused connection.
        failed.clear();
        w.runSingle();
        QVERIFY(failed.wait(20000));
        QVERIFY2(w.errorText().contains("refused"), qPrintable(w.errorText()));
        // A new instrument on the same port: reconnect, and it works.
        QProcess again;
        QCOMPARE(startSim(again, {}, port), port);
        s.averages = 2;
        w.applySettings(s);
        QVERIFY(runSingle(w));
        QCOMPARE(w.counterText(), QStringLiteral("2/2"));
        QVERIFY(w.errorText().isEmpty());
        again.terminate();
        again.waitForFinished(10000);
    }

    // Settings changed while the panel is still connecting apply to the
    // run that follows (the connect is in flight when they change).
    void settingsChangedWhileConnectingApply()
    {
        QProcess sim;
        int port = startSim(sim);
        QVERIFY(port > 0);
        PanelSettings s = onBin(1000000);
        s.source = QStringLiteral("127.0.0.1:%1").arg(port);
        ScopeWindow w(&s);
        w.runContinuous();
        QCoreApplication::processEvents(); // the connect task starts, then waits on the socket
        QVERIFY(w.acquisition()->connecting());
        s.unit = QAIO_UNIT_VRMS;
        w.applySettings(s);
        QTRY_VERIFY_WITH_TIMEOUT(w.acquisition()->count() >= 2, 20000);
        QCOMPARE(QByteArray(w.acquisition()->spectrum()->y_unit), QByteArray("Vrms"));
        QVERIFY(std::fabs(peakValue(w) - M_SQRT1_2) < 0.01);
        w.stop();
        sim.terminate();
        sim.waitForFinished(10000);
    }

    void badSourceIsAClearError()
    {
        PanelSettings s = onBin();
        s.source = QStringLiteral("127.0.0.1:notaport");
        ScopeWindow w(&s);
        QSignalSpy failed(w.acquisition(), &Acquisition::failed);
        w.runSingle();
        QVERIFY(failed.wait(10000));
        QVERIFY2(w.errorText().contains("port 'notaport' is not 1..65535"), qPrintable(w.errorText()));
    }

    // The real binary on a real X server (Xvfb): one average, a PNG that is
    // not blank.
    void screenshotUnderXvfb()
    {
        QString xvfb = QStandardPaths::findExecutable("xvfb-run");
        if (xvfb.isEmpty())
            QSKIP("xvfb-run (Debian xvfb) not installed: scripts/install-deps installs it");
        QTemporaryDir dir;
        QString png = dir.filePath("shot.png");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "xcb");
        env.insert("XDG_CONFIG_HOME", dir.path());
        // This checks rendering on a real X server. The xcb platform's D-Bus
        // connection and plugins outlive the process in a sanitized build;
        // the panel's own code is leak-checked in this process's tests.
        env.insert("ASAN_OPTIONS", "detect_leaks=0");
        p.setProcessEnvironment(env);
        p.start(xvfb, {"-a", "-s", "-screen 0 1400x900x24", QStringLiteral(QAIO_SCOPE_PATH), "--screenshot", png,
                       "--points", "4096", "--averages", "4"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QImage img(png);
        QVERIFY(!img.isNull());
        QVERIFY(img.width() > 600 && img.height() > 400);
        std::set<QRgb> colours;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7)
                colours.insert(img.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString("%1 colours").arg(colours.size())));
    }
};

QTEST_MAIN(TestScopeGui)
#include "test_scope_gui.moc"
