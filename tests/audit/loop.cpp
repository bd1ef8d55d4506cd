// The bad-input audit of qaio/loop.h: one row per function (see audit.h).
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_loop_get", [] {
         // After close the thread's next get makes a fresh, working loop.
         bool fresh = elsewhere([] {
             qaio_loop *a = qaio_loop_get();
             qaio_loop_close(a);
             qaio_loop *b = qaio_loop_get();
             bool ok = b && b != a && qaio_call_soon(b, noop, nullptr) != 0;
             qaio_loop_close(b);
             return ok;
         });
         QVERIFY(fresh);
     }},
    {"qaio_loop_run_forever", [] {
         EXPECT(qaio_loop_run_forever(nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_run_forever(X.loop), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_loop_run_forever(W.loop); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_loop_stop", [] {
         qaio_loop_stop(nullptr);
         qaio_loop_stop(X.loop);
         // Ignored elsewhere: it must not make the next run return early.
         std::thread([] { qaio_loop_stop(W.loop); }).join();
         static bool stopRan;
         stopRan = false;
         qaio_call_later(W.loop, 0.005, [](void *) { stopRan = true; qaio_loop_stop(W.loop); }, nullptr);
         EXPECT(qaio_loop_run_forever(W.loop), 0);
         QVERIFY(stopRan);
     }},
    {"qaio_loop_run_until_complete", [] {
         EXPECT(qaio_loop_run_until_complete(nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_run_until_complete(W.loop, nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_run_until_complete(X.loop, X.fut), QAIO_ECLOSED);
         EXPECT(qaio_loop_run_until_complete(W.loop, X.fut), QAIO_EINVAL); // not its future
         // Nor a future of a loop that still runs on another thread.
         qaio_future *foreign = nullptr;
         std::thread([&] { foreign = qaio_future_new(qaio_loop_get()); }).join();
         EXPECT(qaio_loop_run_until_complete(W.loop, foreign), QAIO_EINVAL);
         qaio_future_unref(foreign);
         EXPECT(elsewhere([] { return qaio_loop_run_until_complete(W.loop, W.fut); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_loop_close", [] {
         EXPECT(qaio_loop_close(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_loop_close(W.loop); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_loop_close(X.loop), 0); // twice: 0
         static int busy;
         busy = 0;
         qaio_call_soon(W.loop, [](void *) {
             busy = qaio_loop_close(W.loop);
             qaio_loop_stop(W.loop);
         }, nullptr);
         qaio_loop_run_forever(W.loop);
         EXPECT(busy, QAIO_EBUSY);
     }},
    {"qaio_loop_time", [] {
         QVERIFY(qaio_loop_time(nullptr) > 0);
         QVERIFY(qaio_loop_time(X.loop) > 0);
     }},
    {"qaio_call_soon", [] {
         EXPECT(qaio_call_soon(nullptr, noop, nullptr), 0);
         EXPECT(qaio_call_soon(W.loop, nullptr, nullptr), 0);
         EXPECT(qaio_call_soon(X.loop, noop, nullptr), 0);
         EXPECT(elsewhere([] { return qaio_call_soon(W.loop, noop, nullptr); }), 0);
     }},
    {"qaio_call_later", [] {
         EXPECT(qaio_call_later(nullptr, 0, noop, nullptr), 0);
         EXPECT(qaio_call_later(W.loop, -1, noop, nullptr), 0);
         EXPECT(qaio_call_later(W.loop, NAN, noop, nullptr), 0);
         EXPECT(qaio_call_later(W.loop, INFINITY, noop, nullptr), 0);
         EXPECT(qaio_call_later(X.loop, 0, noop, nullptr), 0);
         EXPECT(qaio_call_later(W.loop, -INFINITY, noop, nullptr), 0);
         EXPECT(elsewhere([] { return qaio_call_later(W.loop, 0, noop, nullptr); }), 0);
     }},
    {"qaio_call_at", [] {
         EXPECT(qaio_call_at(nullptr, 0, noop, nullptr), 0);
         EXPECT(qaio_call_at(W.loop, NAN, noop, nullptr), 0);
         EXPECT(qaio_call_at(X.loop, 0, noop, nullptr), 0);
         EXPECT(qaio_call_at(W.loop, 0, nullptr, nullptr), 0);
     }},
    {"qaio_call_soon_threadsafe", [] {
         EXPECT(qaio_call_soon_threadsafe(nullptr, noop, nullptr), QAIO_EINVAL);
         EXPECT(qaio_call_soon_threadsafe(W.loop, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_call_soon_threadsafe(X.loop, noop, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_call_soon_threadsafe(X.loop, noop, nullptr); }), QAIO_ECLOSED);
     }},
    {"qaio_cancel", [] {
         EXPECT(qaio_cancel(nullptr, 1), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_cancel(W.loop, 1); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_cancel(X.loop, 1), QAIO_ECLOSED);
         EXPECT(qaio_cancel(W.loop, 0), 0);
         EXPECT(qaio_cancel(W.loop, ~qaio_handle(0)), 0); // never issued
     }},
    {"qaio_loop_set_debug", [] {
         EXPECT(qaio_loop_set_debug(nullptr, true, 0.1), QAIO_EINVAL);
         EXPECT(qaio_loop_set_debug(W.loop, true, -1), QAIO_EINVAL);
         EXPECT(qaio_loop_set_debug(W.loop, true, NAN), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_loop_set_debug(W.loop, true, 1); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_loop_set_debug(X.loop, true, 1), QAIO_ECLOSED);
         EXPECT(qaio_loop_set_debug(W.loop, true, INFINITY), QAIO_EINVAL);
     }},
    {"qaio_set_log_hook", [] {
         // Any thread; NULL restores the default.
         std::thread([] { qaio_set_log_hook(nullptr, nullptr); }).join();
         qaio_set_log_hook(nullptr, nullptr);
     }},
};
const RegisterRows registered("loop.h", rows);
} // namespace
