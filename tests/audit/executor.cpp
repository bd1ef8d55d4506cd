// The bad-input audit of qaio/executor.h: one row per function (see audit.h).
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_run_in_executor", [] {
         EXPECT_NULL(qaio_run_in_executor(nullptr, noopJob, nullptr), EINVAL);
         EXPECT_NULL(qaio_run_in_executor(W.loop, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_run_in_executor(X.loop, noopJob, nullptr), ESHUTDOWN);
         EXPECT(elsewhereErrno([] { return qaio_run_in_executor(W.loop, noopJob, nullptr); }), EPERM);
     }},
    {"qaio_executor_call", [] {
         EXPECT_NULL(qaio_executor_call(nullptr, noopJobFn, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_executor_call(W.loop, nullptr, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_executor_call(X.loop, noopJobFn, nullptr, nullptr), ESHUTDOWN);
         EXPECT(elsewhereErrno([] { return qaio_executor_call(W.loop, noopJobFn, nullptr, nullptr); }),
                EPERM);
     }},
    {"qaio_executor_set_max_threads", [] {
         EXPECT(qaio_executor_set_max_threads(0), QAIO_EINVAL);
         EXPECT(qaio_executor_set_max_threads(INT_MIN), QAIO_EINVAL);
     }},
};
const RegisterRows registered("executor.h", rows);
} // namespace
