// Futures: single assignment, ownership, callbacks, nested result().
#include "testutil.h"

#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <algorithm>
#include <vector>

namespace {
qaio_loop *L;
std::vector<int> order;

struct Setter {
    qaio_future *f;
    int value;
};
void setLater(void *arg)
{
    auto *s = static_cast<Setter *>(arg);
    qaio_future_set_result(s->f, (void *)(intptr_t)s->value, nullptr);
}
}

class TestFuture : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        L = qaio_loop_get();
        order.clear();
    }

    void singleAssignment()
    {
        qaio_future *f = qaio_future_new(L);
        QVERIFY(!qaio_future_done(f));
        QCOMPARE(qaio_future_try_result(f, nullptr), int(QAIO_EAGAIN));
        QCOMPARE(qaio_future_set_result(f, (void *)1, nullptr), 0);
        QCOMPARE(qaio_future_set_result(f, (void *)2, nullptr), int(QAIO_EALREADY));
        QCOMPARE(qaio_future_set_error(f, QAIO_EIO, "x"), int(QAIO_EALREADY));
        QCOMPARE(qaio_future_cancel(f), 0);
        void *v = nullptr;
        QCOMPARE(qaio_future_try_result(f, &v), 0);
        QCOMPARE(v, (void *)1);
        QVERIFY(qaio_future_done(f) && !qaio_future_cancelled(f));
        qaio_future_unref(f);
    }

    void valueDestructorRunsExactlyOnce()
    {
        Counted::freed = 0;
        qaio_future *f = qaio_future_new(L);
        qaio_future_ref(f);
        QCOMPARE(qaio_future_set_result(f, new Counted{42}, Counted::dtor), 0);
        // A losing set_result still takes ownership: its value is freed.
        QCOMPARE(qaio_future_set_result(f, new Counted{43}, Counted::dtor), int(QAIO_EALREADY));
        QCOMPARE(Counted::freed.load(), 1);
        void *v;
        QCOMPARE(qaio_future_try_result(f, &v), 0);
        QCOMPARE(static_cast<Counted *>(v)->value, 42);
        qaio_future_unref(f);
        QCOMPARE(Counted::freed.load(), 1);
        qaio_future_unref(f);
        QCOMPARE(Counted::freed.load(), 2);
    }

    // A second unref of a freed future is undefined behaviour; builds
    // without NDEBUG catch it and abort naming the future (it used to
    // corrupt the heap and crash later in an unrelated malloc). The test
    // runs itself as the child that does it.
    void secondUnrefAbortsNamingTheTask()
    {
#ifdef NDEBUG
        QSKIP("the check is compiled in only without NDEBUG (Debug builds)");
#endif
        if (qEnvironmentVariableIsSet("QAIO_TEST_SECOND_UNREF")) {
            qaio_future *t = qaio_spawn_named(L, "twice", 0, [](void *, qaio_future *) { return 0; },
                                              nullptr);
            QCOMPARE(qaio_loop_run_until_complete(L, t), 0);
            qaio_future_unref(t);
            qaio_future_unref(t); // aborts
            QFAIL("a second unref returned");
        }
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QAIO_TEST_SECOND_UNREF", "1");
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {"secondUnrefAbortsNamingTheTask"});
        QVERIFY(child.waitForFinished(30000));
        QByteArray err = child.readAllStandardError();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY2(err.contains("qaio: qaio_future_unref: task 'twice' 0x") &&
                     err.contains("was already freed (one qaio_future_unref too many)"),
                 err.constData());
    }

    void errorAndMessage()
    {
        qaio_future *f = qaio_future_new(L);
        QCOMPARE(qaio_future_set_error(f, QAIO_ETIMEDOUT, "instrument silent"), 0);
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_ETIMEDOUT));
        QCOMPARE(QString(qaio_future_error_message(f)), QString("instrument silent"));
        QCOMPARE(qaio_future_error(f), int(QAIO_ETIMEDOUT));
        qaio_future_unref(f);
        // set_error refuses non-errors and cancellation (use cancel()).
        f = qaio_future_new(L);
        QCOMPARE(qaio_future_set_error(f, 0, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_set_error(f, 5, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_set_error(f, QAIO_ECANCELED, nullptr), int(QAIO_EINVAL));
        qaio_future_unref(f);
    }

    void cancellation()
    {
        qaio_future *f = qaio_future_new(L);
        QCOMPARE(qaio_future_cancel(f), 1);
        QCOMPARE(qaio_future_cancel(f), 0);
        QVERIFY(qaio_future_cancelled(f) && qaio_future_done(f));
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_ECANCELED));
        QCOMPARE(qaio_future_set_result(f, nullptr, nullptr), int(QAIO_EALREADY));
        qaio_future_unref(f);
    }

    void unretrievedErrorIsReportedOnFree()
    {
        LogCapture log;
        qaio_future *f = qaio_future_new(L);
        qaio_future_set_error(f, QAIO_ECONNRESET, "scope went away");
        qaio_future_unref(f);
        QCOMPARE(log.lines.size(), 1);
        QVERIFY(log.lines[0].contains("ECONNRESET") && log.lines[0].contains("scope went away"));
        // Retrieved errors are not reported.
        f = qaio_future_new(L);
        qaio_future_set_error(f, QAIO_EIO, nullptr);
        QCOMPARE(qaio_future_try_result(f, nullptr), int(QAIO_EIO));
        qaio_future_unref(f);
        QCOMPARE(log.lines.size(), 1);
    }

    void doneCallbacksRunLaterInOrder()
    {
        qaio_future *f = qaio_future_new(L);
        auto cb = [](qaio_future *, void *arg) { order.push_back(int(intptr_t(arg))); };
        for (intptr_t i = 0; i < 5; i++)
            QCOMPARE(qaio_future_add_done_callback(f, cb, (void *)i), 0);
        QCOMPARE(qaio_future_remove_done_callback(f, cb, (void *)3), 1);
        qaio_future_set_result(f, nullptr, nullptr);
        QVERIFY(order.empty()); // never inline in set_result
        QVERIFY(runUntil([] { return order.size() == 4; }));
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 4}));
        // Added after completion: scheduled, not run inline.
        qaio_future_add_done_callback(f, cb, (void *)9);
        QCOMPARE(order.size(), size_t(4));
        QVERIFY(runUntil([] { return order.size() == 5; }));
        QCOMPARE(order.back(), 9);
        qaio_future_unref(f);
    }

    // A registration whose turn has not come yet in a run of the callbacks
    // that already started can still be removed, and then never runs. (A
    // task whose wait ended while an earlier callback ran a nested loop
    // removes its wake-up this way; it used to fire anyway and wake the
    // task's next wait, found by test_random_schedule.)
    void removeDuringTheCallbacksRun()
    {
        LoopChecker checker;
        static qaio_future *f;
        f = qaio_future_new(L);
        static auto second = [](qaio_future *, void *) { order.push_back(2); };
        auto first = [](qaio_future *, void *) {
            order.push_back(1);
            order.push_back(qaio_future_remove_done_callback(f, second, nullptr) == 1 ? 10 : -1);
        };
        auto third = [](qaio_future *, void *) { order.push_back(3); };
        qaio_future_add_done_callback(f, first, nullptr);
        qaio_future_add_done_callback(f, second, nullptr);
        qaio_future_add_done_callback(f, third, nullptr);
        qaio_future_set_result(f, nullptr, nullptr);
        QVERIFY(runUntil([] { return order.size() >= 3; }));
        QCOMPARE(qaio_sleep(0.01), 0);
        QCOMPARE(order, (std::vector<int>{1, 10, 3}));
        qaio_future_unref(f);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    // Another thread completes the future while the loop thread keeps
    // adding callbacks: registration order holds.
    void callbacksAddedAfterForeignCompletionKeepOrder()
    {
        qaio_future *f = qaio_future_new(L);
        auto cb = [](qaio_future *, void *arg) { order.push_back(int(intptr_t(arg))); };
        qaio_future_add_done_callback(f, cb, (void *)0);
        std::thread t([f] { qaio_future_set_result(f, nullptr, nullptr); });
        t.join();
        QVERIFY(qaio_future_done(f));
        qaio_future_add_done_callback(f, cb, (void *)1);
        QVERIFY(runUntil([] { return order.size() == 2; }));
        QCOMPARE(order, (std::vector<int>{0, 1}));
        qaio_future_unref(f);
    }

    // Only Qt's own timer completes the future: result() can return only if
    // the nested loop kept serving Qt while it waited.
    void resultSpinsNestedLoop()
    {
#ifdef QAIO_TEST_POLL
        QSKIP("the poll backend's nested loop does not serve Qt's timers");
#endif
        qaio_future *f = qaio_future_new(L);
        int ticks = 0;
        QTimer timer;
        timer.setInterval(1);
        QObject::connect(&timer, &QTimer::timeout, [&] {
            if (++ticks == 3)
                qaio_future_set_result(f, (void *)7, nullptr);
        });
        timer.start();
        void *v = nullptr;
        QCOMPARE(qaio_future_result_timeout(f, 30, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(7));
        QVERIFY(ticks >= 3);
        qaio_future_unref(f);
    }

    void resultWhenAlreadyDoneDoesNotSpin()
    {
        qaio_future *f = qaio_future_new(L);
        qaio_future_set_result(f, (void *)3, nullptr);
        void *v;
        QCOMPARE(qaio_future_result(f, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(3));
        qaio_future_unref(f);
    }

    // result() inside a callback inside result() inside ...: three deep.
    // The innermost future completes last, the outer ones first, so outer
    // waits must not return before their inner waits unwind, and nothing may
    // hang.
    void nestedResultThreeDeep()
    {
        LoopChecker checker;
        static qaio_future *fs[3];
        static int got[3];
        static std::vector<int> returned;
        returned.clear();
        for (auto &f : fs)
            f = qaio_future_new(L);
        static void (*waitOn)(void *) = [](void *arg) {
            int i = int(intptr_t(arg));
            if (i + 1 < 3)
                qaio_call_soon(L, waitOn, (void *)intptr_t(i + 1));
            void *v;
            QCOMPARE(qaio_future_result(fs[i], &v), 0);
            got[i] = int(intptr_t(v));
            returned.push_back(i);
        };
        // Complete outer ones first, the innermost last.
        qaio_call_later(L, 0.005, [](void *) { qaio_future_set_result(fs[0], (void *)10, nullptr); }, nullptr);
        qaio_call_later(L, 0.010, [](void *) { qaio_future_set_result(fs[1], (void *)11, nullptr); }, nullptr);
        qaio_call_later(L, 0.020, [](void *) { qaio_future_set_result(fs[2], (void *)12, nullptr); }, nullptr);
        waitOn((void *)0);
        QCOMPARE(returned, (std::vector<int>{2, 1, 0}));
        QCOMPARE(got[0], 10);
        QCOMPARE(got[1], 11);
        QCOMPARE(got[2], 12);
        for (auto f : fs)
            qaio_future_unref(f);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    // Nested results recursing without end (each one's callback waits in
    // turn) stop at QAIO_MAX_NESTED_WAITS with QAIO_ELOOP; they died with
    // a bare SIGSEGV on the main stack some 20,000 levels down.
    void nestingDepthIsLimited()
    {
        static int depth, deepest, err;
        static const char *top;
        static ptrdiff_t perLevel;
        depth = deepest = err = 0;
        struct Dive {
            static int dive()
            {
                qaio_future *f = qaio_future_new(qaio_loop_get());
                // step holds its own reference: a refused wait returns
                // (and drops ours) before step has run.
                qaio_call_soon(qaio_loop_get(), step, qaio_future_ref(f));
                int e = qaio_future_result(f, nullptr);
                qaio_future_unref(f);
                return e;
            }
            static void step(void *arg)
            {
                char here;
                if (depth == 0)
                    top = &here;
                else if (depth > deepest)
                    perLevel = (top - &here) / depth;
                deepest = std::max(deepest, depth);
                if (err == 0 && depth < 20000) {
                    depth++;
                    int e = dive();
                    depth--;
                    if (e && !err)
                        err = e;
                }
                qaio_future_set_result(static_cast<qaio_future *>(arg), nullptr, nullptr);
                qaio_future_unref(static_cast<qaio_future *>(arg));
            }
        };
        QCOMPARE(Dive::dive(), 0);
        qInfo("nested results stopped at depth %d with %s; %td bytes of stack per level", deepest,
              qaio_err_name(err), perLevel);
        QCOMPARE(err, int(QAIO_ELOOP));
        QVERIFY(deepest > QAIO_MAX_NESTED_WAITS - 10 && deepest < QAIO_MAX_NESTED_WAITS);
    }

    // Nested waits end last in, first out: the outer 50 ms wait returns
    // only after the inner 300 ms one. Debug mode says so, naming the wait
    // and how late it came back (nothing did).
    void nestedWaitHeldPastItsDeadlineIsReported()
    {
        LogCapture log;
        QCOMPARE(qaio_loop_set_debug(L, true, 10.0), 0);
        qaio_future *outer = qaio_future_new(L);
        qaio_call_soon(L, [](void *) { qaio_sleep(0.3); }, nullptr);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_future_result_timeout(outer, 0.05, nullptr), int(QAIO_ETIMEDOUT));
        QVERIFY(t.elapsed() >= 290);
        QCOMPARE(qaio_loop_set_debug(L, false, 0.1), 0);
        QCOMPARE(log.lines.size(), 1);
        const QString &line = log.lines[0];
        QVERIFY2(line.contains(QString("nested wait for future 0x%1").arg(quintptr(outer), 0, 16)) &&
                     line.contains("(depth 1)") && line.contains("after its deadline"),
                 qPrintable(line));
        QRegularExpression late("returned ([0-9.]+) ms after");
        QRegularExpressionMatch m = late.match(line);
        QVERIFY(m.hasMatch() && m.captured(1).toDouble() >= 200);
        qaio_future_unref(outer);
    }

    void resultTimeout()
    {
        LoopChecker checker;
        qaio_future *f = qaio_future_new(L);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_future_result_timeout(f, 0.05, nullptr), int(QAIO_ETIMEDOUT));
        QVERIFY(t.elapsed() >= 49);
        QVERIFY(!qaio_future_done(f)); // a timed-out wait leaves it alone
        QCOMPARE(qaio_future_result_timeout(f, 0, nullptr), int(QAIO_ETIMEDOUT));
        Setter s{f, 5};
        qaio_call_later(L, 0.005, setLater, &s);
        void *v;
        QCOMPARE(qaio_future_result_timeout(f, 5.0, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(5));
        qaio_future_unref(f);
        QVERIFY(checker.ticks() > 5); // the loop kept running while it waited
    }

    // The MyFuture race: the future completes from the very pass that runs
    // just as result() starts waiting.
    void completionJustBeforeNestedExec()
    {
        for (int i = 0; i < 200; i++) {
            qaio_future *f = qaio_future_new(L);
            Setter s{f, i};
            qaio_call_soon(L, setLater, &s);
            void *v;
            QCOMPARE(qaio_future_result_timeout(f, 5.0, &v), 0);
            QCOMPARE(intptr_t(v), intptr_t(i));
            qaio_future_unref(f);
        }
    }

    void resultFromAnotherThread()
    {
        qaio_future *f = qaio_future_new(L);
        std::atomic<int> got{-1};
        std::thread t([&] {
            void *v;
            int err = qaio_future_result(f, &v);
            got = err ? err : int(intptr_t(v));
        });
        QThread::msleep(20);
        QCOMPARE(got.load(), -1);
        qaio_future_set_result(f, (void *)77, nullptr);
        t.join();
        QCOMPARE(got.load(), 77);
        // and with a timeout that expires
        qaio_future *g = qaio_future_new(L);
        std::thread t2([&] { got = qaio_future_result_timeout(g, 0.03, nullptr); });
        t2.join();
        QCOMPARE(got.load(), int(QAIO_ETIMEDOUT));
        qaio_future_cancel(g);
        qaio_future_unref(g);
        qaio_future_unref(f);
    }

    void completeFromAnotherThreadWakesNestedWait()
    {
        LoopChecker checker;
        qaio_future *f = qaio_future_new(L);
        std::thread t([f] {
            QThread::msleep(10);
            qaio_future_set_result(f, (void *)5, nullptr);
        });
        void *v;
        QCOMPARE(qaio_future_result_timeout(f, 5.0, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(5));
        t.join();
        qaio_future_unref(f);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void runUntilComplete()
    {
        LoopChecker checker;
        qaio_future *f = qaio_future_new(L);
        Setter s{f, 1};
        qaio_call_later(L, 0.005, setLater, &s);
        QCOMPARE(qaio_loop_run_until_complete(L, f), 0);
        qaio_future_unref(f);
        // stopped before the future completes
        f = qaio_future_new(L);
        qaio_call_later(L, 0.005, [](void *) { qaio_loop_stop(L); }, nullptr);
        QCOMPARE(qaio_loop_run_until_complete(L, f), int(QAIO_ESTOPPED));
        qaio_future_cancel(f);
        QCOMPARE(qaio_loop_run_until_complete(L, f), int(QAIO_ECANCELED));
        qaio_future_unref(f);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }
};

QTEST_GUILESS_MAIN(TestFuture)
#include "test_future.moc"
