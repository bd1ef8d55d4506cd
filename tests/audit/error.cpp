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
         QCOMPARE(QString(qaio_strerror(QAIO_ECLOSED)), QString("loop or object is closed"));
         // The codes are negative errno values, but qaio's own conditions
         // have their own values, outside errno's range: a real EPERM or
         // ESHUTDOWN is never one of them.
         QCOMPARE(int(QAIO_EINVAL), -EINVAL);
         for (int own : {int(QAIO_ECLOSED), int(QAIO_EWRONGTHREAD), int(QAIO_ESTOPPED)}) {
             QVERIFY(own <= -4000);
             for (int e : {EPERM, ESHUTDOWN, EINTR})
                 QVERIFY(own != -e);
         }
     }},
    {"qaio_err_name", [] {
         QCOMPARE(QString(qaio_err_name(QAIO_ECANCELED)), QString("ECANCELED"));
         QCOMPARE(QString(qaio_err_name(QAIO_ECLOSED)), QString("ECLOSED"));
         QCOMPARE(QString(qaio_err_name(QAIO_EWRONGTHREAD)), QString("EWRONGTHREAD"));
         QCOMPARE(QString(qaio_err_name(QAIO_ESTOPPED)), QString("ESTOPPED"));
         QCOMPARE(QString(qaio_err_name(QAIO_EPERM)), QString("EPERM"));
         QCOMPARE(QString(qaio_err_name(QAIO_ELOOP)), QString("ELOOP"));
         QCOMPARE(QString(qaio_err_name(12345)), QString("UNKNOWN"));
         QCOMPARE(QString(qaio_err_name(INT_MIN)), QString("UNKNOWN"));
     }},
};
const RegisterRows registered("error.h", rows);
} // namespace
