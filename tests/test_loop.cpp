// The loop: ordering, timers, cancellation, stop/run semantics, liveness.
#include "testutil.h"

#include <QEventLoop>
#include <vector>

namespace {
std::vector<int> order;
qaio_loop *L;

void push(void *arg) { order.push_back(int(intptr_t(arg))); }
void stopLoop(void *) { qaio_loop_stop(L); }
}

class TestLoop : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        L = qaio_loop_get();
        QVERIFY(L);
        order.clear();
    }

    void getIsPerThreadAndStable() { QCOMPARE(qaio_loop_get(), L); }

    void callSoonIsFifo()
    {
        for (intptr_t i = 0; i < 1000; i++)
            QVERIFY(qaio_call_soon(L, push, (void *)i) != 0);
        qaio_call_soon(L, stopLoop, nullptr);
        QCOMPARE(qaio_loop_run_forever(L), 0);
        QCOMPARE(order.size(), size_t(1000));
        for (int i = 0; i < 1000; i++)
            QCOMPARE(order[i], i);
    }

    // What a callback schedules runs in the next pass, after what was
    // already queued (asyncio's _run_once rule).
    void scheduledFromCallbackRunsNextPass()
    {
        static auto first = [](void *) {
            order.push_back(1);
            qaio_call_soon(L, push, (void *)3);
        };
        qaio_call_soon(L, first, nullptr);
        qaio_call_soon(L, push, (void *)2);
        qaio_call_later(L, 0.02, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(order, (std::vector<int>{1, 2, 3}));
    }

    void callLaterOrdersByDeadlineThenFifo()
    {
        qaio_call_later(L, 0.030, push, (void *)3);
        qaio_call_later(L, 0.010, push, (void *)1);
        double when = qaio_loop_time(L) + 0.020;
        for (intptr_t i = 20; i < 25; i++) // ties run in scheduling order
            qaio_call_at(L, when, push, (void *)i);
        qaio_call_later(L, 0, push, (void *)0);
        qaio_call_later(L, 0.040, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(order, (std::vector<int>{0, 1, 20, 21, 22, 23, 24, 3}));
    }

    void timersNeverFireEarly()
    {
        struct Probe {
            double due;
            double late = -1;
        };
        static std::vector<Probe> probes(200);
        static int remaining;
        remaining = int(probes.size());
        auto fire = [](void *arg) {
            auto *p = static_cast<Probe *>(arg);
            p->late = qaio_loop_time(L) - p->due;
            if (--remaining == 0)
                qaio_loop_stop(L);
        };
        for (size_t i = 0; i < probes.size(); i++) {
            double delay = 0.0005 + 0.0001 * double(i % 50); // 0.5 .. 5.4 ms
            probes[i].due = qaio_loop_time(L) + delay;
            QVERIFY(qaio_call_later(L, delay, fire, &probes[i]));
        }
        qaio_loop_run_forever(L);
        for (const Probe &p : probes)
            QVERIFY2(p.late >= 0, qPrintable(QString("fired %1 ms early").arg(-p.late * 1e3)));
    }

    void callAtInThePastRunsNextPass()
    {
        qaio_call_at(L, qaio_loop_time(L) - 10, push, (void *)7);
        qaio_call_soon(L, stopLoop, nullptr);
        qaio_call_later(L, 0.01, stopLoop, nullptr); // in case the order is wrong
        qaio_loop_run_forever(L);
        qaio_loop_run_forever(L);
        QCOMPARE(order, std::vector<int>{7});
    }

    void cancelBeforeRun()
    {
        qaio_handle a = qaio_call_soon(L, push, (void *)1);
        qaio_handle b = qaio_call_later(L, 0.001, push, (void *)2);
        qaio_call_soon(L, push, (void *)3);
        QCOMPARE(qaio_cancel(L, a), 1);
        QCOMPARE(qaio_cancel(L, b), 1);
        QCOMPARE(qaio_cancel(L, a), 0); // twice is harmless
        qaio_call_later(L, 0.01, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(order, std::vector<int>{3});
    }

    void cancelAfterRunIsHarmless()
    {
        qaio_handle a = qaio_call_soon(L, push, (void *)1);
        qaio_handle b = qaio_call_later(L, 0, push, (void *)2);
        qaio_call_later(L, 0.005, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(qaio_cancel(L, a), 0);
        QCOMPARE(qaio_cancel(L, b), 0);
        // The timer's slot is reused by a new timer: the old handle must not
        // cancel it.
        qaio_handle c = qaio_call_later(L, 0, push, (void *)3);
        QCOMPARE(qaio_cancel(L, b), 0);
        qaio_call_later(L, 0.005, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(order, (std::vector<int>{1, 2, 3}));
        QCOMPARE(qaio_cancel(L, c), 0);
        QCOMPARE(qaio_cancel(L, 0), 0);
        QCOMPARE(qaio_cancel(L, 12345678), 0);
    }

    // Two timers due in the same pass: the first cancels the second.
    void expiredTimerCancelledByAnotherDoesNotRun()
    {
        static qaio_handle second;
        auto first = [](void *) {
            order.push_back(1);
            QCOMPARE(qaio_cancel(L, second), 1);
        };
        double when = qaio_loop_time(L) + 0.002;
        qaio_call_at(L, when, first, nullptr);
        second = qaio_call_at(L, when, push, (void *)2);
        qaio_call_later(L, 0.010, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(order, std::vector<int>{1});
    }

    void manyTimersCancelled()
    {
        std::vector<qaio_handle> hs;
        for (int i = 0; i < 100000; i++)
            hs.push_back(qaio_call_later(L, 1 + i * 1e-6, push, (void *)1));
        for (qaio_handle h : hs)
            QCOMPARE(qaio_cancel(L, h), 1);
        qaio_call_later(L, 0.005, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QVERIFY(order.empty());
    }

    // stop() ends qaio's run only: the QEventLoop around it keeps running.
    void stopInsideNestedLoopLeavesOuterRunning()
    {
        QEventLoop outer;
        bool runReturned = false, outerStillRunning = false;
        QTimer::singleShot(0, [&] {
            qaio_call_later(L, 0.005, stopLoop, nullptr);
            qaio_loop_run_forever(L);
            runReturned = true;
            QTimer::singleShot(20, [&] {
                outerStillRunning = outer.isRunning();
                outer.quit();
            });
        });
        QTimer::singleShot(5000, &outer, &QEventLoop::quit); // watchdog
        outer.exec();
        QVERIFY(runReturned);
        QVERIFY(outerStillRunning);
    }

    // A dialog-style QEventLoop inside a callback of run_forever: stop()
    // must not quit it; run_forever returns once it is closed.
    void stopDoesNotQuitDialogLoop()
    {
        static bool dialogClosedByUs;
        dialogClosedByUs = false;
        auto openDialog = [](void *) {
            QEventLoop d;
            qaio_call_later(L, 0.005, stopLoop, nullptr);
            QTimer::singleShot(40, [&] {
                dialogClosedByUs = true;
                d.quit();
            });
            d.exec();
        };
        qaio_call_soon(L, openDialog, nullptr);
        qaio_loop_run_forever(L);
        QVERIFY(dialogClosedByUs);
    }

    // A callback that runs a foreign nested loop (a modal dialog's exec()):
    // calls queued behind it, and calls scheduled from Qt slots inside the
    // dialog, still run while the dialog is open.
    void foreignNestedLoopInsideCallbackStillRunsQaioCalls()
    {
        static QEventLoop *dialog;
        static bool queuedRan, scheduledRan, timedOut;
        queuedRan = scheduledRan = timedOut = false;
        auto openDialog = [](void *) {
            QEventLoop d;
            dialog = &d;
            QTimer::singleShot(5, [] {
                qaio_call_soon(L, [](void *) {
                    scheduledRan = true;
                    if (queuedRan)
                        dialog->quit();
                }, nullptr);
            });
            QTimer::singleShot(3000, [&d] { timedOut = true; d.quit(); });
            d.exec();
            dialog = nullptr;
            qaio_loop_stop(L);
        };
        qaio_call_soon(L, openDialog, nullptr);
        qaio_call_soon(L, [](void *) { queuedRan = true; }, nullptr);
        qaio_loop_run_forever(L);
        QVERIFY(queuedRan);
        QVERIFY(scheduledRan);
        QVERIFY(!timedOut);
    }

    void stopBeforeRunRunsOnePass()
    {
        qaio_call_soon(L, push, (void *)1);
        qaio_loop_stop(L);
        QCOMPARE(qaio_loop_run_forever(L), 0);
        QCOMPARE(order, std::vector<int>{1});
    }

    // A flood of chained callbacks must not starve Qt: a 1 ms QTimer keeps
    // ticking (the drain yields every ~2 ms).
    void qtTimerTicksDuringMillionChainedCallbacks()
    {
        static int left;
        left = 1000000;
        static void (*step)(void *) = [](void *) {
            if (--left > 0)
                qaio_call_soon(L, step, nullptr);
            else
                qaio_loop_stop(L);
        };
        LoopChecker checker(1);
        double cpu0 = threadCpuMs();
        qaio_call_soon(L, step, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(left, 0);
        // At least one tick per 5 ms the loop thread spent on the chain. CPU
        // time, not wall time: being preempted by other processes on a busy
        // machine is not starvation.
        double ms = threadCpuMs() - cpu0;
        QVERIFY2(checker.ticks() >= int(ms / 5), qPrintable(QString("%1 ticks in %2 ms of CPU, max gap %3 ms")
                                                     .arg(checker.ticks()).arg(ms).arg(checker.maxGapMs())));
    }

    void workRunsInsideAppExecWithNoExtraCall()
    {
        static bool ran;
        ran = false;
        qaio_call_soon(L, [](void *) { ran = true; QCoreApplication::exit(0); }, nullptr);
        QTimer::singleShot(5000, [] { QCoreApplication::exit(1); });
        QCOMPARE(QCoreApplication::exec(), 0);
        QVERIFY(ran);
    }

    void debugModeReportsSlowCallbacks()
    {
        LogCapture log;
        QCOMPARE(qaio_loop_set_debug(L, true, 0.02), 0);
        qaio_call_soon(L, [](void *) { QThread::msleep(30); }, nullptr);
        qaio_call_soon(L, [](void *) {}, nullptr);
        qaio_call_soon(L, stopLoop, nullptr);
        qaio_loop_run_forever(L);
        QCOMPARE(qaio_loop_set_debug(L, false, 0.1), 0);
        QCOMPARE(log.lines.size(), 1);
        QVERIFY2(log.lines[0].contains("slow callback") && log.lines[0].contains(" ms"),
                 qPrintable(log.lines[0]));
    }

    void timeIsMonotonicSeconds()
    {
        double a = qaio_loop_time(L);
        QThread::msleep(10);
        double b = qaio_loop_time(L);
        QVERIFY(b - a >= 0.009 && b - a < 1.0);
    }

    void closeDropsPendingAndLaterCallsFail()
    {
        QCOMPARE(qaio_call_soon(L, push, (void *)1) != 0, true);
        QCOMPARE(qaio_call_later(L, 0.001, push, (void *)2) != 0, true);
        QCOMPARE(qaio_loop_close(L), 0);
        QCOMPARE(qaio_loop_close(L), 0);
        QCOMPARE(qaio_call_soon(L, push, (void *)3), qaio_handle(0));
        QCOMPARE(qaio_call_later(L, 0, push, (void *)3), qaio_handle(0));
        QCOMPARE(qaio_call_soon_threadsafe(L, push, (void *)3), int(QAIO_ECLOSED));
        QCOMPARE(qaio_loop_run_forever(L), int(QAIO_ECLOSED));
        QCOMPARE(qaio_cancel(L, 1), int(QAIO_ECLOSED));
        QVERIFY(qaio_future_new(L) == nullptr);
        qaio_loop *fresh = qaio_loop_get();
        QVERIFY(fresh && fresh != L);
        QCoreApplication::processEvents();
        QThread::msleep(5);
        QCoreApplication::processEvents();
        QVERIFY(order.empty());
    }
};

QTEST_GUILESS_MAIN(TestLoop)
#include "test_loop.moc"
