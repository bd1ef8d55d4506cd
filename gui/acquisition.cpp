#include "acquisition.h"

#include <QMetaObject>
#include <cstdio>
#include <algorithm>

Acquisition::Acquisition(QObject *parent)
    : QObject(parent), loop_(qaio_loop_get()), scope_(qaio_trace_new(0, 0)), spec_(qaio_trace_new(0, 0))
{
    frame_.setSingleShot(true);
    frame_.setTimerType(Qt::PreciseTimer);
    connect(&frame_, &QTimer::timeout, this, &Acquisition::publish);
}

Acquisition::~Acquisition()
{
    abortPrepare();
    stopRuns();
    dropInstrument();
    qaio_trace_free(scope_);
    qaio_trace_free(spec_);
}

void Acquisition::setSettings(const PanelSettings &s)
{
    bool newSource = s.source != set_.source;
    set_ = s;
    if (newSource) {
        abortPrepare(); // it may hold the old instrument
        stopRuns();
        setMode(Mode::Idle);
        dropInstrument();
    }
}

// The prepare task may be suspended in a connect or a settings exchange on
// inst_: cancel it and let it unwind before anyone frees what it uses.
void Acquisition::abortPrepare()
{
    if (!prepare_)
        return;
    qaio_future *f = prepare_;
    prepare_ = nullptr;
    reprepare_ = false;
    qaio_future_remove_done_callback(f, onPrepared, this);
    qaio_future_cancel(f);
    qaio_future_result(f, nullptr);
    qaio_future_unref(f);
}

void Acquisition::runContinuous() { start(Mode::Continuous); }
void Acquisition::runSingle() { start(Mode::Single); }

void Acquisition::restartAverage()
{
    if (mode_ == Mode::Idle && !prepare_)
        return;
    start(mode_ == Mode::Idle ? wanted_ : mode_);
}

void Acquisition::stop()
{
    wanted_ = Mode::Idle;
    // A connect in flight ends now (its task unwinds at its next wait).
    abortPrepare();
    stopRuns();
    publish();
    setMode(Mode::Idle);
    emit stateChanged();
}

void Acquisition::reconnect()
{
    stop();
    dropInstrument();
}

void Acquisition::start(Mode m)
{
    stopRuns();
    error_.clear();
    // Trigger "single" is a bench scope's one-shot: arm, capture one
    // triggered record, hold it -- in Run as in Single.
    singleTrigger_ = set_.trigger == QAIO_TRIG_SINGLE;
    if (singleTrigger_)
        m = Mode::Single;
    wanted_ = m;
    k_ = 0;
    n_ = singleTrigger_ ? 1u : unsigned(set_.averages);
    sinceRecord_.start();
    if (prepare_) {
        reprepare_ = true; // it prepares again with these settings, then launches
        return;
    }
    prepare_ = qaio_spawn_named(loop_, "qaio-scope prepare", 0, prepareTask, this);
    if (!prepare_) {
        fail(-errno);
        return;
    }
    qaio_future_add_done_callback(prepare_, onPrepared, this);
    setMode(m);
    emit stateChanged();
}

int Acquisition::prepareTask(void *arg, qaio_future *) { return static_cast<Acquisition *>(arg)->prepare(); }

