#include "acquisition.h"

#include <QMetaObject>
#include <algorithm>
#include <cstdio>

Acquisition::Acquisition(QObject *parent)
    : QObject(parent), loop_(qaio_loop_get()), empty_(qaio_trace_new(0, 0)), scopeCurve_(empty_), specCurve_(empty_)
{
    frame_.setSingleShot(true);
    connect(&frame_, &QTimer::timeout, this, &Acquisition::publish);
}

// The one place that waits: nothing may outlive the object it calls back.
Acquisition::~Acquisition()
{
    if (prepare_) {
        qaio_future_remove_done_callback(prepare_, onPrepared, this);
        qaio_future_cancel(prepare_);
        qaio_future_result(prepare_, nullptr);
        qaio_future_unref(prepare_);
        prepare_ = nullptr;
    }
    qaio_continuous_free(cont_); // stops and waits; no callback from here on
    cont_ = nullptr;
    dropInstrument();
    qaio_trace_free(empty_);
}

void Acquisition::setSettings(const PanelSettings &s)
{
    set_ = s;
    gen_++;
    sync();
    emit stateChanged();
}

void Acquisition::runContinuous() { start(Mode::Continuous); }
void Acquisition::runSingle() { start(Mode::Single); }

void Acquisition::start(Mode m)
{
    error_.clear();
    // Trigger "single" is a bench scope's one-shot: arm, capture one
    // triggered record, hold it -- in Run as in Single.
    if (set_.trigger == QAIO_TRIG_SINGLE)
        m = Mode::Single;
    k_ = 0;
    n_ = set_.trigger == QAIO_TRIG_SINGLE ? 1u : unsigned(set_.averages);
    sinceRecord_.start();
    gen_++; // a fresh run: settings applied again (a single trigger re-armed)
    setWanted(m);
    sync();
    emit stateChanged();
}

void Acquisition::restartAverage()
{
    if (wanted_ == Mode::Idle)
        return;
    qaio_run_state rs = cont_ ? qaio_continuous_state(cont_) : QAIO_RUN_IDLE;
    bool active = rs == QAIO_RUN_RUNNING || rs == QAIO_RUN_PAUSED;
    if (active && runGen_ == gen_ && runMode_ == Mode::Continuous && wanted_ == Mode::Continuous &&
        qaio_continuous_restart(cont_) == 0) {
        k_ = 0;
        emit stateChanged();
        return;
    }
    start(wanted_);
}

void Acquisition::stop()
{
    setWanted(Mode::Idle);
    sync(); // cancels a connect in flight, asks the run to stop
    emit stateChanged();
}

void Acquisition::reconnect()
{
    instSource_.clear(); // dropped as soon as nothing runs on it
    stop();
}

bool Acquisition::stopping() const
{
    qaio_run_state rs = cont_ ? qaio_continuous_state(cont_) : QAIO_RUN_IDLE;
    return (prepare_ && wanted_ == Mode::Idle) || rs == QAIO_RUN_STOPPING || rs == QAIO_RUN_STARTING;
}

// What to do next, from what is wanted and what is under way. Each step
// that cannot finish at once (a connect, a run's stop) calls sync() again
// when it has.
void Acquisition::sync()
{
    if (prepare_) {
        // A connect for nothing, or for the old source, ends now (at its
        // next wait); one for older settings completes, then goes again.
        if (wanted_ == Mode::Idle || prepareSet_.source != set_.source)
            qaio_future_cancel(prepare_);
        return;
    }
    qaio_run_state rs = cont_ ? qaio_continuous_state(cont_) : QAIO_RUN_IDLE;
    if (rs == QAIO_RUN_STOPPING || rs == QAIO_RUN_STARTING)
        return; // runEnded() comes next
    bool active = rs == QAIO_RUN_RUNNING || rs == QAIO_RUN_PAUSED;
    if (active) {
        if (wanted_ != runMode_ || runGen_ != gen_)
            qaio_continuous_request_stop(cont_);
        return;
    }
    if (inst_ && instSource_ != set_.source)
        dropInstrument();
    if (wanted_ == Mode::Idle)
        return;
    if (preparedGen_ != gen_ || !analyzer_) {
        prepareSet_ = set_;
        prepareGen_ = gen_;
        prepare_ = qaio_spawn_named(loop_, "qaio-scope prepare", 0, prepareTask, this);
        if (!prepare_) {
            fail(-errno);
            return;
        }
        qaio_future_add_done_callback(prepare_, onPrepared, this);
        return;
    }
    launch();
}

int Acquisition::prepareTask(void *arg, qaio_future *) { return static_cast<Acquisition *>(arg)->prepare(); }

