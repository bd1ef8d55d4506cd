// The bad-input audit of qaio/task.h: one row per function (see audit.h).
// test_task covers the semantics (and its badInput the task-specific cases).
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_spawn", [] {
         EXPECT_NULL(qaio_spawn(X.loop, noopTask, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_spawn(W.loop, noopTask, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_spawn_named", [] {
         EXPECT_NULL(qaio_spawn_named(W.loop, "x", SIZE_MAX, noopTask, nullptr), EINVAL);
         EXPECT_NULL(qaio_spawn_named(W.loop, "x", 0, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_spawn_named(X.loop, nullptr, 0, noopTask, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_spawn_named(W.loop, "x", 0, noopTask, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_await", [] {
         EXPECT(qaio_await(X.fut, nullptr), QAIO_ECLOSED);
         EXPECT(qaio_await(closedTask, nullptr), QAIO_ECANCELED); // the close cancelled it
     }},
    {"qaio_sleep", [] {
         EXPECT(qaio_sleep(INFINITY), QAIO_EINVAL);
         EXPECT(qaio_sleep(-INFINITY), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_sleep(NAN); }), QAIO_EINVAL);
     }},
    {"qaio_yield", [] { EXPECT(qaio_yield(), 0); }},
    {"qaio_in_task", [] { QVERIFY(!elsewhere([] { return qaio_in_task(); })); }},
    {"qaio_current_task", [] { QVERIFY(!elsewhere([] { return qaio_current_task(); })); }},
    {"qaio_task_name", [] {
         QVERIFY(!qaio_task_name(nullptr));
         QVERIFY(!qaio_task_name(X.fut));
         QVERIFY(qaio_task_name(closedTask));
     }},
    {"qaio_run", [] {
         auto inner = [](void *, qaio_future *) { return qaio_run(noopTask, nullptr, nullptr); };
         qaio_future *t = qaio_spawn(W.loop, inner, nullptr);
         EXPECT(qaio_future_result(t, nullptr), QAIO_EBUSY); // not from inside a task
         qaio_future_unref(t);
     }},
    {"qaio_gather", [] {
         qaio_future *fs[2] = {W.fut, nullptr};
         EXPECT_NULL(qaio_gather(fs, 2), EINVAL);
         fs[1] = X.fut; // another loop's
         EXPECT_NULL(qaio_gather(fs, 2), EINVAL);
         qaio_future *xs[1] = {X.fut};
         EXPECT_NULL(qaio_gather(xs, 1), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_gather(&W.fut, 1); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_wait_for", [] {
         EXPECT(qaio_wait_for(W.fut, NAN, nullptr), QAIO_EINVAL);
         EXPECT(qaio_wait_for(X.fut, 1, nullptr), QAIO_ECLOSED);
         // Any thread, as qaio_future_result: a timeout there cancels too.
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(elsewhere([f] { return qaio_wait_for(f, 0.001, nullptr); }), QAIO_ETIMEDOUT);
         QVERIFY(qaio_future_cancelled(f));
         qaio_future_unref(f);
     }},
    {"qaio_wait_any", [] {
         size_t idx = 7;
         EXPECT(qaio_wait_any(&W.fut, 0, 1, &idx), QAIO_EINVAL);
         qaio_future *fs[2] = {W.fut, nullptr};
         EXPECT(qaio_wait_any(fs, 2, 1, &idx), QAIO_EINVAL);
         EXPECT(qaio_wait_any(&W.fut, 1, NAN, &idx), QAIO_EINVAL);
         EXPECT(qaio_wait_any(&X.fut, 1, 1, &idx), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_wait_any(&W.fut, 1, 1, nullptr); }), QAIO_EWRONGTHREAD);
         QCOMPARE(idx, size_t(7));
     }},
    {"qaio_task_group_new", [] {
         EXPECT_NULL(qaio_task_group_new(X.loop), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_task_group_new(W.loop); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_group_spawn", [] {
         EXPECT_NULL(qaio_task_group_spawn(W.group, "x", nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_task_group_spawn(X.group, "x", noopTask, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_task_group_spawn(W.group, "x", noopTask, nullptr); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_group_wait", [] {
         EXPECT(qaio_task_group_wait(W.group, NAN), QAIO_EINVAL);
         EXPECT(qaio_task_group_wait(X.group, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_task_group_wait(W.group, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_group_cancel", [] {
         EXPECT(qaio_task_group_cancel(X.group), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_task_group_cancel(W.group); }), QAIO_EWRONGTHREAD);
         // Refused, so the group still takes children.
         qaio_future *f = qaio_task_group_spawn(W.group, "after", noopTask, nullptr);
         QVERIFY(f);
         EXPECT(qaio_task_group_wait(W.group, 5), 0);
         qaio_future_unref(f);
     }},
    {"qaio_task_group_error", [] {
         EXPECT(qaio_task_group_error(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_task_group_error(W.group); }), 0); // a read
     }},
    {"qaio_task_group_free", [] {
         // Elsewhere it cannot wait for the children: it does nothing (the
         // group stays usable); NULL is ignored.
         qaio_task_group *g = qaio_task_group_new(W.loop);
         qaio_future *f = qaio_task_group_spawn(g, "sleeper", [](void *, qaio_future *) {
             return qaio_sleep(10);
         }, nullptr);
         {
             LogCapture log;
             std::thread([g] { qaio_task_group_free(g); }).join();
             QCOMPARE(log.lines.size(), 1);
             QVERIFY(log.lines[0].contains("ignored"));
         }
         QVERIFY(!qaio_future_done(f));
         qaio_task_group_free(g);
         QVERIFY(qaio_future_cancelled(f));
         qaio_future_unref(f);
         qaio_task_group_free(nullptr);
     }},
};
const RegisterRows registered("task.h", rows);
} // namespace
