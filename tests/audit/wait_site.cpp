// The bad-input audit of qaio/wait_site.h: one row per function (see audit.h).
// test_introspect covers the semantics.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_wait_site", [] {
         // Outside a task it records nothing; any thread; cannot fail.
         qaio_wait_site(QAIO_WAIT_LOCK, nullptr, 0, nullptr);
         qaio_wait_site(QAIO_WAIT_LOCK, __FILE__, __LINE__, nullptr);
         std::thread([] { qaio_wait_site(QAIO_WAIT_SLEEP, __FILE__, __LINE__, __func__); }).join();
     }},
};
const RegisterRows registered("wait_site.h", rows);
} // namespace
