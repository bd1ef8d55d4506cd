// The bad-input audit of qaio/instr/scope.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_scope_settings_default", [] { qaio_scope_settings_default(nullptr); }},
    {"qaio_scope_new", [] {
         qaio_scope_settings s;
         qaio_scope_settings_default(&s);
         EXPECT_NULL(qaio_scope_new(nullptr, &s), EINVAL);
         eachSpoilt(s, [&](qaio_scope_settings &b) {
             EXPECT_NULL(qaio_scope_new(W.loop, &b), EINVAL);
         },
                    [](auto &b) { b.points = 1; },
                    [](auto &b) { b.rate = NAN; },
                    [](auto &b) { b.channels = 0; },
                    [](auto &b) { b.trigger = QAIO_TRIG_MODE_COUNT; },
                    [](auto &b) { b.trigger_source = 3; },
                    [](auto &b) { b.latency_s = -1; },
                    [](auto &b) { b.auto_timeout_s = NAN; },
                    [](auto &b) { b.pretrigger = 1.5; },
                    [](auto &b) { b.pretrigger = NAN; });
         EXPECT_NULL(qaio_scope_new(X.loop, &s), -QAIO_EWRONGTHREAD); // its thread is gone
         EXPECT(elsewhereErrno([&] { return qaio_scope_new(W.loop, &s); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_set_settings", [] {
         qaio_scope_settings s;
         qaio_scope_settings_default(&s);
         EXPECT(qaio_scope_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scope_set_settings(I.na, &s), QAIO_EINVAL);
         EXPECT(qaio_scope_set_settings(I.scope, nullptr), QAIO_EINVAL);
         s.auto_timeout_s = NAN;
         EXPECT(qaio_scope_set_settings(I.scope, &s), QAIO_EINVAL);
         qaio_scope_settings_default(&s);
         EXPECT(elsewhere([&] { return qaio_scope_set_settings(I.scope, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_get_settings", [] {
         qaio_scope_settings s;
         EXPECT(qaio_scope_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scope_get_settings(I.scope, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_scope_get_settings(I.scope, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_set_signal", [] {
         char msg[64] = "";
         EXPECT(qaio_scope_set_signal(nullptr, 1, "dc level=1", msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 0, "dc level=1", msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 3, "dc level=1", msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 1, nullptr, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 1, "sine", msg, sizeof msg), QAIO_EINVAL); // no freq
         QVERIFY(msg[0]);
         EXPECT(elsewhere([] { return qaio_scope_set_signal(I.scope, 1, "dc level=1", nullptr, 0); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_signal", [] {
         QVERIFY(!qaio_scope_signal(nullptr, 1));
         QVERIFY(!qaio_scope_signal(I.scope, 0));
         QVERIFY(!qaio_scope_signal(I.scope, 3));
     }},
    {"qaio_scope_arm", [] {
         EXPECT(qaio_scope_arm(nullptr), QAIO_EINVAL);
         EXPECT(qaio_scope_arm(I.na), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_scope_arm(I.scope); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_armed", [] { QVERIFY(!qaio_scope_armed(nullptr)); }},
    {"qaio_scope_force", [] {
         EXPECT(qaio_scope_force(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_scope_force(I.scope); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_position", [] { EXPECT(qaio_scope_position(nullptr), 0); }},
    {"qaio_scope_last_start", [] { EXPECT(qaio_scope_last_start(I.na), 0); }},
    {"qaio_trigger_mode_name", [] {
         QVERIFY(!qaio_trigger_mode_name(QAIO_TRIG_MODE_COUNT));
         QVERIFY(!qaio_trigger_mode_name(qaio_trigger_mode(-1)));
     }},
    {"qaio_trigger_mode_parse", [] {
         qaio_trigger_mode m = QAIO_TRIG_SINGLE;
         EXPECT(qaio_trigger_mode_parse(nullptr, &m), QAIO_EINVAL);
         EXPECT(qaio_trigger_mode_parse("auto", nullptr), QAIO_EINVAL);
         EXPECT(qaio_trigger_mode_parse("automatic", &m), QAIO_EINVAL);
         EXPECT(m, QAIO_TRIG_SINGLE);
     }},
    {"qaio_trigger_slope_name", [] { QVERIFY(!qaio_trigger_slope_name(QAIO_SLOPE_COUNT)); }},
    {"qaio_trigger_slope_parse", [] {
         qaio_trigger_slope s = QAIO_SLOPE_EITHER;
         EXPECT(qaio_trigger_slope_parse(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_trigger_slope_parse("rising", nullptr), QAIO_EINVAL);
         EXPECT(qaio_trigger_slope_parse("up", &s), QAIO_EINVAL);
         EXPECT(s, QAIO_SLOPE_EITHER);
     }},
};
const RegisterRows registered("instr/scope.h", rows);
} // namespace
