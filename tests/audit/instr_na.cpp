// The bad-input audit of qaio/instr/na.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_na_settings_default", [] { qaio_na_settings_default(nullptr); }},
    {"qaio_na_new", [] {
         qaio_na_settings s;
         qaio_na_settings_default(&s);
         EXPECT_NULL(qaio_na_new(nullptr, &s), EINVAL);
         eachSpoilt(s, [&](qaio_na_settings &b) {
             EXPECT_NULL(qaio_na_new(W.loop, &b), EINVAL);
         },
                    [](auto &b) { b.stop_hz = b.start_hz; },
                    [](auto &b) { b.points = 1; },
                    [](auto &b) { b.q = NAN; },
                    [](auto &b) { b.noise_rms = -1; },
                    [](auto &b) { b.if_bandwidth = 0; });
         EXPECT_NULL(qaio_na_new(X.loop, &s), -QAIO_EWRONGTHREAD); // its thread is gone
         EXPECT(elsewhereErrno([&] { return qaio_na_new(W.loop, &s); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_na_set_settings", [] {
         qaio_na_settings s;
         qaio_na_settings_default(&s);
         EXPECT(qaio_na_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_na_set_settings(I.scope, &s), QAIO_EINVAL);
         EXPECT(qaio_na_set_settings(I.na, nullptr), QAIO_EINVAL);
         qaio_na_settings b = s;
         b.if_bandwidth = 0;
         EXPECT(qaio_na_set_settings(I.na, &b), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_na_set_settings(I.na, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_na_get_settings", [] {
         qaio_na_settings s;
         EXPECT(qaio_na_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_na_get_settings(I.na, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_na_get_settings(I.na, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_na_model", [] {
         qaio_na_settings s;
         qaio_na_settings_default(&s);
         double re = 1, im = 1;
         qaio_na_model(nullptr, 1e3, &re, &im);
         qaio_na_model(&s, 1e3, nullptr, &im);
         qaio_na_model(&s, 1e3, &re, nullptr);
         QCOMPARE(re, 1.0);
         QCOMPARE(im, 1.0);
     }},
    {"qaio_na_fit_resonance", [] {
         double f0 = 0, q = 0;
         EXPECT(qaio_na_fit_resonance(nullptr, &f0, &q), QAIO_EINVAL);
         EXPECT(qaio_na_fit_resonance(I.trace, nullptr, &q), QAIO_EINVAL);
         EXPECT(qaio_na_fit_resonance(I.trace, &f0, nullptr), QAIO_EINVAL);
         qaio_trace *one = qaio_trace_new(16, 1);
         EXPECT(qaio_na_fit_resonance(one, &f0, &q), QAIO_EINVAL); // no phase channel
         qaio_trace_free(one);
         EXPECT(qaio_na_fit_resonance(I.trace, &f0, &q), QAIO_ENOENT); // all zero: no crossing
     }},
};
const RegisterRows registered("instr/na.h", rows);
} // namespace
