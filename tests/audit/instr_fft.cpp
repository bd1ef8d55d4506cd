// The bad-input audit of qaio/instr/fft.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_fft_new", [] {
         qaio_fft *f = nullptr;
         EXPECT(qaio_fft_new(8, nullptr), QAIO_EINVAL);
         for (size_t n : {size_t(0), size_t(1), size_t(3), SIZE_MAX, SIZE_MAX - 1})
             EXPECT(qaio_fft_new(n, &f), QAIO_EINVAL);
         QVERIFY(!f);
     }},
    {"qaio_fft_execute", [] { qaio_fft_execute(nullptr); }},
    {"qaio_fft_free", [] { qaio_fft_free(nullptr); }},
    {"qaio_fft_input", [] { QVERIFY(!qaio_fft_input(nullptr)); }},
    {"qaio_fft_output", [] { QVERIFY(!qaio_fft_output(nullptr)); }},
    {"qaio_fft_size", [] { EXPECT(qaio_fft_size(nullptr), 0); }},
    {"qaio_fft_backend", [] { QVERIFY(qaio_fft_backend() != nullptr); }},
};
const RegisterRows registered("instr/fft.h", rows);
} // namespace
