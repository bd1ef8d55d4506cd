// The bad-input audit of qaio/instr/signal.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_signal_parse", [] {
         qaio_signal *s = I.signal;
         char msg[64] = "x";
         EXPECT(qaio_signal_parse(nullptr, &s, msg, sizeof msg), QAIO_EINVAL);
         QVERIFY(!s && msg[0] != 0);
         EXPECT(qaio_signal_parse("dc level=1", nullptr, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_signal_parse("", &s, nullptr, 0), QAIO_EINVAL);
         EXPECT(qaio_signal_parse("sine freq=-1", &s, msg, 0), QAIO_EINVAL); // msgcap 0: not written
         EXPECT(qaio_signal_parse("sine freq=nan", &s, msg, 1), QAIO_EINVAL);
         QCOMPARE(msg[0], '\0'); // NUL-terminated in 1 byte
         EXPECT(qaio_signal_parse("noise rms=-1", &s, nullptr, 0), QAIO_EINVAL);
     }},
    {"qaio_signal_free", [] { qaio_signal_free(nullptr); }},
    {"qaio_signal_copy", [] { EXPECT_NULL(qaio_signal_copy(nullptr), EINVAL); }},
    {"qaio_signal_generate", [] {
         float out[4];
         EXPECT(qaio_signal_generate(nullptr, 0, 0, 1e3, out, 4), QAIO_EINVAL);
         EXPECT(qaio_signal_generate(I.signal, 0, 0, 1e3, nullptr, 4), QAIO_EINVAL);
         EXPECT(qaio_signal_generate(I.signal, 0, 0, 1e3, nullptr, 0), 0);
         for (double fs : {0.0, -1.0, double(NAN), double(INFINITY)})
             EXPECT(qaio_signal_generate(I.signal, 0, 0, fs, out, 4), QAIO_EINVAL);
         EXPECT(qaio_signal_generate(I.signal, 0, UINT64_MAX - 1, 1e3, out, 4), QAIO_EINVAL);
     }},
    {"qaio_signal_format", [] {
         char buf[8];
         EXPECT(qaio_signal_format(nullptr, buf, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_signal_format(I.signal, nullptr, 8), QAIO_EINVAL);
         QVERIFY(qaio_signal_format(I.signal, nullptr, 0) > 0); // the length it needs
         QVERIFY(qaio_signal_format(I.signal, buf, sizeof buf) > 0);
         QCOMPARE(strnlen(buf, sizeof buf), sizeof buf - 1); // truncated, terminated
     }},
    {"qaio_signal_seed", [] { EXPECT(qaio_signal_seed(nullptr), 0); }},
    {"qaio_signal_noise_rms", [] { QCOMPARE(qaio_signal_noise_rms(nullptr), 0.0); }},
    {"qaio_signal_set_seed", [] { EXPECT(qaio_signal_set_seed(nullptr, 1), QAIO_EINVAL); }},
    {"qaio_gauss", [] {
         // No input is bad: every (seed, stream, index) gives a finite value.
         QVERIFY(std::isfinite(qaio_gauss(UINT64_MAX, UINT64_MAX, UINT64_MAX)));
         QVERIFY(std::isfinite(qaio_gauss(0, 0, 0)));
     }},
};
const RegisterRows registered("instr/signal.h", rows);
} // namespace
