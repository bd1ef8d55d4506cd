// The panel's link to src/instr: it opens the instrument (the simulated
// scope, or the SCPI driver for HOST:PORT), applies the settings, and runs
// the spectrum analyzer over it -- continuously or for one block of N --
// with the analyzer also keeping the scope's time-domain average, so every
// acquisition updates both curves. Connecting and applying settings run in
// a qaio task, so a slow or dead instrument never blocks the window.
//
// Requests never wait: Run, Single, Stop and a settings change record what
// is wanted and sync() moves towards it -- cancelling a connect, asking the
// run to stop, connecting, launching -- one step at a time, each finished
// step (a connect done, a run ended) calling sync() again. No slot spins a
// nested event loop; only the destructor waits.
//
// The curves are the run's frames (qaio_frame): at most one per kFrameMs,
// each read from the averagers once by the library and borrowed here, not
// copied; one queued `stepped` hands them to the window, whose plots take
// the one copy. Everything runs on the GUI thread (the qaio loop is the Qt
// loop).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <qaio.h>
#include <qaio/instr.h>

#include "panel_settings.h"

class Acquisition : public QObject {
    Q_OBJECT
public:
    enum class Mode { Idle, Continuous, Single };
    static constexpr int kFrameMs = 8; // at most ~125 published frames/s

    explicit Acquisition(QObject *parent = nullptr);
    // Stops every run and waits for it (and for a connection in progress).
    ~Acquisition() override;

    // Takes effect at once: a run in progress stops and starts again with
    // them (a new source: on a new instrument).
    void setSettings(const PanelSettings &s);
    const PanelSettings &settings() const { return set_; }

    void runContinuous();   // a fresh continuous average
    void runSingle();       // N records averaged, then idle
    void restartAverage();  // the current mode again from k = 0, current settings
    void stop();            // the curves shown stay; returns before the run has ended
    void reconnect();       // drop the instrument: the next run connects anew

    // What the panel is doing or about to do (Idle at once after stop()).
    Mode mode() const { return wanted_; }
    // A connect or settings exchange the next run waits for.
    bool connecting() const { return prepare_ && wanted_ != Mode::Idle; }
    // A run or a connect still unwinding after a stop.
    bool stopping() const;
    unsigned count() const { return k_; }
    unsigned target() const { return n_; }
    // The latest published curves (empty traces before the first frame),
    // borrowed from the run: valid until the next `stepped`.
    const qaio_trace *scope() const { return scopeCurve_; }
    const qaio_trace *spectrum() const { return specCurve_; }
    QString instrumentName() const { return idn_; }
    // One line for the status bar: connecting, connected as *IDN?, running
    // k/N and the trigger state, stopping, stopped, or the error (what and
    // where).
    QString statusText() const;
    // The trigger as far as the panel can tell: records arriving in normal
    // or single mode were triggered; none for a while is "waiting for
    // trigger"; auto cannot tell triggered from free-run records; force is
    // untriggered.
    QString triggerState() const;
    // Forgets the curves (a setting changed what they mean): empty traces
    // until the next frame, counter 0.
    void clearCurves();
    // The header of a CSV of the curves: the instrument's identity, its
    // address, now, the settings asked (the panel's) and used (the
    // instrument's answer after they were applied).
    void describe(qaio_csv_meta *m) const;

signals:
    void stepped(unsigned k, unsigned n);
    // Records folded in since the last frame (for the acquisitions/s count).
    void acquired(unsigned records);
    void modeChanged(Acquisition::Mode mode);
    void failed(const QString &message);
    void singleFinished();
    // Anything statusText() shows changed (connect start/end, mode, error).
    void stateChanged();
    // The curves scope() and spectrum() point to were dropped with the run
    // (they now point to an empty trace): a view holding them lets go.
    void curvesDropped();

private:
    static int prepareTask(void *arg, qaio_future *self);
    static void onPrepared(qaio_future *f, void *arg);
    static void onFrame(const qaio_frame *f, void *arg);
    static void onRunFinished(int err, void *arg);

    void start(Mode m);
    void sync();            // one step towards what is wanted
    int prepare();          // in the prepare task
    void launch();          // prepared for these settings: start the run
    void runEnded(int err);
    void dropInstrument();  // only when nothing runs on it
    void noteUsed(const qaio_scope_settings &ss);
    void publish();
    void setWanted(Mode m);
    void fail(int err);
    QString describe(int err) const;

    qaio_loop *loop_;
    PanelSettings set_;
    PanelSettings used_;                  // set_ as the instrument took it
    unsigned gen_ = 1;                    // bumped by every settings change and fresh start
    Mode wanted_ = Mode::Idle;
    qaio_instrument *inst_ = nullptr;     // scope or SCPI driver
    QString instSource_;                  // the source inst_ was opened for ("" once broken)
    QString message_;                     // why the last connection failed
    qaio_instrument *analyzer_ = nullptr; // over inst_
    qaio_continuous *cont_ = nullptr;     // on analyzer_
    qaio_future *prepare_ = nullptr;      // the connect / settings task in flight
    PanelSettings prepareSet_;            // what it applies
    unsigned prepareGen_ = 0, preparedGen_ = 0; // of the task in flight; of the last that succeeded
    unsigned runGen_ = 0;                 // settings of the run in cont_
    Mode runMode_ = Mode::Idle;           // its mode
    qaio_trace *empty_;                   // the curves before any frame
    const qaio_trace *scopeCurve_, *specCurve_;
    unsigned k_ = 0, n_ = 0;
    unsigned long long records_ = 0;      // the run's record count at the last frame
    unsigned long long framesIn_ = 0, framesShown_ = 0;
    QTimer frame_;                        // the queued publish, out of the run's task
    QString idn_;
    QString error_;                       // the last failure, until the next run
    QElapsedTimer sinceRecord_;           // since the last frame (or the start)
};
