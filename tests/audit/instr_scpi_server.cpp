// The bad-input audit of qaio/instr/scpi_server.h: one row per function (see audit.h).
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_scpi_server_options_default", [] { qaio_scpi_server_options_default(nullptr); }},
    {"qaio_scpi_server_start", [] {
         qaio_scpi_server *s = nullptr;
         qaio_scpi_server_options o;
         qaio_scpi_server_options_default(&o);
         o.port = 0;
         char msg[96] = "";
         EXPECT(qaio_scpi_server_start(nullptr, &o, &s, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_server_start(W.loop, &o, nullptr, msg, sizeof msg), QAIO_EINVAL);
         eachSpoilt(o, [&](qaio_scpi_server_options &b) {
             msg[0] = 0;
             EXPECT(qaio_scpi_server_start(W.loop, &b, &s, msg, sizeof msg), QAIO_EINVAL);
             QVERIFY(msg[0]); // with a reason
         },
                    [](auto &b) { b.points = QAIO_SCPI_SERVER_MAX_POINTS + 1; },
                    [](auto &b) { b.rate = NAN; },
                    [](auto &b) { b.signal = "bogus"; },
                    [](auto &b) { b.port = 65536; },
                    [](auto &b) { b.acquire_timeout_s = -1; },
                    [](auto &b) { b.acquire_timeout_s = NAN; },
                    [](auto &b) { b.max_sessions = -1; },
                    [](auto &b) { b.idle_timeout_s = NAN; },
                    [](auto &b) { b.send_timeout_s = -1; });
         EXPECT(qaio_scpi_server_start(X.loop, &o, &s, msg, sizeof msg), QAIO_EWRONGTHREAD);
         EXPECT(elsewhere([&] { return qaio_scpi_server_start(W.loop, &o, &s, nullptr, 0); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_scpi_server_port", [] {
         EXPECT(qaio_scpi_server_port(nullptr), QAIO_EINVAL);
         QVERIFY(elsewhere([] { return qaio_scpi_server_port(I.server); }) > 0); // any thread
     }},
    {"qaio_scpi_server_sessions", [] {
         EXPECT(qaio_scpi_server_sessions(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_scpi_server_sessions(I.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_server_scope", [] { QVERIFY(!qaio_scpi_server_scope(nullptr)); }},
    {"qaio_scpi_server_stats_get", [] {
         qaio_scpi_server_stats st;
         EXPECT(qaio_scpi_server_stats_get(nullptr, &st), QAIO_EINVAL);
         EXPECT(qaio_scpi_server_stats_get(I.server, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_scpi_server_stats_get(I.server, &st); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_server_close", [] {
         EXPECT(qaio_scpi_server_close(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_scpi_server_close(I.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_server_personality_name", [] {
         QCOMPARE(QString(qaio_scpi_server_personality_name(0)), QString("qaio"));
         QVERIFY(!qaio_scpi_server_personality_name(1000));
     }},
    {"qaio_scpi_server_personality_port", [] {
         EXPECT(qaio_scpi_server_personality_port(nullptr), QAIO_EINVAL);
         EXPECT(qaio_scpi_server_personality_port("no-such-scope"), QAIO_EINVAL);
     }},
    {"qaio_scpi_server_personality", [] { QVERIFY(!qaio_scpi_server_personality(nullptr)); }},
};
const RegisterRows registered("instr/scpi_server.h", rows);
} // namespace
