// The bad-input audit of qaio/instr/instrument.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_instrument_init", [] {
         static const qaio_instrument_ops ops = {
             "audit", [](qaio_instrument *, qaio_trace *, double) { return 0; },
             [](qaio_instrument *) { return qaio_mean_averager_new(QAIO_MEAN_LINEAR); },
             [](qaio_instrument *) {}};
         static const qaio_instrument_ops partial = {"audit", nullptr, nullptr, nullptr};
         qaio_instrument inst{};
         EXPECT(qaio_instrument_init(nullptr, &ops, W.loop), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, nullptr, W.loop), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, &partial, W.loop), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, &ops, nullptr), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, &ops, X.loop), QAIO_EWRONGTHREAD);
         EXPECT(elsewhere([&] { return qaio_instrument_init(&inst, &ops, W.loop); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_instrument_acquire", [] {
         EXPECT(qaio_instrument_acquire(nullptr, I.trace, 1), QAIO_EINVAL);
         EXPECT(qaio_instrument_acquire(I.scope, nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_instrument_acquire(I.scope, I.trace, NAN), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_instrument_acquire(I.scope, I.trace, 1); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_instrument_averager_new", [] { EXPECT_NULL(qaio_instrument_averager_new(nullptr), EINVAL); }},
    {"qaio_instrument_kind", [] { QVERIFY(!qaio_instrument_kind(nullptr)); }},
    {"qaio_instrument_free", [] {
         EXPECT(qaio_instrument_free(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_instrument_free(I.scope); }), QAIO_EWRONGTHREAD);
     }},
};
const RegisterRows registered("instr/instrument.h", rows);
} // namespace
