// The bad-input audit of qaio/introspect.h: one row per function (see audit.h).
// test_introspect covers the semantics.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_loop_tasks", [] {
         qaio_task_info *infos;
         size_t n;
         EXPECT(qaio_loop_tasks(nullptr, &infos, &n), QAIO_EINVAL);
         EXPECT(qaio_loop_tasks(W.loop, nullptr, &n), QAIO_EINVAL);
         EXPECT(qaio_loop_tasks(W.loop, &infos, nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_tasks(X.loop, &infos, &n), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_loop_tasks(W.loop, &infos, &n); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_info_free", [] {
         qaio_task_info_free(nullptr, 0);
         qaio_task_info_free(nullptr, 3);
     }},
    {"qaio_task_info_format", [] {
         qaio_task_info info{};
         char buf[64];
         EXPECT(qaio_task_info_format(nullptr, buf, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_task_info_format(&info, nullptr, sizeof buf), QAIO_EINVAL);
         QVERIFY(qaio_task_info_format(&info, buf, 0) > 0); // the length it needs
     }},
    {"qaio_wait_kind_name", [] {
         QCOMPARE(QByteArray(qaio_wait_kind_name(QAIO_WAIT_LOCK)), QByteArray("lock"));
         QCOMPARE(QByteArray(qaio_wait_kind_name(qaio_wait_kind(-1))), QByteArray("?"));
         QCOMPARE(QByteArray(qaio_wait_kind_name(qaio_wait_kind(1000))), QByteArray("?"));
     }},
    {"qaio_task_state_name", [] {
         QCOMPARE(QByteArray(qaio_task_state_name(QAIO_TASK_WAITING)), QByteArray("waiting"));
         QCOMPARE(QByteArray(qaio_task_state_name(qaio_task_state(-1))), QByteArray("?"));
     }},
    {"qaio_loop_dump_tasks", [] {
         EXPECT(qaio_loop_dump_tasks(nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_dump_tasks(X.loop), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_loop_dump_tasks(W.loop); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_loop_dump_on_signal", [] {
         EXPECT(qaio_loop_dump_on_signal(nullptr, SIGUSR2), QAIO_EINVAL);
         for (int bad : {0, -1, NSIG, SIGKILL})
             EXPECT(qaio_loop_dump_on_signal(W.loop, bad), QAIO_EINVAL);
         EXPECT(qaio_loop_dump_on_signal(X.loop, SIGUSR2), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_loop_dump_on_signal(W.loop, SIGUSR2); }),
                QAIO_EWRONGTHREAD);
     }},
};
const RegisterRows registered("introspect.h", rows);
} // namespace
