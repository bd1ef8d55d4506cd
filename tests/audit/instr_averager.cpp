// The bad-input audit of qaio/instr/averager.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_averager_add", [] {
         EXPECT(qaio_averager_add(nullptr, I.trace, 1), QAIO_EINVAL);
         EXPECT(qaio_averager_add(I.mean, nullptr, 1), QAIO_EINVAL);
         for (double w : {0.0, -1.0, 1.5, double(NAN), double(INFINITY)})
             EXPECT(qaio_averager_add(I.mean, I.trace, w), QAIO_EINVAL);
         qaio_trace *empty = qaio_trace_new(0, 1);
         EXPECT(qaio_averager_add(I.mean, empty, 1), QAIO_EINVAL);
         qaio_trace_reshape(empty, 4, 0);
         EXPECT(qaio_averager_add(I.mean, empty, 1), QAIO_EINVAL);
         qaio_trace_free(empty);
         // The spectrum averager's own refusals: odd, short, non-uniform.
         qaio_trace *odd = qaio_trace_new(5, 1);
         odd->dx = 1e-3;
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         qaio_trace_reshape(odd, 2, 1);
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         qaio_trace_reshape(odd, 8, 1);
         odd->dx = 0;
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         odd->dx = NAN;
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         qaio_trace_free(odd);
     }},
    {"qaio_averager_read", [] {
         EXPECT(qaio_averager_read(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_averager_read(I.mean, nullptr), QAIO_EINVAL);
         EXPECT(qaio_averager_read(I.mean, I.trace), QAIO_EAGAIN);
     }},
    {"qaio_averager_reset", [] { EXPECT(qaio_averager_reset(nullptr), QAIO_EINVAL); }},
    {"qaio_averager_free", [] { qaio_averager_free(nullptr); }},
    {"qaio_mean_averager_new", [] {
         EXPECT_NULL(qaio_mean_averager_new(qaio_mean_output(2)), EINVAL);
         EXPECT_NULL(qaio_mean_averager_new(qaio_mean_output(-1)), EINVAL);
     }},
};
const RegisterRows registered("instr/averager.h", rows);
} // namespace
