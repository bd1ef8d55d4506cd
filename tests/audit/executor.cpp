// The bad-input audit of qaio/executor.h: one row per function (see audit.h).
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_run_in_executor", [] {
         EXPECT_NULL(qaio_run_in_executor(nullptr, noopJob, nullptr), EINVAL);
         EXPECT_NULL(qaio_run_in_executor(W.loop, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_run_in_executor(X.loop, noopJob, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_run_in_executor(W.loop, noopJob, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_executor_call", [] {
         EXPECT_NULL(qaio_executor_call(nullptr, noopJobFn, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_executor_call(W.loop, nullptr, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_executor_call(X.loop, noopJobFn, nullptr, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_executor_call(W.loop, noopJobFn, nullptr, nullptr); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_executor_set_max_threads", [] {
         EXPECT(qaio_executor_set_max_threads(0), QAIO_EINVAL);
         EXPECT(qaio_executor_set_max_threads(INT_MIN), QAIO_EINVAL);
     }},
};
const RegisterRows registered("executor.h", rows);
} // namespace
