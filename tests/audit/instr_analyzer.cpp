// The bad-input audit of qaio/instr/analyzer.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_spectrum_analyzer_new", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT_NULL(qaio_spectrum_analyzer_new(nullptr, &s), EINVAL);
         s.load_ohm = NAN;
         EXPECT_NULL(qaio_spectrum_analyzer_new(I.scope, &s), EINVAL);
         EXPECT(elsewhereErrno([] { return qaio_spectrum_analyzer_new(I.scope, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_set_settings", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT(qaio_spectrum_analyzer_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_set_settings(I.scope, &s), QAIO_EINVAL); // not an analyzer
         EXPECT(qaio_spectrum_analyzer_set_settings(I.analyzer, nullptr), QAIO_EINVAL);
         qaio_spectrum_settings b = s;
         b.unit = qaio_unit(99);
         EXPECT(qaio_spectrum_analyzer_set_settings(I.analyzer, &b), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_spectrum_analyzer_set_settings(I.analyzer, &s); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_get_settings", [] {
         qaio_spectrum_settings s;
         EXPECT(qaio_spectrum_analyzer_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_get_settings(I.na, &s), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_get_settings(I.analyzer, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_spectrum_analyzer_get_settings(I.analyzer, &s); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_keep_source_average", [] {
         EXPECT(qaio_spectrum_analyzer_keep_source_average(nullptr, true), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_keep_source_average(I.scope, true), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_spectrum_analyzer_keep_source_average(I.analyzer, true); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_read_source_average", [] {
         EXPECT(qaio_spectrum_analyzer_read_source_average(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_read_source_average(I.analyzer, nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_read_source_average(I.analyzer, I.trace), QAIO_EAGAIN);
         EXPECT(elsewhere([] { return qaio_spectrum_analyzer_read_source_average(I.analyzer, I.trace); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_source", [] {
         QVERIFY(!qaio_spectrum_analyzer_source(nullptr));
         QVERIFY(!qaio_spectrum_analyzer_source(I.scope));
     }},
};
const RegisterRows registered("instr/analyzer.h", rows);
} // namespace