// In a task: each SCPI exchange suspends here instead of blocking the window.
int Acquisition::prepare()
{
    message_.clear();
    qaio_scope_settings ss;
    set_.toScope(&ss);
    qaio_spectrum_settings sp;
    set_.toSpectrum(&sp);
    int err = 0;
    if (set_.isSimulated()) {
        if (!inst_ && !(inst_ = qaio_scope_new(loop_, &ss)))
            return -errno;
        idn_ = QStringLiteral("qaio simulated scope");
        err = qaio_scope_set_settings(inst_, &ss);
        if (!err && ss.trigger == QAIO_TRIG_SINGLE)
            err = qaio_scope_arm(inst_);
        if (!err)
            err = qaio_scope_get_settings(inst_, &ss);
    } else {
        if (!inst_) {
            QByteArray address = set_.source.toUtf8(), driver = set_.driver.toUtf8();
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
    emit self->stateChanged();
    if (self->reprepare_ && self->wanted_ != Mode::Idle) {
        self->reprepare_ = false;
        self->start(self->wanted_);
        return;
    }
    self->reprepare_ = false;
    if (err == QAIO_ECANCELED || self->wanted_ == Mode::Idle) {
        self->setMode(Mode::Idle);
        return;
    }
    if (err) {
        self->fail(err);
        return;
    }
    self->launch();
}

void Acquisition::launch()
{
    qaio_run_options o;
    qaio_run_options_default(&o);
    o.averages = n_;
    o.type = set_.averaging;
    o.step = onStep;
    o.step_arg = this;
    if (wanted_ == Mode::Single) {
        single_ = qaio_instrument_run_single_opts(analyzer_, &o);
        if (!single_) {
            fail(-errno);
            return;
        }
        qaio_future_add_done_callback(single_, onSingleDone, this);
    } else {
        o.finished = onContinuousFinished;
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
    }
    setMode(wanted_);
}

// In the run's task, after each record: copy both curves, post one redraw.
void Acquisition::onStep(const qaio_trace *avg, unsigned k, unsigned n, void *arg)
{
    auto *self = static_cast<Acquisition *>(arg);
    qaio_trace_copy_into(self->spec_, avg);
    qaio_spectrum_analyzer_read_source_average(self->analyzer_, self->scope_);
    self->k_ = k;
    self->n_ = n;
    self->dirty_ = true;
    self->sinceRecord_.start();
    emit self->acquired();
    if (!self->frame_.isActive()) {
        qint64 wait = self->sincePublish_.isValid() ? kFrameMs - self->sincePublish_.elapsed() : 0;
        self->frame_.start(int(std::max<qint64>(wait, 0)));
    }
}

void Acquisition::publish()
{
    frame_.stop(); // called directly (stop, end of Single): no second frame
    if (!dirty_)
        return;
    dirty_ = false;
    sincePublish_.start();
    emit stepped(k_, n_);
}

void Acquisition::onContinuousFinished(int err, void *arg)
{
    auto *self = static_cast<Acquisition *>(arg);
    if (err == QAIO_ECANCELED)
        return;
    // Leave the run's task before touching the window.
    QMetaObject::invokeMethod(self, [self, err] { self->fail(err); }, Qt::QueuedConnection);
}

void Acquisition::onSingleDone(qaio_future *f, void *arg)
{
    auto *self = static_cast<Acquisition *>(arg);
    int err = qaio_future_error(f);
    qaio_future_unref(f);
    self->single_ = nullptr;
    self->publish(); // the last step's curves before "finished"
    if (err == QAIO_ECANCELED)
        return;
    if (err) {
        self->fail(err);
        return;
    }
    self->wanted_ = Mode::Idle;
    self->setMode(Mode::Idle);
    emit self->stateChanged();
    emit self->singleFinished();
}

void Acquisition::stopRuns()
{
    if (cont_)
        qaio_continuous_stop(cont_);
    if (single_) {
        qaio_future *f = single_;
        single_ = nullptr;
        qaio_future_remove_done_callback(f, onSingleDone, this);
        qaio_future_cancel(f);
        qaio_future_result(f, nullptr); // its task frees what it made first
        qaio_future_unref(f);
    }
}

void Acquisition::dropInstrument()
{
    qaio_continuous_free(cont_);
    cont_ = nullptr;
    qaio_instrument_free(analyzer_);
    analyzer_ = nullptr;
    qaio_instrument_free(inst_);
    inst_ = nullptr;
    idn_.clear();
}

void Acquisition::setMode(Mode m)
{
    if (m == mode_)
        return;
    mode_ = m;
    emit modeChanged(m);
}

void Acquisition::fail(int err)
{
    stopRuns();
    wanted_ = Mode::Idle;
    setMode(Mode::Idle);
    // A broken connection is dropped so the next run reconnects; a refused
    // setting keeps it.
    if (err != QAIO_EIO && err != QAIO_EINVAL && !set_.isSimulated())
        dropInstrument();
    error_ = describe(err);
    emit stateChanged();
    emit failed(error_);
}

void Acquisition::clearCurves()
{
    for (qaio_trace *t : {scope_, spec_}) {
        qaio_trace_reshape(t, 0, 0);
        t->averages = 0;
    }
    k_ = 0;
    dirty_ = false;
}

// What the instrument reported back after the settings were applied.
void Acquisition::noteUsed(const qaio_scope_settings &ss)
{
    used_ = set_;
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
        if (mode_ == Mode::Idle)
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
    if (prepare_)
        return inst_ ? tr("applying settings to %1").arg(idn_.isEmpty() ? where : idn_)
                     : tr("connecting to %1...").arg(where);
    QString who = idn_.isEmpty() ? where : idn_;
    if (mode_ == Mode::Idle) {
        if (!inst_)
            return tr("stopped (not connected)");
        if (singleTrigger_ && k_ > 0)
            return tr("stopped: single trigger captured - %1").arg(who);
        return tr("stopped - connected to %1").arg(who);
    }
    QString run = mode_ == Mode::Continuous ? tr("running") : tr("single run");
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
