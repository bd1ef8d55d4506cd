// The Qt bridge: futures completed by Qt signals, tasks bound to QObjects.
//
// A signal is connected by its index (the caller only has a string) to one
// process-wide receiver that overrides qt_metacall, QSignalSpy's idiom: the
// method index given to QMetaObject::connect carries the wait's id. The
// receiver is never destroyed, so an emission on another thread can never
// run into a receiver that the loop thread just deleted (Qt does not guard a
// direct connection against that). Each wait's id maps, under one mutex, to
// the future to complete; whichever of emission, destruction of the sender,
// timeout or the future's own cancellation comes first wins, because a
// future is single-assignment. The loop thread then removes the connections
// and the timer in the future's done-callback, the one cleanup path.
#include "qaio/qobject.h"
#include "../core/core_net.h"

#include <QMetaObject>
#include <QObject>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <new>
#include <unordered_map>


namespace {

// What an emission needs to complete a wait; copied out under the lock, so
// the emitting thread never touches the loop thread's Wait.
struct Pending {
    qaio_future *fut;
    qaio_qobject_capture_fn capture;
    qaio_dtor dtor;
};

struct Registry {
    std::mutex lock;
    std::unordered_map<int, Pending> waits;
    int next = 0;
};

// Never destroyed: emissions may come from threads still running at exit.
Registry &registry()
{
    static Registry *r = new Registry;
    return *r;
}

// Removes id's entry and returns it with a reference of the caller's own,
// or returns false if the wait was already decided.
bool claim(int id, Pending *out)
{
    Registry &r = registry();
    std::lock_guard<std::mutex> guard(r.lock);
    auto it = r.waits.find(id);
    if (it == r.waits.end())
        return false;
    *out = it->second;
    qaio_future_ref(out->fut);
    r.waits.erase(it);
    return true;
}

void emitted(int id, void *const *args)
{
    Pending p;
    if (!claim(id, &p))
        return;
    void *value = nullptr;
    int err = p.capture ? p.capture(args, &value) : 0;
    if (err == QAIO_ECANCELED)
        qaio_future_cancel(p.fut);
    else if (err < 0)
        qaio_future_set_error(p.fut, err, "capturing the signal's arguments failed");
    else
        qaio_future_set_result(p.fut, value, p.dtor); // frees value if the future lost
    qaio_future_unref(p.fut);
}

void senderDestroyed(int id)
{
    Pending p;
    if (!claim(id, &p))
        return;
    qaio_future_cancel(p.fut);
    qaio_future_unref(p.fut);
}

class Relay final : public QObject {
public:
    static int offset()
    {
        static const int o = QObject::staticMetaObject.methodCount();
        return o;
    }
    static Relay *instance()
    {
        static Relay *r = new Relay; // never destroyed, see the top comment
        return r;
    }
    int qt_metacall(QMetaObject::Call call, int id, void **argv) override
    {
        id = QObject::qt_metacall(call, id, argv);
        if (id < 0 || call != QMetaObject::InvokeMetaMethod)
            return id;
        emitted(id, argv + 1); // argv[0] is the return value's slot
        return -1;
    }
};

// The loop thread's half of a wait.
struct Wait {
    int id = -1;
    qaio_future *fut = nullptr; // a reference, dropped by the cleanup
    qaio_loop *loop = nullptr;
    qaio_handle timer = 0;
    double timeout_s = 0;
    QByteArray signature;
    QMetaObject::Connection signalConn, destroyedConn;
};

int registerWait(const Pending &p)
{
    Registry &r = registry();
    std::lock_guard<std::mutex> guard(r.lock);
    int limit = INT_MAX - Relay::offset();
    for (int tries = 0; tries < limit; tries++) {
        int id = r.next;
        r.next = r.next + 1 < limit ? r.next + 1 : 0;
        if (r.waits.emplace(id, p).second)
            return id;
    }
    return -1;
}

void forget(int id)
{
    Registry &r = registry();
    std::lock_guard<std::mutex> guard(r.lock);
    r.waits.erase(id);
}

void waitDone(qaio_future *, void *arg)
{
    auto *w = static_cast<Wait *>(arg);
    forget(w->id);
    QObject::disconnect(w->signalConn);
    QObject::disconnect(w->destroyedConn);
    if (w->timer)
        qaio_cancel(w->loop, w->timer);
    qaio_future_unref(w->fut);
    delete w;
}

void waitTimedOut(void *arg)
{
    auto *w = static_cast<Wait *>(arg);
    w->timer = 0;
    forget(w->id); // a late emission finds nothing to do
    char msg[160];
    snprintf(msg, sizeof msg, "signal %s not emitted within %g s", w->signature.constData(),
             w->timeout_s);
    qaio_future_set_error(w->fut, QAIO_ETIMEDOUT, msg);
}

// Accepts "sig(args)" and SIGNAL(sig(args)), which prepends '2' (a name
// cannot start with a digit, so the prefix is unambiguous).
int signalIndex(const QObject *obj, const char *signal, QByteArray *signature)
{
    if (signal[0] == '0' + QSIGNAL_CODE)
        signal++;
    *signature = QMetaObject::normalizedSignature(signal);
    return obj->metaObject()->indexOfSignal(signature->constData());
}

qaio_future *failed(int err)
{
    errno = -err;
    return nullptr;
}

// Holds a reference to a task for as long as Qt keeps the functor.
struct CancelOnDestroyed {
    qaio_future *task;
    explicit CancelOnDestroyed(qaio_future *t) : task(qaio_future_ref(t)) {}
    CancelOnDestroyed(const CancelOnDestroyed &o) : task(qaio_future_ref(o.task)) {}
    CancelOnDestroyed(CancelOnDestroyed &&o) noexcept : task(o.task) { o.task = nullptr; }
    CancelOnDestroyed &operator=(const CancelOnDestroyed &) = delete;
    ~CancelOnDestroyed() { qaio_future_unref(task); }
    void operator()() const { qaio_future_cancel(task); }
};

void unbind(qaio_future *, void *arg)
{
    auto *conn = static_cast<QMetaObject::Connection *>(arg);
    QObject::disconnect(*conn); // Qt drops the functor, and with it its reference
    delete conn;
}

struct Detached {
    void *arg;
    qaio_dtor dtor;
};

void detachedDone(qaio_future *task, void *arg)
{
    auto *d = static_cast<Detached *>(arg);
    int err = qaio_future_error(task); // marks it retrieved: reported once, here
    if (err < 0 && err != QAIO_ECANCELED) {
        const char *msg = qaio_future_error_message(task);
        qaio__log("task '%s' failed and nobody awaits it: %s (%s)%s%s", qaio_task_name(task),
                  qaio_strerror(err), qaio_err_name(err), msg ? ": " : "", msg ? msg : "");
    }
    if (d->dtor)
        d->dtor(d->arg);
    delete d;
}

} // namespace

