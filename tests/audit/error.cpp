// The bad-input audit of qaio/error.h: one row per function (see audit.h).
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_strerror", [] {
         QCOMPARE(QString(qaio_strerror(0)), QString("success"));
         QCOMPARE(QString(qaio_strerror(QAIO_ETIMEDOUT)), QString("operation timed out"));
         QCOMPARE(QString(qaio_strerror(-99999)), QString("unknown error"));
         QVERIFY(qaio_strerror(INT_MIN) != nullptr);
         QVERIFY(qaio_strerror(INT_MAX) != nullptr);
         // The codes are negative errno values.
         QCOMPARE(int(QAIO_EINVAL), -EINVAL);
         QCOMPARE(int(QAIO_ECLOSED), -ESHUTDOWN);
     }},
    {"qaio_err_name", [] {
         QCOMPARE(QString(qaio_err_name(QAIO_ECANCELED)), QString("ECANCELED"));
         QCOMPARE(QString(qaio_err_name(12345)), QString("UNKNOWN"));
         QCOMPARE(QString(qaio_err_name(INT_MIN)), QString("UNKNOWN"));
     }},
};
const RegisterRows registered("error.h", rows);
} // namespace
