// The Qt bridge: signal futures (C and typed), tasks bound to objects,
// asyncSlot, and their cleanup on every path.
#include "testutil.h"

#include <QProcess>
#include <QThread>
#include <qaio/qobject.h>
#include <qaio/qt.hpp>
#include <stdexcept>
#include <thread>

class Emitter : public QObject {
    Q_OBJECT
public:
    // How many connections qaio (or anyone) holds on our signals.
    int listeners() const { return receivers(SIGNAL(valueChanged(int))); }
    int destroyedListeners() const { return receivers(SIGNAL(destroyed(QObject *))); }
signals:
    void valueChanged(int value);
    void named(const QString &name, int n);
    void pinged();
};

namespace {
qaio_loop *L;

struct AwaitProbe {
    qaio_future *fut;
    int result = 1;
    bool inTask = false;
};
int awaiter(void *arg, qaio_future *)
{
    auto *p = static_cast<AwaitProbe *>(arg);
    p->inTask = qaio_in_task();
    p->result = qaio_await(p->fut, nullptr);
    return 0;
}

struct SleepProbe {
    double seconds;
    int result = 1;
};
int sleeper(void *arg, qaio_future *)
{
    auto *p = static_cast<SleepProbe *>(arg);
    p->result = qaio_sleep(p->seconds);
    return p->result;
}

// Emits after the caller started waiting, from a later loop turn.
void emitLater(Emitter *e, int value, int ms = 10)
{
    QTimer::singleShot(ms, e, [e, value] { emit e->valueChanged(value); });
}

int freedArgs = 0;
void freeArg(void *p)
{
    freedArgs++;
    delete static_cast<int *>(p);
}
} // namespace