// In a task: each SCPI exchange suspends here instead of blocking the window.
int Acquisition::prepare()
{
    message_.clear();
    const PanelSettings &set = prepareSet_;
    qaio_scope_settings ss;
    set.toScope(&ss);
    qaio_spectrum_settings sp;
    set.toSpectrum(&sp);
    int err = 0;
    if (set.isSimulated()) {
        if (!inst_ && !(inst_ = qaio_scope_new(loop_, &ss)))
            return -errno;
        instSource_ = set.source;
        idn_ = QStringLiteral("qaio simulated scope");
        err = qaio_scope_set_settings(inst_, &ss);
        if (!err && ss.trigger == QAIO_TRIG_SINGLE)
            err = qaio_scope_arm(inst_);
        if (!err)
            err = qaio_scope_get_settings(inst_, &ss);
    } else {
        if (!inst_) {
            QByteArray address = set.source.toUtf8(), driver = set.driver.toUtf8();
            qaio_scpi_scope_options o;
            qaio_scpi_scope_options_default(&o);
            o.address = address.constData();
            o.driver = driver.constData();
            char msg[300];
            err = qaio_scpi_scope_connect(loop_, &o, &inst_, msg, sizeof msg);
            if (err) {
                message_ = QString::fromUtf8(msg);
                return err;
            }
            idn_ = QString::fromUtf8(qaio_scpi_scope_idn(inst_));
        }
        instSource_ = set.source;
        err = qaio_scpi_scope_set_settings(inst_, &ss);
        if (!err)
            err = qaio_scpi_scope_get_settings(inst_, &ss);
    }
    if (err)
        return err;
    noteUsed(ss);
    if (!analyzer_ && !(analyzer_ = qaio_spectrum_analyzer_new(inst_, &sp)))
        return -errno;
    qaio_spectrum_analyzer_keep_source_average(analyzer_, true);
    return qaio_spectrum_analyzer_set_settings(analyzer_, &sp);
}

void Acquisition::onPrepared(qaio_future *f, void *arg)
{
    auto *self = static_cast<Acquisition *>(arg);
    int err = qaio_future_error(f);
    qaio_future_unref(f);
    self->prepare_ = nullptr;
    if (err == 0)
        self->preparedGen_ = self->prepareGen_;
    if (err && err != QAIO_ECANCELED && self->wanted_ != Mode::Idle) {
        self->fail(err);
        return;
    }
    self->sync();
    emit self->stateChanged();
}

void Acquisition::launch()
{
    if (set_.trigger == QAIO_TRIG_SINGLE)
        setWanted(Mode::Single); // a one-shot, whatever the button
    n_ = set_.trigger == QAIO_TRIG_SINGLE ? 1u : unsigned(set_.averages);
    qaio_run_options o;
    qaio_run_options_default(&o);
    o.averages = n_;
    o.type = wanted_ == Mode::Single ? QAIO_AVG_EXPONENTIAL : set_.averaging;
    o.single_block = wanted_ == Mode::Single;
    o.frame = onFrame;
    o.frame_arg = this;
    o.frame_interval_s = kFrameMs / 1000.0;
    o.finished = onRunFinished;
    o.finished_arg = this;
    if (!cont_)
        cont_ = qaio_continuous_new(analyzer_, &o);
    int err = cont_ ? qaio_continuous_set_options(cont_, &o) : -errno;
    if (!err)
        err = qaio_continuous_start(cont_);
    if (err) {
        fail(err);
        return;
    }
    runGen_ = gen_;
    runMode_ = wanted_;
    records_ = 0;
    emit stateChanged();
}

// From the run (its task, or the frame timer): keep the curves' addresses,
// queue one publish. Drawing waits for the loop: not on the task's stack.
void Acquisition::onFrame(const qaio_frame *f, void *arg)
{
    auto *self = static_cast<Acquisition *>(arg);
    if (self->runGen_ != self->gen_)
        return; // the last frame of a run whose settings changed: stale
    self->specCurve_ = f->curve;
    self->scopeCurve_ = f->source ? f->source : self->empty_;
    self->k_ = f->k;
    self->n_ = f->n;
    if (f->records < self->records_)
        self->records_ = 0; // a new task: its count starts again
    emit self->acquired(unsigned(f->records - self->records_));
    self->records_ = f->records;
    self->framesIn_++;
    self->sinceRecord_.start();
    if (!self->frame_.isActive())
        self->frame_.start(0);
}

void Acquisition::publish()
{
    frame_.stop();
    if (framesShown_ == framesIn_)
        return;
    framesShown_ = framesIn_;
    emit stepped(k_, n_);
}

void Acquisition::onRunFinished(int err, void *arg)
{
    auto *self = static_cast<Acquisition *>(arg);
    // Leave the run's end before touching the window.
    QMetaObject::invokeMethod(self, [self, err] { self->runEnded(err); }, Qt::QueuedConnection);
}

void Acquisition::runEnded(int err)
{
    publish(); // the last frame's curves before "finished"
    if (err && err != QAIO_ECANCELED) {
        fail(err);
        return;
    }
    if (err == 0 && runMode_ == Mode::Single && wanted_ == Mode::Single && runGen_ == gen_) {
        setWanted(Mode::Idle);
        emit stateChanged();
        emit singleFinished();
    }
    sync();
    emit stateChanged();
}

