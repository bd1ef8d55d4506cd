// The bad-input audit of qaio/instr/trace.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_trace_new", [] {
         // Zero sizes are traces too (UBSan once caught NULL + 0 here).
         for (size_t nch : {size_t(0), size_t(2)}) {
             qaio_trace *t = qaio_trace_new(0, nch);
             QVERIFY(t);
             qaio_trace *c = qaio_trace_copy(t);
             QVERIFY(c && c->n == 0 && c->nch == nch);
             qaio_trace_free(c);
             qaio_trace_free(t);
         }
         EXPECT_NULL(qaio_trace_new(8, QAIO_TRACE_MAX_CHANNELS + 1), EINVAL);
         EXPECT_NULL(qaio_trace_new(SIZE_MAX, 2), EINVAL);
         EXPECT_NULL(qaio_trace_new(SIZE_MAX / 2, QAIO_TRACE_MAX_CHANNELS), EINVAL);
     }},
    {"qaio_trace_free", [] { qaio_trace_free(nullptr); }},
    {"qaio_trace_dtor", [] { qaio_trace_dtor(nullptr); }},
    {"qaio_trace_reshape", [] {
         EXPECT(qaio_trace_reshape(nullptr, 1, 1), QAIO_EINVAL);
         EXPECT(qaio_trace_reshape(I.trace, 1, QAIO_TRACE_MAX_CHANNELS + 1), QAIO_EINVAL);
         EXPECT(qaio_trace_reshape(I.trace, SIZE_MAX, 1), QAIO_EINVAL);
         EXPECT(I.trace->n, 16); // unchanged
     }},
    {"qaio_trace_set_x", [] { EXPECT(qaio_trace_set_x(nullptr, nullptr), QAIO_EINVAL); }},
    {"qaio_trace_x", [] {
         QCOMPARE(qaio_trace_x(nullptr, 0), 0.0);
         QCOMPARE(qaio_trace_x(I.trace, 16), 0.0);
         QCOMPARE(qaio_trace_x(I.trace, SIZE_MAX), 0.0);
     }},
    {"qaio_trace_copy_into", [] {
         EXPECT(qaio_trace_copy_into(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_trace_copy_into(I.trace, nullptr), QAIO_EINVAL);
         EXPECT(qaio_trace_copy_into(I.trace, I.trace), 0);
     }},
    {"qaio_trace_copy", [] { EXPECT_NULL(qaio_trace_copy(nullptr), EINVAL); }},
    {"qaio_trace_domain_name", [] {
         EXPECT(qaio_trace_domain_name(QAIO_DOMAIN_COUNT) == nullptr, 1);
         EXPECT(qaio_trace_domain_name(qaio_trace_domain(-1)) == nullptr, 1);
     }},
};
const RegisterRows registered("instr/trace.h", rows);
} // namespace
