// The bad-input audit of qaio/instr/measure.h: one row per function (see audit.h).
// test_measure covers the results.
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_measurements_clear", [] { qaio_measurements_clear(nullptr); }},
    {"qaio_measure", [] {
         float y[4] = {0, 1, 0, -1};
         qaio_measurements m;
         EXPECT(qaio_measure(nullptr, 4, 1, &m), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 4, 1, nullptr), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 0, 1, &m), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 4, 0, &m), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 4, NAN, &m), QAIO_EINVAL);
         y[2] = NAN;
         EXPECT(qaio_measure(y, 4, 1, &m), QAIO_EINVAL);
         QVERIFY(std::isnan(m.mean));
     }},
    {"qaio_measure_trace", [] {
         qaio_measurements m;
         EXPECT(qaio_measure_trace(nullptr, 0, &m), QAIO_EINVAL);
         EXPECT(qaio_measure_trace(I.trace, QAIO_TRACE_MAX_CHANNELS, &m), QAIO_EINVAL);
         EXPECT(qaio_measure_trace(I.trace, 0, nullptr), QAIO_EINVAL);
     }},
};
const RegisterRows registered("instr/measure.h", rows);
} // namespace
