// The bad-input audit of qaio/version.h: one row per function (see audit.h).
// A generated header: no argument to get wrong; the run-time version is
// the one the headers were generated with.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_version", [] { QCOMPARE(qaio_version(), (unsigned)QAIO_VERSION); }},
    {"qaio_version_string", [] { QCOMPARE(QString(qaio_version_string()), QString(QAIO_VERSION_STRING)); }},
};
const RegisterRows registered("version.h", rows);
} // namespace
