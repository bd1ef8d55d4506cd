// The bad-input audit of qaio/instr/spectrum.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_spectrum_settings_default", [] { qaio_spectrum_settings_default(nullptr); }},
    {"qaio_spectrum_settings_check", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT(qaio_spectrum_settings_check(nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_settings_check(&s), 0);
         eachSpoilt(s, [&](qaio_spectrum_settings &b) { EXPECT(qaio_spectrum_settings_check(&b), QAIO_EINVAL); },
                    [](auto &b) { b.load_ohm = 0; }, [](auto &b) { b.load_ohm = NAN; },
                    [](auto &b) { b.load_ohm = INFINITY; }, [](auto &b) { b.window = QAIO_WINDOW_COUNT; },
                    [](auto &b) { b.mode = qaio_avg_mode(-1); }, [](auto &b) { b.unit = QAIO_UNIT_COUNT; });
     }},
    {"qaio_spectrum_averager_new", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT_NULL(qaio_spectrum_averager_new(nullptr), EINVAL);
         eachSpoilt(s, [&](qaio_spectrum_settings &b) {
             EXPECT_NULL(qaio_spectrum_averager_new(&b), EINVAL);
         },
                    [](auto &b) { b.load_ohm = 0; },
                    [](auto &b) { b.load_ohm = -50; },
                    [](auto &b) { b.load_ohm = NAN; },
                    [](auto &b) { b.load_ohm = INFINITY; },
                    [](auto &b) { b.window = QAIO_WINDOW_COUNT; },
                    [](auto &b) { b.mode = qaio_avg_mode(-1); },
                    [](auto &b) { b.unit = QAIO_UNIT_COUNT; });
     }},
    {"qaio_spectrum_set_unit", [] {
         EXPECT(qaio_spectrum_set_unit(nullptr, QAIO_UNIT_DBV), QAIO_EINVAL);
         EXPECT(qaio_spectrum_set_unit(I.mean, QAIO_UNIT_DBV), QAIO_EINVAL); // not a spectrum one
         EXPECT(qaio_spectrum_set_unit(I.spectrum, QAIO_UNIT_COUNT), QAIO_EINVAL);
         EXPECT(qaio_spectrum_set_unit(I.spectrum, qaio_unit(-1)), QAIO_EINVAL);
     }},
    {"qaio_spectrum_info", [] {
         double s1 = 0;
         EXPECT(qaio_spectrum_info(nullptr, &s1, nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_info(I.mean, &s1, nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_info(I.spectrum, &s1, nullptr, nullptr, nullptr), QAIO_EAGAIN);
     }},
    {"qaio_spectrum_convert", [] {
         // Pure arithmetic: degenerate input gives a number, never a trap.
         qaio_spectrum_convert(1, 0, 0, 0, 0, 0, QAIO_UNIT_COUNT, 0);
         qaio_spectrum_convert(NAN, SIZE_MAX, 1, -1, NAN, NAN, QAIO_UNIT_DBM, -1);
     }},
    {"qaio_unit_name", [] {
         QVERIFY(!qaio_unit_name(QAIO_UNIT_COUNT));
         QVERIFY(!qaio_unit_name(qaio_unit(-1)));
     }},
    {"qaio_unit_parse", [] {
         qaio_unit u = QAIO_UNIT_VRMS;
         EXPECT(qaio_unit_parse(nullptr, &u), QAIO_EINVAL);
         EXPECT(qaio_unit_parse("dBV", nullptr), QAIO_EINVAL);
         EXPECT(qaio_unit_parse("", &u), QAIO_EINVAL);
         EXPECT(u, QAIO_UNIT_VRMS);
     }},
    {"qaio_avg_mode_name", [] {
         QVERIFY(!qaio_avg_mode_name(QAIO_AVG_MODE_COUNT));
         QVERIFY(!qaio_avg_mode_name(qaio_avg_mode(-1)));
     }},
    {"qaio_avg_mode_parse", [] {
         qaio_avg_mode m = QAIO_AVG_LOG;
         EXPECT(qaio_avg_mode_parse(nullptr, &m), QAIO_EINVAL);
         EXPECT(qaio_avg_mode_parse("power", nullptr), QAIO_EINVAL);
         EXPECT(qaio_avg_mode_parse("mean", &m), QAIO_EINVAL);
         EXPECT(m, QAIO_AVG_LOG);
     }},
};
const RegisterRows registered("instr/spectrum.h", rows);
} // namespace
