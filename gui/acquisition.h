// The panel's link to src/instr: it opens the instrument (the simulated
// scope, or the SCPI driver for HOST:PORT), applies the settings, and runs
// the spectrum analyzer over it -- continuously or for one block of N --
// with the analyzer also keeping the scope's time-domain average, so every
// acquisition updates both curves. Connecting and applying settings run in
// a qaio task, so a slow or dead instrument never blocks the window.
//
// The curves are published, not pushed: a step copies them and posts one
// `stepped` for however many steps landed since the window last drew, at
// most one per kFrameMs. A scope's display works the same way: the
// acquisition runs as fast as the instrument allows (hundreds of records a
// second at short records), the screen shows the latest average at a frame
// rate the eye can use, and no record waits for a repaint.
// Everything runs on the GUI thread (the qaio loop is the Qt loop).
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

    // Takes effect at the next run or restart; a new source also drops the
    // current instrument (and stops what runs on it).
    void setSettings(const PanelSettings &s);
    const PanelSettings &settings() const { return set_; }

    void runContinuous();   // a fresh continuous average
    void runSingle();       // N records averaged, then idle
    void restartAverage();  // the current mode again from k = 0, current settings
    void stop();            // the curves shown stay
    void reconnect();       // drop the instrument: the next run connects anew

    Mode mode() const { return mode_; }
    bool connecting() const { return prepare_ != nullptr; }
    unsigned count() const { return k_; }
    unsigned target() const { return n_; }
    // The latest published curves (empty traces before the first step).
    const qaio_trace *scope() const { return scope_; }
    const qaio_trace *spectrum() const { return spec_; }
    QString instrumentName() const { return idn_; }
    // One line for the status bar: connecting, connected as *IDN?, running
    // k/N and the trigger state, stopped, or the error (what and where).
    QString statusText() const;
    // The trigger as far as the panel can tell: records arriving in normal
    // or single mode were triggered; none for a while is "waiting for
    // trigger"; auto cannot tell triggered from free-run records; force is
    // untriggered.
    QString triggerState() const;
    // Forgets the curves (a setting changed what they mean): empty traces
    // until the next record, counter 0.
    void clearCurves();
    // The header of a CSV of the curves: the instrument's identity, its
    // address, now, the settings asked (the panel's) and used (the
    // instrument's answer after they were applied).
    void describe(qaio_csv_meta *m) const;

signals:
    void stepped(unsigned k, unsigned n);
    // Every record folded in (from inside the run's task: connect only
    // cheap, direct slots such as a counter).
    void acquired();
    void modeChanged(Acquisition::Mode mode);
    void failed(const QString &message);
    void singleFinished();
    // Anything statusText() shows changed (connect start/end, mode, error).
    void stateChanged();

private:
    static int prepareTask(void *arg, qaio_future *self);
    static void onPrepared(qaio_future *f, void *arg);
    static void onStep(const qaio_trace *avg, unsigned k, unsigned n, void *arg);
    static void onContinuousFinished(int err, void *arg);
    static void onSingleDone(qaio_future *f, void *arg);

    void start(Mode m);
    void abortPrepare();    // cancels a prepare task and waits for it
    int prepare();          // in the prepare task
    void launch();          // after prepare succeeded
    void stopRuns();        // waits for the runs' tasks
    void dropInstrument();
    void noteUsed(const qaio_scope_settings &ss);
    void publish();
    void setMode(Mode m);
    void fail(int err);
    QString describe(int err) const;

    qaio_loop *loop_;
    PanelSettings set_;
    PanelSettings used_;                  // set_ as the instrument took it
    qaio_instrument *inst_ = nullptr;     // scope or SCPI driver
    QString message_;                     // why the last connection failed
    qaio_instrument *analyzer_ = nullptr; // over inst_
    qaio_continuous *cont_ = nullptr;
    qaio_future *single_ = nullptr;
    qaio_future *prepare_ = nullptr;
    Mode mode_ = Mode::Idle, wanted_ = Mode::Idle;
    qaio_trace *scope_, *spec_;           // written by each step whole
    unsigned k_ = 0, n_ = 0;
    bool dirty_ = false;
    bool reprepare_ = false;     // settings changed while a prepare ran
    QTimer frame_;               // the one pending publish, if any
    QElapsedTimer sincePublish_;
    QString idn_;
    QString error_;              // the last failure, until the next run
    QElapsedTimer sinceRecord_;  // since the last record (or the start)
    bool singleTrigger_ = false; // this run is one single-trigger capture
};
