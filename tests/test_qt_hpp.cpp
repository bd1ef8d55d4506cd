// qaio/qt.hpp's C++ forms of the calls that take a callback and a void *:
// each callable (and what it captured) is freed exactly once, on every
// path -- run, failed call, cancellation, closed loop, thread exit -- and a
// task's exception becomes its error. Plus asyncSlot's handle on its tasks.
#include "testutil.h"

#include <qaio/qt.hpp>
#include <stdexcept>
#include <thread>
#ifdef QAIO_TEST_INSTR
#include <qaio/instr.h>
#endif

namespace {
qaio_loop *L;

// A capture that counts its live copies: back to 0 means freed, once
// (a double free would take it below 0).
struct Live {
    static inline int count = 0;
    Live() { ++count; }
    Live(const Live &) { ++count; }
    Live(Live &&) noexcept { ++count; }
    Live &operator=(const Live &) = default;
    ~Live() { --count; }
};
} // namespace

class Emitter : public QObject {
    Q_OBJECT
signals:
    void go(int n);
};

class TestQtHpp : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        L = qaio_loop_get();
        Live::count = 0;
    }
    void cleanup() { QCOMPARE(Live::count, 0); }

    void spawnRunsACallableWithCaptures()
    {
        int seen = 0;
        qaio::FuturePtr t = qaio::spawn(
            L,
            [&seen, live = Live()] {
                int err = qaio_sleep(0.01);
                seen = 42;
                return err;
            },
            "capturing");
        QVERIFY(t);
        QCOMPARE(QByteArray(qaio_task_name(t.get())), QByteArray("capturing"));
        QCOMPARE(Live::count, 1); // one copy, on the heap
        QCOMPARE(qaio_await(t.get(), nullptr), 0);
        QCOMPARE(seen, 42);
        QVERIFY(runUntil([] { return Live::count == 0; }));

        // Taking the task's own future: a result of the callable's making.
        qaio::FuturePtr r = qaio::spawn(L, [live = Live()](qaio_future *self) {
            return qaio_future_set_result(self, new int(7),
                                          [](void *p) { delete static_cast<int *>(p); });
        });
        int *value = nullptr;
        QCOMPARE(qaio::await(r, &value), 0);
        QCOMPARE(*value, 7);
    }

    void aThrownExceptionBecomesTheTaskError()
    {
        qaio::FuturePtr t = qaio::spawn(L, [live = Live()]() -> int {
            qaio_sleep(0.001);
            throw std::runtime_error("probe exploded");
        });
        QCOMPARE(qaio_await(t.get(), nullptr), int(QAIO_EIO));
        QCOMPARE(QByteArray(qaio_future_error_message(t.get())), QByteArray("probe exploded"));
        qaio::FuturePtr u = qaio::spawn(L, [] { throw 3; });
        QCOMPARE(qaio_await(u.get(), nullptr), int(QAIO_EIO));
        QCOMPARE(QByteArray(qaio_future_error_message(u.get())),
                 QByteArray("unknown C++ exception"));
        QVERIFY(runUntil([] { return Live::count == 0; }));
    }

    void aTaskCancelledBeforeItStartsFreesItsCallable()
    {
        bool ran = false;
        qaio::FuturePtr t = qaio::spawn(L, [&ran, live = Live()] { ran = true; });
        QCOMPARE(qaio_future_cancel(t.get()), 1);
        QCOMPARE(qaio_await(t.get(), nullptr), int(QAIO_ECANCELED));
        QVERIFY(runUntil([] { return Live::count == 0; }));
        QVERIFY(!ran);
    }

    void failedCallsFreeTheCallableAtOnce()
    {
        std::thread([] {
            errno = 0;
            QVERIFY(!qaio::spawn(L, [live = Live()] { return 0; }));
            QCOMPARE(errno, -QAIO_EWRONGTHREAD);
            QCOMPARE(qaio::callSoon(L, [live = Live()] {}), qaio_handle(0));
            QCOMPARE(qaio::callLater(L, 0.1, [live = Live()] {}), qaio_handle(0));
            QCOMPARE(Live::count, 0);
        }).join();
        QCOMPARE(qaio::callLater(L, -1, [live = Live()] {}), qaio_handle(0)); // bad delay
        QCOMPARE(qaio::addDoneCallback(nullptr, [live = Live()](qaio_future *) {}),
                 int(QAIO_EINVAL));
        QCOMPARE(Live::count, 0);
    }

    void callSoonAndLaterRunInOrderThenFree()
    {
        std::vector<int> order;
        QVERIFY(qaio::callLater(L, 0.02, [&order, live = Live()] { order.push_back(3); }));
        QVERIFY(qaio::callSoon(L, [&order, live = Live()] { order.push_back(1); }));
        QVERIFY(qaio::callSoon(nullptr, [&order, live = Live()] { order.push_back(2); }));
        QCOMPARE(Live::count, 3);
        QVERIFY(runUntil([&] { return order.size() == 3; }));
        QCOMPARE(order, (std::vector<int>{1, 2, 3}));
        QCOMPARE(Live::count, 0);
    }

    void cancelCallFreesTheCallable()
    {
        bool ran = false;
        qaio_handle h = qaio::callLater(L, 0.01, [&ran, live = Live()] { ran = true; });
        QCOMPARE(Live::count, 1);
        QCOMPARE(qaio::cancelCall(L, h), 1);
        QCOMPARE(Live::count, 0);
        QCOMPARE(qaio::cancelCall(L, h), 0); // twice is harmless
        QCOMPARE(qaio_sleep(0.03), 0);
        QVERIFY(!ran);
    }

    void anExceptionInACallbackIsReported()
    {
        QTest::ignoreMessage(QtWarningMsg,
                             "qaio: a call_soon/call_later callable threw: soon failed");
        QVERIFY(qaio::callSoon(L, [live = Live()] { throw std::runtime_error("soon failed"); }));
        QVERIFY(runUntil([] { return Live::count == 0; }));
    }

    void doneCallbacksRunWithTheirFuture()
    {
        qaio::FuturePtr f(qaio_future_new(L));
        qaio_future *seen = nullptr;
        int err = qaio::addDoneCallback(f.get(), [&seen, live = Live()](qaio_future *d) {
            seen = d;
        });
        QCOMPARE(err, 0);
        qaio_future_set_result(f.get(), nullptr, nullptr);
        QVERIFY(runUntil([&] { return seen != nullptr; }));
        QCOMPARE(seen, f.get());
        QCOMPARE(Live::count, 0);
    }

    // A timer dropped by the close and the done-callback of a future freed
    // while pending can never run: closeLoop frees them; a thread's end
    // frees what was left on its loops.
    void callsThatCanNeverRunAreFreedByCloseLoopOrThreadExit()
    {
        std::thread([] {
            qaio_loop *own = qaio_loop_get();
            qaio::FuturePtr t = qaio::spawn(own, [live = Live()] { return qaio_sleep(10); });
            QCOMPARE(qaio_yield(), 0); // the task is asleep
            QVERIFY(qaio::callLater(own, 10, [live = Live()] {}));
            QVERIFY(qaio::callSoon(own, [live = Live()] {}));
            qaio_future *pending = qaio_future_new(own);
            QCOMPARE(qaio::addDoneCallback(pending, [live = Live()](qaio_future *) {}), 0);
            qaio_future_unref(pending); // freed pending: its callback will never run
            QCOMPARE(Live::count, 4);
            QCOMPARE(qaio::closeLoop(own), 0); // cancels the task: its callable goes too
            QCOMPARE(Live::count, 0);
        }).join();
        std::thread([] {
            qaio_loop *own = qaio_loop_get();
            QVERIFY(qaio::callLater(own, 10, [live = Live()] {}));
            QCOMPARE(Live::count, 1);
        }).join();
        QCOMPARE(Live::count, 0);
    }

    void asyncSlotHandsBackItsRunningTasks()
    {
        Emitter e;
        LogCapture log;
        qaio::AsyncSlot slot = qaio::asyncSlot(&e, &Emitter::go, this, [live = Live()](int n) {
            if (n < 0)
                throw std::runtime_error("negative");
            return qaio_sleep(n);
        });
        QVERIFY(bool(slot.connection()));
        QCOMPARE(slot.running(), 0);
        QVERIFY(!slot.latest());

        emit e.go(10);
        QCOMPARE(slot.running(), 1); // known at once, before it starts
        qaio::FuturePtr first = slot.latest();
        QVERIFY(first);
        QCOMPARE(qaio_yield(), 0);
        emit e.go(10);
        QCOMPARE(slot.running(), 2);
        QVERIFY(slot.latest().get() != first.get());
        QCOMPARE(slot.cancel(), 2); // the Stop button
        QCOMPARE(qaio_await(first.get(), nullptr), int(QAIO_ECANCELED));
        QVERIFY(runUntil([&] { return slot.running() == 0; }));
        QCOMPARE(slot.cancel(), 0);

        emit e.go(-1); // the exception is the task's error, for whoever awaits it
        qaio::FuturePtr failing = slot.latest();
        QCOMPARE(qaio_await(failing.get(), nullptr), int(QAIO_EIO));
        QCOMPARE(QByteArray(qaio_future_error_message(failing.get())), QByteArray("negative"));
        failing.reset();
        first.reset();
        QCOMPARE(qaio_sleep(0.01), 0);
        QVERIFY2(log.lines.isEmpty(), qPrintable(log.lines.join('\n'))); // retrieved: quiet

        QCOMPARE(Live::count, 1); // the slot's function lives as long as the connection
        QMetaObject::Connection c = slot; // still usable as a plain connection
        QVERIFY(QObject::disconnect(c));
        emit e.go(1);
        QCOMPARE(slot.running(), 0);
        QVERIFY(runUntil([] { return Live::count == 0; }));
    }