class TestQt : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void completesOnNextEmissionOnly()
    {
        Emitter e;
        emit e.valueChanged(1); // before the future: must not count
        qaio_future *f = qaio_qobject_signal_future(L, &e, "valueChanged(int)", 5);
        QVERIFY(f);
        emit e.pinged(); // another signal: must not count
        QCOMPARE(qaio_yield(), 0);
        QVERIFY(!qaio_future_done(f));
        emitLater(&e, 2);
        LoopChecker checker(1);
        void *v = (void *)1;
        QCOMPARE(qaio_future_result(f, &v), 0);
        QCOMPARE(v, nullptr);
        QVERIFY(checker.ticks() >= 1); // Qt kept running while we waited
        QVERIFY(runUntil([&] { return e.listeners() == 0; })); // disconnected
        QCOMPARE(e.destroyedListeners(), 0);
        qaio_future_unref(f);
    }

    void acceptsSignalMacroAndUnnormalizedSignatures()
    {
        Emitter e;
        qaio_future *a = qaio_qobject_signal_future(L, &e, SIGNAL(valueChanged(int)), 5);
        qaio_future *b = qaio_qobject_signal_future(L, &e, " valueChanged ( int ) ", 5);
        qaio_future *c = qaio_qobject_signal_future(L, &e, "named(QString,int)", 5);
        QVERIFY(a && b && c);
        static bool ran;
        ran = false;
        auto mark = [](qaio_future *, void *) { ran = true; };
        QCOMPARE(qaio_future_add_done_callback(a, mark, nullptr), 0);
        emit e.valueChanged(3);
        QVERIFY(qaio_future_done(a)); // completed by the emission...
        QVERIFY(!ran);                // ...but its waiters run from a fresh pass
        emit e.named("x", 1);
        QCOMPARE(qaio_future_result(a, nullptr), 0);
        QCOMPARE(qaio_future_result(b, nullptr), 0);
        QCOMPARE(qaio_future_result(c, nullptr), 0);
        for (auto f : {a, b, c})
            qaio_future_unref(f);
    }

    void typedValueCarriesTheArguments()
    {
        Emitter e;
        qaio::FuturePtr f = qaio::signalFuture(&e, &Emitter::named, 5);
        QVERIFY(f);
        QTimer::singleShot(5, &e, [&e] { emit e.named(QStringLiteral("trace"), 42); });
        qaio::SignalArgs<decltype(&Emitter::named)> *args = nullptr;
        QCOMPARE(qaio::await(f, &args), 0);
        QCOMPARE(std::get<0>(*args), QStringLiteral("trace"));
        QCOMPARE(std::get<1>(*args), 42);
        // A private signal (QTimer::timeout has a QPrivateSignal tag).
        QTimer timer;
        timer.setSingleShot(true);
        qaio::FuturePtr t = qaio::signalFuture(&timer, &QTimer::timeout, 5);
        QVERIFY(t);
        static_assert(std::tuple_size_v<qaio::SignalArgs<decltype(&QTimer::timeout)>> == 0);
        timer.start(1);
        QCOMPARE(qaio_await(t.get(), nullptr), 0);
    }

    void timesOut()
    {
        Emitter e;
        QElapsedTimer clock;
        clock.start();
        qaio_future *f = qaio_qobject_signal_future(L, &e, "valueChanged(int)", 0.05);
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_ETIMEDOUT));
        QVERIFY(clock.elapsed() >= 49);
        QVERIFY(QString(qaio_future_error_message(f)).contains("valueChanged(int)"));
        QVERIFY(runUntil([&] { return e.listeners() == 0; }));
        emit e.valueChanged(1); // after the timeout: harmless
        QCOMPARE(qaio_future_error(f), int(QAIO_ETIMEDOUT));
        qaio_future_unref(f);
    }

    void senderDestroyedFailsAnAwaitingTask()
    {
        auto *e = new Emitter;
        AwaitProbe p{qaio_qobject_signal_future(L, e, "valueChanged(int)", QAIO_FOREVER)};
        qaio_future *task = qaio_spawn(L, awaiter, &p);
        QTimer::singleShot(10, [e] { delete e; });
        QCOMPARE(qaio_future_result_timeout(task, 5, nullptr), 0);
        QVERIFY(p.inTask);
        QCOMPARE(p.result, int(QAIO_ECANCELED));
        QVERIFY(qaio_future_cancelled(p.fut));
        qaio_future_unref(task);
        qaio_future_unref(p.fut);
        QCOMPARE(qaio_yield(), 0); // let the cleanup run
    }

    void senderDestroyedFailsANestedResult()
    {
        auto *e = new Emitter;
        qaio_future *f = qaio_qobject_signal_future(L, e, "valueChanged(int)", QAIO_FOREVER);
        QTimer::singleShot(10, [e] { delete e; });
        LoopChecker checker(1);
        QCOMPARE(qaio_future_result_timeout(f, 5, nullptr), int(QAIO_ECANCELED));
        QVERIFY(checker.ticks() >= 1);
        qaio_future_unref(f);
        QCOMPARE(qaio_yield(), 0);
    }

    void emissionFromAnotherThread()
    {
        QThread worker;
        worker.start();
        auto *e = new Emitter;
        e->moveToThread(&worker);
        qaio::FuturePtr f = qaio::signalFuture(e, &Emitter::valueChanged, 5);
        static Qt::HANDLE doneOn;
        doneOn = nullptr;
        QCOMPARE(qaio_future_add_done_callback(
                     f.get(), [](qaio_future *, void *) { doneOn = QThread::currentThreadId(); },
                     nullptr),
                 0);
        static Qt::HANDLE emittedOn;
        QMetaObject::invokeMethod(e, [e] {
            emittedOn = QThread::currentThreadId();
            emit e->valueChanged(7);
        });
        std::tuple<int> *args = nullptr;
        QCOMPARE(qaio::await(f, &args), 0);
        QCOMPARE(std::get<0>(*args), 7);
        QVERIFY(emittedOn != QThread::currentThreadId());
        QVERIFY(runUntil([] { return doneOn != nullptr; }));
        QCOMPARE(doneOn, QThread::currentThreadId()); // callbacks on the loop thread

        // Destroyed on the worker thread while the loop thread waits.
        qaio_future *g = qaio_qobject_signal_future(L, e, "valueChanged(int)", 5);
        QMetaObject::invokeMethod(e, [e] { delete e; });
        QCOMPARE(qaio_future_result(g, nullptr), int(QAIO_ECANCELED));
        qaio_future_unref(g);
        worker.quit();
        QVERIFY(worker.wait(5000));
        QCOMPARE(qaio_yield(), 0);
    }

    void manyEmittersRaceTheTimeout()
    {
        // Emissions from a plain thread racing timeouts: exactly one outcome
        // each, nothing leaks (ASan) and no race is reported (TSan).
        Emitter e;
        std::atomic<bool> stop{false};
        std::thread t([&] {
            for (int i = 0; !stop; i++) {
                emit e.valueChanged(i);
                std::this_thread::sleep_for(std::chrono::microseconds(300));
            }
        });
        int outcomes[2] = {0, 0};
        for (int i = 0; i < 60; i++) {
            double timeout = 0.0005 * (i % 3);
            qaio_future *f = qaio_qobject_signal_future(L, &e, "valueChanged(int)", timeout);
            int err = qaio_future_result_timeout(f, 5, nullptr);
            QVERIFY2(err == 0 || err == QAIO_ETIMEDOUT, qaio_err_name(err));
            outcomes[err == 0]++;
            qaio_future_unref(f);
        }
        stop = true;
        t.join();
        QVERIFY(outcomes[1] > 0); // the emissions did win some
        QVERIFY(runUntil([&] { return e.listeners() == 0 && e.destroyedListeners() == 0; }));
    }

    void userCancelOrUnrefBeforeEmission()
    {
        Emitter e;
        qaio_future *f = qaio_qobject_signal_future(L, &e, "valueChanged(int)", QAIO_FOREVER);
        QCOMPARE(e.listeners(), 1);
        QCOMPARE(qaio_future_cancel(f), 1);
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_ECANCELED));
        qaio_future_unref(f);
        QVERIFY(runUntil([&] { return e.listeners() == 0 && e.destroyedListeners() == 0; }));
        emit e.valueChanged(1); // harmless

        // Cancelled by a wait_for that timed out inside a task.
        static qaio_future *g;
        g = qaio_qobject_signal_future(L, &e, "valueChanged(int)", QAIO_FOREVER);
        auto waitBriefly = [](void *, qaio_future *) { return qaio_wait_for(g, 0.01, nullptr); };
        qaio_future *task = qaio_spawn(L, waitBriefly, nullptr);
        QCOMPARE(qaio_future_result_timeout(task, 5, nullptr), int(QAIO_ETIMEDOUT));
        QVERIFY(qaio_future_cancelled(g));
        qaio_future_unref(task);
        qaio_future_unref(g);
        QVERIFY(runUntil([&] { return e.listeners() == 0; }));

        // Dropped without cancelling: the next emission completes and frees it.
        qaio_future *h = qaio_qobject_signal_future(L, &e, "valueChanged(int)", QAIO_FOREVER);
        qaio_future_unref(h);
        QCOMPARE(e.listeners(), 1);
        emit e.valueChanged(2);
        QVERIFY(runUntil([&] { return e.listeners() == 0 && e.destroyedListeners() == 0; }));
        emit e.valueChanged(3);
    }

    void bindTaskCancelsWhenContextDies()
    {
        auto *ctx = new Emitter;
        SleepProbe p{10};
        qaio_future *task = qaio_spawn(L, sleeper, &p);
        QCOMPARE(qaio_qobject_bind_task(task, ctx), 0);
        QCOMPARE(ctx->destroyedListeners(), 1);
        QTimer::singleShot(10, [ctx] { delete ctx; });
        QCOMPARE(qaio_future_result_timeout(task, 5, nullptr), int(QAIO_ECANCELED));
        QCOMPARE(p.result, int(QAIO_ECANCELED));
        qaio_future_unref(task);

        // A task that finishes first leaves no binding behind.
        Emitter other;
        SleepProbe quick{0.001};
        task = qaio_spawn(L, sleeper, &quick);
        QCOMPARE(qaio_qobject_bind_task(task, &other), 0);
        QCOMPARE(qaio_future_result(task, nullptr), 0);
        QVERIFY(runUntil([&] { return other.destroyedListeners() == 0; }));
        QCOMPARE(qaio_qobject_bind_task(task, &other), 0); // done: nothing to bind
        QCOMPARE(other.destroyedListeners(), 0);
        qaio_future_unref(task);
    }

    void asyncSlotRunsATaskPerEmission()
    {
        Emitter e;
        static std::vector<int> seen;
        static int inTask;
        seen.clear();
        inTask = 0;
        qaio::asyncSlot(&e, &Emitter::valueChanged, this, [](int v) {
            inTask += qaio_in_task();
            int err = qaio_sleep(0.01); // each emission may wait on its own
            if (err)
                return err;
            seen.push_back(v);
            return 0;
        });
        LoopChecker checker(1);
        LogCapture log;
        emit e.valueChanged(1);
        emit e.valueChanged(2);
        emit e.valueChanged(3);
        QVERIFY(runUntil([] { return seen.size() == 3; }));
        QCOMPARE(inTask, 3);
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, (std::vector<int>{1, 2, 3}));
        QVERIFY(log.lines.isEmpty());
    }

    void asyncSlotReportsErrorsAndStaysQuietOnCancel()
    {
        Emitter e;
        auto *ctx = new QObject;
        LogCapture log;
        static int cancelled;
        cancelled = 0;
        qaio::asyncSlot(&e, &Emitter::named, ctx, [](const QString &what, int n) {
            if (what == "fail")
                return int(QAIO_EPROTO);
            if (what == "throw")
                throw std::runtime_error("probe exploded");
            int err = qaio_sleep(n);
            cancelled += err == QAIO_ECANCELED;
            return err;
        });
        emit e.named("fail", 0);
        emit e.named("throw", 0);
        QVERIFY(runUntil([&] { return log.lines.size() >= 2; }));
        QString all = log.lines.join('\n');
        QVERIFY2(all.contains("slot named(QString,int)"), qPrintable(all));
        QVERIFY2(all.contains("EPROTO"), qPrintable(all));
        QVERIFY2(all.contains("probe exploded") && all.contains("EIO"), qPrintable(all));

        log.lines.clear();
        emit e.named("sleep", 10);
        QCOMPARE(qaio_sleep(0.01), 0); // the task is asleep now
        delete ctx;                      // bound: its task is cancelled
        QVERIFY(runUntil([] { return cancelled == 1; }));
        QCOMPARE(qaio_sleep(0.01), 0);
        QVERIFY2(log.lines.isEmpty(), qPrintable(log.lines.join('\n')));
        emit e.named("fail", 0); // the connection died with its context
        QCOMPARE(qaio_sleep(0.01), 0);
        QVERIFY(log.lines.isEmpty());
    }

    void asyncSlotDetachedOutlivesContext()
    {
        Emitter e;
        auto *ctx = new QObject;
        static int finished;
        finished = 0;
        qaio::asyncSlot(
            &e, &Emitter::pinged, ctx,
            [] {
                int err = qaio_sleep(0.02);
                finished += err == 0;
                return err;
            },
            qaio::SlotTasks::Detached);
        emit e.pinged();
        QCOMPARE(qaio_yield(), 0);
        delete ctx;
        QVERIFY(runUntil([] { return finished == 1; }));
    }

    // qaio used after its application object was destroyed: the thread's
    // Qt dispatcher is gone, and qaio_sleep(0.01) spun in a dead QEventLoop
    // for ever. Now the loop is closed with the application.
    void useAfterTheApplicationIsGoneFailsWithEclosed()
    {
        QProcess child;
        child.start(QCoreApplication::applicationDirPath() + "/app_gone_child", QStringList());
        bool finished = child.waitForFinished(10000);
        if (!finished)
            child.kill();
        QVERIFY2(finished, "the child hung");
        QCOMPARE(child.exitCode(), 0);
        QCOMPARE(QString(child.readAllStandardOutput()),
                 QString("with the application: sleep OK\n"
                         "sleep ECLOSED\n"
                         "future_new ECLOSED\n"
                         "run_forever ECLOSED\n"
                         "same loop yes\n"
                         "close OK\n"));
    }

    void badArgumentsAreErrors()
    {
        Emitter e;
        errno = 0;
        QVERIFY(!qaio_qobject_signal_future(nullptr, &e, "valueChanged(int)", 1));
        QCOMPARE(errno, EINVAL);
        QVERIFY(!qaio_qobject_signal_future(L, nullptr, "valueChanged(int)", 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, nullptr, 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "", 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "noSuchSignal()", 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "valueChanged(QString)", 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "valueChanged", 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "deleteLater()", 1)); // a slot
        QVERIFY(!qaio_qobject_signal_future(L, &e, SLOT(deleteLater()), 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "valueChanged(int", 1));
        QVERIFY(!qaio_qobject_signal_future(L, &e, "valueChanged(int)", std::nan("")));
        QCOMPARE(errno, EINVAL);
        QCOMPARE(e.listeners(), 0);
        std::thread([&e] {
            errno = 0;
            QVERIFY(!qaio_qobject_signal_future(L, &e, "valueChanged(int)", 1));
            QCOMPARE(errno, -QAIO_EWRONGTHREAD);
        }).join();
        QVERIFY(!qaio::signalFuture(static_cast<Emitter *>(nullptr), &Emitter::valueChanged));
        QCOMPARE(errno, EINVAL);

        qaio_future *f = qaio_future_new(L);
        QCOMPARE(qaio_qobject_bind_task(nullptr, &e), int(QAIO_EINVAL));
        QCOMPARE(qaio_qobject_bind_task(f, nullptr), int(QAIO_EINVAL));
        std::thread([f, &e] { QCOMPARE(qaio_qobject_bind_task(f, &e), int(QAIO_EWRONGTHREAD)); }).join();
        qaio_future_unref(f);

        freedArgs = 0;
        auto noop = [](void *, qaio_future *) { return 0; };
        QCOMPARE(qaio_qobject_spawn_detached(nullptr, nullptr, "x", noop, new int(1), freeArg),
                 int(QAIO_EINVAL));
        QCOMPARE(qaio_qobject_spawn_detached(L, nullptr, "x", nullptr, new int(1), freeArg),
                 int(QAIO_EINVAL));
        QCOMPARE(freedArgs, 2); // ownership passed: freed on failure too
        QCOMPARE(qaio_qobject_spawn_detached(L, &e, "x", noop, new int(1), freeArg), 0);
        QVERIFY(runUntil([] { return freedArgs == 3; }));
        QVERIFY(runUntil([&] { return e.destroyedListeners() == 0; }));
    }
};

QTEST_GUILESS_MAIN(TestQt)
#include "test_qt.moc"
