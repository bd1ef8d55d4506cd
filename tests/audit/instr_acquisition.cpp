// The bad-input audit of qaio/instr/acquisition.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_run_options_default", [] { qaio_run_options_default(nullptr); }},
    {"qaio_instrument_run_single", [] {
         EXPECT_NULL(qaio_instrument_run_single(nullptr, 1), EINVAL);
         EXPECT_NULL(qaio_instrument_run_single(I.scope, 0), EINVAL);
         EXPECT(elsewhereErrno([] { return qaio_instrument_run_single(I.scope, 1); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_instrument_run_single_opts", [] {
         qaio_run_options o;
         qaio_run_options_default(&o);
         EXPECT_NULL(qaio_instrument_run_single_opts(I.scope, nullptr), EINVAL);
         eachSpoilt(o, [&](qaio_run_options &b) {
             EXPECT_NULL(qaio_instrument_run_single_opts(I.scope, &b), EINVAL);
         },
                    [](auto &b) { b.averages = 0; },
                    [](auto &b) { b.type = qaio_avg_type(7); },
                    [](auto &b) { b.record_timeout_s = NAN; });
         EXPECT(elsewhereErrno([&] { return qaio_instrument_run_single_opts(I.scope, &o); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_new", [] {
         qaio_run_options o;
         qaio_run_options_default(&o);
         EXPECT_NULL(qaio_continuous_new(nullptr, &o), EINVAL);
         EXPECT_NULL(qaio_continuous_new(I.scope, nullptr), EINVAL);
         o.averages = 0;
         EXPECT_NULL(qaio_continuous_new(I.scope, &o), EINVAL);
         o.averages = 1;
         EXPECT(elsewhereErrno([&] { return qaio_continuous_new(I.scope, &o); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_start", [] {
         EXPECT(qaio_continuous_start(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_continuous_start(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_pause", [] {
         EXPECT(qaio_continuous_pause(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_pause(I.cont), QAIO_EINVAL); // not running
         EXPECT(elsewhere([] { return qaio_continuous_pause(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_resume", [] {
         EXPECT(qaio_continuous_resume(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_resume(I.cont), QAIO_EINVAL); // not paused
         EXPECT(elsewhere([] { return qaio_continuous_resume(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_restart", [] {
         EXPECT(qaio_continuous_restart(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_restart(I.cont), QAIO_EINVAL); // idle
         EXPECT(elsewhere([] { return qaio_continuous_restart(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_set_options", [] {
         qaio_run_options o;
         qaio_run_options_default(&o);
         EXPECT(qaio_continuous_set_options(nullptr, &o), QAIO_EINVAL);
         EXPECT(qaio_continuous_set_options(I.cont, nullptr), QAIO_EINVAL);
         o.averages = 0;
         EXPECT(qaio_continuous_set_options(I.cont, &o), QAIO_EINVAL);
         o.averages = 1;
         EXPECT(elsewhere([&] { return qaio_continuous_set_options(I.cont, &o); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_stop", [] {
         EXPECT(qaio_continuous_stop(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_stop(I.cont), 0); // idle
         EXPECT(elsewhere([] { return qaio_continuous_stop(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_request_stop", [] {
         EXPECT(qaio_continuous_request_stop(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_request_stop(I.cont), 0); // idle
         EXPECT(elsewhere([] { return qaio_continuous_request_stop(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_state", [] { EXPECT(qaio_continuous_state(nullptr), QAIO_RUN_IDLE); }},
    {"qaio_continuous_count", [] { EXPECT(qaio_continuous_count(nullptr), 0); }},
    {"qaio_continuous_error", [] {
         EXPECT(qaio_continuous_error(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_error(I.cont), 0);
     }},
    {"qaio_continuous_read", [] {
         EXPECT(qaio_continuous_read(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_continuous_read(I.cont, nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_read(I.cont, I.trace), QAIO_EAGAIN);
         EXPECT(elsewhere([] { return qaio_continuous_read(I.cont, I.trace); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_free", [] {
         qaio_continuous_free(nullptr);
         // Elsewhere it cannot stop the run: it does nothing.
         std::thread([] { qaio_continuous_free(I.cont); }).join();
         EXPECT(qaio_continuous_state(I.cont), QAIO_RUN_IDLE);
         EXPECT(qaio_continuous_error(I.cont), 0);
     }},
};
const RegisterRows registered("instr/acquisition.h", rows);
} // namespace