#ifdef QAIO_TEST_INSTR
    void runSingleCallsAStepCallable()
    {
        qaio_scope_settings s;
        qaio_scope_settings_default(&s);
        s.trigger = QAIO_TRIG_FORCE;
        s.points = 256;
        qaio_instrument *scope = qaio_scope_new(L, &s);
        QVERIFY(scope);
        qaio_run_options o;
        qaio_run_options_default(&o);
        o.averages = 4;
        std::vector<unsigned> steps;
        qaio::FuturePtr run = qaio::runSingle(scope, o, [&steps, live = Live()](
                                                            const qaio_trace *avg, unsigned k,
                                                            unsigned n) {
            QCOMPARE(n, 4u);
            QVERIFY(avg->n == 256);
            steps.push_back(k);
        });
        QVERIFY(run);
        qaio_trace *curve = nullptr;
        QCOMPARE(qaio::await(run, &curve), 0);
        QCOMPARE(curve->averages, 4u);
        QCOMPARE(steps, (std::vector<unsigned>{1, 2, 3, 4}));
        QVERIFY(runUntil([] { return Live::count == 0; }));

        // A throwing step cancels the run.
        QTest::ignoreMessage(QtWarningMsg, "qaio: a run_single step threw: enough");
        qaio::FuturePtr stopped = qaio::runSingle(scope, o, [live = Live()](const qaio_trace *,
                                                                           unsigned k, unsigned) {
            if (k == 2)
                throw std::runtime_error("enough");
        });
        QCOMPARE(qaio_await(stopped.get(), nullptr), int(QAIO_ECANCELED));
        QVERIFY(runUntil([] { return Live::count == 0; }));

        // The instrument is busy in a run: the call fails, the step is freed.
        auto ignore = [live = Live()](const qaio_trace *, unsigned, unsigned) {};
        qaio::FuturePtr busy = qaio::runSingle(scope, o, ignore);
        QCOMPARE(Live::count, 2); // ours and the running one's
        errno = 0;
        QVERIFY(!qaio::runSingle(scope, o, ignore));
        QCOMPARE(errno, EBUSY);
        QCOMPARE(Live::count, 2); // the failed call's copy is gone
        QCOMPARE(qaio_await(busy.get(), nullptr), 0);
        QVERIFY(runUntil([] { return Live::count == 1; }));
        run.reset();
        stopped.reset();
        busy.reset();
        QCOMPARE(qaio_instrument_free(scope), 0);
    }
#endif
};

QTEST_GUILESS_MAIN(TestQtHpp)
#include "test_qt_hpp.moc"
