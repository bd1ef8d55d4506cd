// The bad-input audit of qaio/future.h: one row per function (see audit.h).
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_future_new", [] {
         EXPECT_NULL(qaio_future_new(nullptr), EINVAL);
         EXPECT_NULL(qaio_future_new(X.loop), -QAIO_ECLOSED);
         qaio_future *f = elsewhere([] { return qaio_future_new(W.loop); }); // any thread
         QVERIFY(f);
         qaio_future_unref(f);
     }},
    {"qaio_future_ref", [] {
         QVERIFY(!qaio_future_ref(nullptr));
         qaio_future *f = elsewhere([] { return qaio_future_ref(X.fut); });
         QCOMPARE(f, X.fut);
         qaio_future_unref(f);
     }},
    {"qaio_future_unref", [] {
         qaio_future *f = qaio_future_new(W.loop);
         std::thread([f] { qaio_future_unref(f); }).join(); // any thread
         qaio_future_unref(nullptr);
     }},
    {"qaio_future_set_result", [] {
         // A closed loop's future still completes (its callbacks can never
         // run) and owns the value; a refused value is destroyed at once.
         int freed = 0;
         qaio_future *f = nullptr;
         std::thread([&] {
             f = qaio_future_new(qaio_loop_get());
             qaio_loop_close(qaio_loop_get());
         }).join();
         EXPECT(qaio_future_set_result(f, &freed, countDtor), 0);
         EXPECT(qaio_future_set_result(f, &freed, countDtor), QAIO_EALREADY);
         EXPECT(freed, 1);
         qaio_future_unref(f);
         EXPECT(freed, 2);
         // A NULL future still takes ownership of the value it was handed.
         Counted::freed = 0;
         EXPECT(qaio_future_set_result(nullptr, new Counted{1}, Counted::dtor), QAIO_EINVAL);
         EXPECT(Counted::freed.load(), 1);
         EXPECT(qaio_future_set_result(nullptr, nullptr, nullptr), QAIO_EINVAL);
         // Any thread.
         f = qaio_future_new(W.loop);
         EXPECT(elsewhere([f] { return qaio_future_set_result(f, (void *)1, nullptr); }), 0);
         void *v = nullptr;
         EXPECT(qaio_future_result(f, &v), 0);
         QCOMPARE(v, (void *)1);
         qaio_future_unref(f);
     }},
    {"qaio_future_set_error", [] {
         EXPECT(qaio_future_set_error(nullptr, QAIO_EIO, nullptr), QAIO_EINVAL);
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(qaio_future_set_error(f, 0, nullptr), QAIO_EINVAL);
         EXPECT(qaio_future_set_error(f, INT_MAX, nullptr), QAIO_EINVAL);
         EXPECT(qaio_future_set_error(f, QAIO_ECANCELED, "no"), QAIO_EINVAL);
         QVERIFY(!qaio_future_done(f));
         qaio_future_unref(f);
     }},
    {"qaio_future_cancel", [] {
         EXPECT(qaio_future_cancel(nullptr), QAIO_EINVAL);
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(elsewhere([f] { return qaio_future_cancel(f); }), 1); // any thread
         EXPECT(qaio_future_cancel(f), 0);
         qaio_future_unref(f);
     }},
    {"qaio_future_done", [] {
         QVERIFY(!qaio_future_done(nullptr));
         QVERIFY(!elsewhere([] { return qaio_future_done(X.fut); }));
     }},
    {"qaio_future_cancelled", [] {
         QVERIFY(!qaio_future_cancelled(nullptr));
         QVERIFY(!qaio_future_cancelled(X.fut));
     }},
    {"qaio_future_error", [] {
         EXPECT(qaio_future_error(nullptr), 0);
         EXPECT(qaio_future_error(X.fut), 0);
     }},
    {"qaio_future_error_message", [] {
         QVERIFY(!qaio_future_error_message(nullptr));
         QVERIFY(!qaio_future_error_message(X.fut));
     }},
    {"qaio_future_loop", [] {
         QVERIFY(!qaio_future_loop(nullptr));
         QCOMPARE(qaio_future_loop(X.fut), X.loop);
     }},
    {"qaio_future_add_done_callback", [] {
         EXPECT(qaio_future_add_done_callback(nullptr, noopDone, nullptr), QAIO_EINVAL);
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(qaio_future_add_done_callback(f, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([f] { return qaio_future_add_done_callback(f, noopDone, nullptr); }),
                QAIO_EWRONGTHREAD);
         qaio_future_unref(f);
         EXPECT(qaio_future_add_done_callback(X.fut, noopDone, nullptr), QAIO_ECLOSED);
     }},
    {"qaio_future_remove_done_callback", [] {
         EXPECT(qaio_future_remove_done_callback(nullptr, noopDone, nullptr), QAIO_EINVAL);
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(qaio_future_remove_done_callback(f, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_future_remove_done_callback(f, noopDone, nullptr), 0); // none: 0
         EXPECT(elsewhere([f] { return qaio_future_remove_done_callback(f, noopDone, nullptr); }),
                QAIO_EWRONGTHREAD);
         qaio_future_unref(f);
         EXPECT(qaio_future_remove_done_callback(X.fut, noopDone, nullptr), QAIO_ECLOSED);
     }},
    {"qaio_future_result", [] {
         EXPECT(qaio_future_result(nullptr, nullptr), QAIO_EINVAL);
         // Nothing can complete it any more: ECLOSED, on any thread.
         EXPECT(qaio_future_result(X.fut, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_future_result(X.fut, nullptr); }), QAIO_ECLOSED);
     }},
    {"qaio_future_result_timeout", [] {
         EXPECT(qaio_future_result_timeout(nullptr, 1, nullptr), QAIO_EINVAL);
         EXPECT(qaio_future_result_timeout(X.fut, 1, nullptr), QAIO_ECLOSED);
         EXPECT(qaio_future_result_timeout(W.fut, NAN, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_future_result_timeout(W.fut, NAN, nullptr); }), QAIO_EINVAL);
         EXPECT(qaio_future_result_timeout(W.fut, 0, nullptr), QAIO_ETIMEDOUT);
     }},
    {"qaio_future_try_result", [] {
         EXPECT(qaio_future_try_result(nullptr, nullptr), QAIO_EINVAL);
         void *v = &v;
         EXPECT(qaio_future_try_result(X.fut, &v), QAIO_EAGAIN);
         QCOMPARE(v, (void *)&v); // untouched
     }},
};
const RegisterRows registered("future.h", rows);
} // namespace
