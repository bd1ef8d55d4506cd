// Bad input on every public function of error.h, loop.h and future.h: an
// error code, never a crash.
#include "testutil.h"

#include <cmath>
#include <thread>

namespace {
void noop(void *) {}
void noopDone(qaio_future *, void *) {}
}

class TestBadInput : public QObject {
    Q_OBJECT
private slots:
    void errors()
    {
        QCOMPARE(QString(qaio_strerror(0)), QString("success"));
        QCOMPARE(QString(qaio_strerror(QAIO_ETIMEDOUT)), QString("operation timed out"));
        QCOMPARE(QString(qaio_err_name(QAIO_ECANCELED)), QString("ECANCELED"));
        QCOMPARE(QString(qaio_strerror(-99999)), QString("unknown error"));
        QCOMPARE(QString(qaio_err_name(12345)), QString("UNKNOWN"));
        QCOMPARE(int(QAIO_EINVAL), -EINVAL);
        // qaio's own conditions have their own names and values, outside
        // errno's range: a real EPERM or ESHUTDOWN is never one of them.
        QCOMPARE(QString(qaio_err_name(QAIO_ECLOSED)), QString("ECLOSED"));
        QCOMPARE(QString(qaio_err_name(QAIO_EWRONGTHREAD)), QString("EWRONGTHREAD"));
        QCOMPARE(QString(qaio_err_name(QAIO_ESTOPPED)), QString("ESTOPPED"));
        QCOMPARE(QString(qaio_err_name(QAIO_EPERM)), QString("EPERM"));
        QCOMPARE(QString(qaio_strerror(QAIO_ECLOSED)), QString("loop or object is closed"));
        QCOMPARE(QString(qaio_err_name(QAIO_ELOOP)), QString("ELOOP"));
        for (int own : {int(QAIO_ECLOSED), int(QAIO_EWRONGTHREAD), int(QAIO_ESTOPPED)}) {
            QVERIFY(own <= -4000);
            for (int e : {EPERM, ESHUTDOWN, EINTR})
                QVERIFY(own != -e);
        }
    }

    void nullLoop()
    {
        QCOMPARE(qaio_loop_run_forever(nullptr), int(QAIO_EINVAL));
        qaio_loop_stop(nullptr);
        QCOMPARE(qaio_loop_run_until_complete(nullptr, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_loop_close(nullptr), int(QAIO_EINVAL));
        QVERIFY(qaio_loop_time(nullptr) > 0);
        QCOMPARE(qaio_call_soon(nullptr, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_later(nullptr, 0, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_at(nullptr, 0, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_soon_threadsafe(nullptr, noop, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_cancel(nullptr, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_loop_set_debug(nullptr, true, 0.1), int(QAIO_EINVAL));
        errno = 0;
        QVERIFY(qaio_future_new(nullptr) == nullptr);
        QCOMPARE(errno, EINVAL);
    }

    void badArguments()
    {
        qaio_loop *L = qaio_loop_get();
        QCOMPARE(qaio_call_soon(L, nullptr, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_later(L, -1, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_later(L, NAN, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_later(L, INFINITY, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_at(L, NAN, noop, nullptr), qaio_handle(0));
        QCOMPARE(qaio_call_soon_threadsafe(L, nullptr, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_loop_set_debug(L, true, -1), int(QAIO_EINVAL));
        QCOMPARE(qaio_loop_set_debug(L, true, NAN), int(QAIO_EINVAL));
        QCOMPARE(qaio_loop_run_until_complete(L, nullptr), int(QAIO_EINVAL));
        // A future of another loop cannot be run to completion here.
        qaio_future *foreign = nullptr;
        std::thread([&] { foreign = qaio_future_new(qaio_loop_get()); }).join();
        QCOMPARE(qaio_loop_run_until_complete(L, foreign), int(QAIO_EINVAL));
        qaio_future_unref(foreign);
    }

    void nullFuture()
    {
        QVERIFY(qaio_future_ref(nullptr) == nullptr);
        qaio_future_unref(nullptr);
        QCOMPARE(qaio_future_set_result(nullptr, nullptr, nullptr), int(QAIO_EINVAL));
        // A NULL future still takes ownership of the value it was handed.
        Counted::freed = 0;
        QCOMPARE(qaio_future_set_result(nullptr, new Counted{1}, Counted::dtor), int(QAIO_EINVAL));
        QCOMPARE(Counted::freed.load(), 1);
        QCOMPARE(qaio_future_set_error(nullptr, QAIO_EIO, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_cancel(nullptr), int(QAIO_EINVAL));
        QVERIFY(!qaio_future_done(nullptr));
        QVERIFY(!qaio_future_cancelled(nullptr));
        QCOMPARE(qaio_future_error(nullptr), 0);
        QVERIFY(qaio_future_error_message(nullptr) == nullptr);
        QVERIFY(qaio_future_loop(nullptr) == nullptr);
        QCOMPARE(qaio_future_add_done_callback(nullptr, noopDone, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_remove_done_callback(nullptr, noopDone, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_result(nullptr, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_result_timeout(nullptr, 1, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_try_result(nullptr, nullptr), int(QAIO_EINVAL));
    }

    void badFutureArguments()
    {
        qaio_future *f = qaio_future_new(qaio_loop_get());
        QCOMPARE(qaio_future_add_done_callback(f, nullptr, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_remove_done_callback(f, nullptr, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_future_remove_done_callback(f, noopDone, nullptr), 0);
        QCOMPARE(qaio_future_result_timeout(f, NAN, nullptr), int(QAIO_EINVAL));
        qaio_future_unref(f);
    }

    void wrongThread()
    {
        qaio_loop *L = qaio_loop_get();
        qaio_future *f = qaio_future_new(L);
        std::thread([&] {
            QCOMPARE(qaio_call_soon(L, noop, nullptr), qaio_handle(0));
            QCOMPARE(qaio_call_later(L, 0, noop, nullptr), qaio_handle(0));
            QCOMPARE(qaio_cancel(L, 1), int(QAIO_EWRONGTHREAD));
            QCOMPARE(qaio_loop_run_forever(L), int(QAIO_EWRONGTHREAD));
            QCOMPARE(qaio_loop_run_until_complete(L, f), int(QAIO_EWRONGTHREAD));
            QCOMPARE(qaio_loop_close(L), int(QAIO_EWRONGTHREAD));
            QCOMPARE(qaio_loop_set_debug(L, true, 1), int(QAIO_EWRONGTHREAD));
            QCOMPARE(qaio_future_add_done_callback(f, noopDone, nullptr), int(QAIO_EWRONGTHREAD));
            QCOMPARE(qaio_future_remove_done_callback(f, noopDone, nullptr), int(QAIO_EWRONGTHREAD));
            // ...while the thread-safe ones work.
            QCOMPARE(qaio_future_set_result(f, (void *)1, nullptr), 0);
        }).join();
        void *v;
        QCOMPARE(qaio_future_result(f, &v), 0);
        qaio_future_unref(f);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
