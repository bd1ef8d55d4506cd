// The bad-input audit of qaio/qobject.h: one row per function (see audit.h).
// test_qt covers the semantics.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_qobject_signal_future", [] {
         EXPECT_NULL(qaio_qobject_signal_future(nullptr, qobj, "destroyed()", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, nullptr, "destroyed()", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, nullptr, 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, "noSuchSignal()", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, "", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, "destroyed()", NAN), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(X.loop, qobj, "destroyed()", 1), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_qobject_signal_future(W.loop, qobj, "destroyed()", 1); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_qobject_signal_future_ex", [] {
         EXPECT_NULL(qaio_qobject_signal_future_ex(nullptr, qobj, "destroyed()", 1, nullptr, nullptr),
                     EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future_ex(W.loop, qobj, "timeout(", 1, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future_ex(W.loop, qobj, "destroyed()", NAN, nullptr, nullptr),
                     EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future_ex(X.loop, qobj, "destroyed()", 1, nullptr, nullptr),
                     -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] {
                    return qaio_qobject_signal_future_ex(W.loop, qobj, "destroyed()", 1, nullptr, nullptr);
                }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_qobject_bind_task", [] {
         EXPECT(qaio_qobject_bind_task(nullptr, qobj), QAIO_EINVAL);
         EXPECT(qaio_qobject_bind_task(W.fut, nullptr), QAIO_EINVAL);
         EXPECT(qaio_qobject_bind_task(X.fut, qobj), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_qobject_bind_task(W.fut, qobj); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_qobject_spawn_detached", [] {
         // Every failure hands arg back through arg_dtor, exactly once.
         int freed = 0;
         EXPECT(qaio_qobject_spawn_detached(nullptr, qobj, "x", noopTask, &freed, countDtor), QAIO_EINVAL);
         EXPECT(qaio_qobject_spawn_detached(W.loop, qobj, "x", nullptr, &freed, countDtor), QAIO_EINVAL);
         EXPECT(qaio_qobject_spawn_detached(X.loop, qobj, "x", noopTask, &freed, countDtor), QAIO_ECLOSED);
         EXPECT(elsewhere([&] {
                    return qaio_qobject_spawn_detached(W.loop, qobj, "x", noopTask, &freed, countDtor);
                }),
                QAIO_EWRONGTHREAD);
         EXPECT(freed, 4);
     }},
};
const RegisterRows registered("qobject.h", rows);
} // namespace