extern "C" qaio_future *qaio_qobject_signal_future_ex(qaio_loop *loop, void *qobject,
                                                      const char *signal, double timeout_s,
                                                      qaio_qobject_capture_fn capture,
                                                      qaio_dtor dtor)
{
    if (!loop || !qobject || !signal || std::isnan(timeout_s))
        return failed(QAIO_EINVAL);
    int err = qaio__check_loop(loop);
    if (err)
        return failed(err);
    auto *obj = static_cast<QObject *>(qobject);
    QByteArray signature;
    int index = signalIndex(obj, signal, &signature);
    if (index < 0)
        return failed(QAIO_EINVAL);
    qaio_future *fut = qaio_future_new(loop);
    if (!fut)
        return nullptr;
    auto *w = new (std::nothrow) Wait;
    if (!w) {
        qaio_future_unref(fut);
        return failed(QAIO_ENOMEM);
    }
    w->fut = qaio_future_ref(fut);
    w->loop = loop;
    w->timeout_s = timeout_s;
    w->signature = signature;
    w->id = registerWait(Pending{fut, capture, dtor});
    err = w->id < 0 ? QAIO_ENOMEM : qaio_future_add_done_callback(fut, waitDone, w);
    if (err) {
        forget(w->id);
        qaio_future_unref(w->fut);
        delete w;
        qaio_future_unref(fut);
        return failed(err);
    }
    // From here on, cancelling the future is the way out: its done-callback
    // undoes whatever was set up.
    int id = w->id;
    w->signalConn = QMetaObject::connect(obj, index, Relay::instance(), Relay::offset() + id,
                                         Qt::DirectConnection);
    w->destroyedConn = QObject::connect(obj, &QObject::destroyed, [id] { senderDestroyed(id); });
    bool timed = timeout_s >= 0 && std::isfinite(timeout_s);
    if (timed)
        w->timer = qaio_call_later(loop, timeout_s, waitTimedOut, w);
    if (!w->signalConn || !w->destroyedConn || (timed && !w->timer)) {
        qaio_future_cancel(fut);
        qaio_future_unref(fut);
        return failed(QAIO_ENOMEM);
    }
    return fut;
}

extern "C" qaio_future *qaio_qobject_signal_future(qaio_loop *loop, void *qobject,
                                                   const char *signal, double timeout_s)
{
    return qaio_qobject_signal_future_ex(loop, qobject, signal, timeout_s, nullptr, nullptr);
}

extern "C" int qaio_qobject_bind_task(qaio_future *task, void *qobject)
{
    if (!task || !qobject)
        return QAIO_EINVAL;
    int err = qaio__check_loop(qaio_future_loop(task));
    if (err)
        return err;
    if (qaio_future_done(task))
        return 0;
    auto *conn = new (std::nothrow) QMetaObject::Connection;
    if (!conn)
        return QAIO_ENOMEM;
    err = qaio_future_add_done_callback(task, unbind, conn);
    if (err) {
        delete conn;
        return err;
    }
    // The done-callback runs from a later pass, so *conn is set before it.
    *conn = QObject::connect(static_cast<QObject *>(qobject), &QObject::destroyed,
                             CancelOnDestroyed(task));
    return 0;
}

extern "C" int qaio_qobject_spawn_detached(qaio_loop *loop, void *context, const char *name,
                                           qaio_task_fn fn, void *arg, qaio_dtor arg_dtor)
{
    int err = !loop || !fn ? QAIO_EINVAL : qaio__check_loop(loop);
    auto *d = err ? nullptr : new (std::nothrow) Detached{arg, arg_dtor};
    qaio_future *task = nullptr;
    if (!err && !d)
        err = QAIO_ENOMEM;
    if (!err && !(task = qaio_spawn_named(loop, name, 0, fn, arg)))
        err = -errno;
    // A task starts in the next pass and a cancelled one never starts, so
    // until the done-callback is in place arg is still ours to free.
    if (!err && context)
        err = qaio_qobject_bind_task(task, context);
    if (!err)
        err = qaio_future_add_done_callback(task, detachedDone, d);
    if (err) {
        if (task)
            qaio_future_cancel(task);
        qaio_future_unref(task);
        delete d;
        if (arg_dtor)
            arg_dtor(arg);
        return err;
    }
    qaio_future_unref(task); // the running task keeps itself alive
    return 0;
}
