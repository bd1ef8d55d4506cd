// The bad-input audit of qaio/instr/window.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_window_fill", [] {
         float w[4];
         EXPECT(qaio_window_fill(QAIO_WINDOW_COUNT, 4, w), QAIO_EINVAL);
         EXPECT(qaio_window_fill(qaio_window(-1), 4, w), QAIO_EINVAL);
         EXPECT(qaio_window_fill(QAIO_WINDOW_HANN, 4, nullptr), QAIO_EINVAL);
         EXPECT(qaio_window_fill(QAIO_WINDOW_HANN, 0, w), QAIO_EINVAL);
     }},
    {"qaio_window_coefficients", [] {
         const double *a;
         size_t n;
         EXPECT(qaio_window_coefficients(QAIO_WINDOW_COUNT, &a, &n), QAIO_EINVAL);
         EXPECT(qaio_window_coefficients(QAIO_WINDOW_HANN, nullptr, &n), QAIO_EINVAL);
         EXPECT(qaio_window_coefficients(QAIO_WINDOW_HANN, &a, nullptr), QAIO_EINVAL);
     }},
    {"qaio_window_name", [] {
         QVERIFY(!qaio_window_name(QAIO_WINDOW_COUNT));
         QVERIFY(!qaio_window_name(qaio_window(-1)));
     }},
    {"qaio_window_parse", [] {
         qaio_window w = QAIO_WINDOW_RECT;
         EXPECT(qaio_window_parse(nullptr, &w), QAIO_EINVAL);
         EXPECT(qaio_window_parse("hann", nullptr), QAIO_EINVAL);
         EXPECT(qaio_window_parse("", &w), QAIO_EINVAL);
         EXPECT(qaio_window_parse("hannx", &w), QAIO_EINVAL);
         EXPECT(w, QAIO_WINDOW_RECT);
     }},
};
const RegisterRows registered("instr/window.h", rows);
} // namespace