void Acquisition::dropInstrument()
{
    qaio_continuous_free(cont_); // idle here: freed at once
    cont_ = nullptr;
    qaio_instrument_free(analyzer_);
    analyzer_ = nullptr;
    qaio_instrument_free(inst_);
    inst_ = nullptr;
    instSource_.clear();
    preparedGen_ = 0;
    idn_.clear();
    scopeCurve_ = specCurve_ = empty_; // they were the run's
    emit curvesDropped();
}

void Acquisition::setWanted(Mode m)
{
    if (m == wanted_)
        return;
    wanted_ = m;
    emit modeChanged(m);
}

void Acquisition::fail(int err)
{
    setWanted(Mode::Idle);
    // A broken connection is dropped (when nothing runs on it) so the next
    // run reconnects; a refused setting keeps it.
    if (err != QAIO_EIO && err != QAIO_EINVAL && !set_.isSimulated())
        instSource_.clear();
    error_ = describe(err);
    sync();
    emit stateChanged();
    emit failed(error_);
}

void Acquisition::clearCurves()
{
    scopeCurve_ = specCurve_ = empty_;
    k_ = 0;
    framesShown_ = framesIn_;
}

// What the instrument reported back after the settings were applied.
void Acquisition::noteUsed(const qaio_scope_settings &ss)
{
    used_ = prepareSet_;
    used_.points = int(ss.points);
    used_.rate = ss.rate;
    used_.channels = ss.channels;
    used_.trigger = ss.trigger;
    used_.slope = ss.slope;
    used_.triggerSource = ss.trigger_source;
    used_.triggerLevel = ss.trigger_level;
}

void Acquisition::describe(qaio_csv_meta *m) const
{
    qaio_csv_meta_init(m, "qaio-scope");
    QByteArray who = idn_.toUtf8(), where = set_.source.toUtf8();
    snprintf(m->instrument, sizeof m->instrument, "%s", who.constData());
    snprintf(m->source, sizeof m->source, "%s", where.constData());
    set_.toCsv(m, QAIO_CSV_ASKED);
    if (inst_)
        used_.toCsv(m, QAIO_CSV_USED);
}

QString Acquisition::triggerState() const
{
    switch (set_.trigger) {
    case QAIO_TRIG_FORCE:
        return tr("untriggered (force)");
    case QAIO_TRIG_AUTO:
        // The library does not say whether an auto record found an edge.
        return tr("auto (triggered or free-running)");
    default:
        if (wanted_ == Mode::Idle)
            return set_.trigger == QAIO_TRIG_SINGLE ? tr("single") : tr("normal");
        if (sinceRecord_.isValid() && sinceRecord_.elapsed() > 250)
            return tr("waiting for trigger");
        return k_ > 0 ? tr("triggered") : tr("waiting for trigger");
    }
}

QString Acquisition::statusText() const
{
    QString where = set_.isSimulated() ? tr("simulated scope") : set_.source;
    if (!error_.isEmpty())
        return tr("error: %1").arg(error_);
    if (connecting())
        return inst_ ? tr("applying settings to %1").arg(idn_.isEmpty() ? where : idn_)
                     : tr("connecting to %1...").arg(where);
    QString who = idn_.isEmpty() ? where : idn_;
    if (wanted_ == Mode::Idle) {
        if (stopping())
            return tr("stopping - %1").arg(who);
        if (!inst_)
            return tr("stopped (not connected)");
        if (set_.trigger == QAIO_TRIG_SINGLE && k_ > 0)
            return tr("stopped: single trigger captured - %1").arg(who);
        return tr("stopped - connected to %1").arg(who);
    }
    QString run = wanted_ == Mode::Continuous ? tr("running") : tr("single run");
    return tr("%1 %2/%3, trigger: %4 - %5").arg(run).arg(std::min(k_, n_)).arg(n_).arg(triggerState(), who);
}

QString Acquisition::describe(int err) const
{
    if (!message_.isEmpty())
        return message_; // the driver's, naming the address
    QString where = set_.isSimulated() ? QStringLiteral("simulated scope") : set_.source;
    QString what;
    switch (err) {
    case QAIO_ECLOSED:
    case QAIO_ECONNRESET:
    case QAIO_EPIPE:
        what = tr("the instrument closed the connection");
        break;
    case QAIO_ETIMEDOUT:
        what = tr("the instrument did not answer in time");
        break;
    case QAIO_ECONNREFUSED:
        what = tr("connection refused (nothing listens on that port)");
        break;
    case QAIO_EAGAIN:
        what = tr("the scope is not armed (single trigger already captured)");
        break;
    default:
        what = QString::fromUtf8(qaio_strerror(err));
    }
    QString text = QStringLiteral("%1: %2").arg(where, what);
    const char *why = inst_ && !set_.isSimulated() ? qaio_scpi_scope_last_error(inst_) : "";
    if (why[0])
        text += QStringLiteral(" (%1)").arg(QString::fromUtf8(why));
    return text;
}
