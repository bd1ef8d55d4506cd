// The bad-input audit of qaio/instr/scpi.h: one row per function (see audit.h).
// test_scpi covers the semantics.
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_scpi_scope_open", [] {
         qaio_instrument *s = I.scope;
         int port = qaio_scpi_server_port(I.server);
         EXPECT(qaio_scpi_scope_open(nullptr, "127.0.0.1", port, 1, &s), QAIO_EINVAL);
         QVERIFY(!s); // cleared on every error
         EXPECT(qaio_scpi_scope_open(W.loop, nullptr, port, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", port, 1, nullptr), QAIO_EINVAL);
         for (double t : {0.0, -1.0, double(NAN)})
             EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", port, t, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", 65536, 1, &s), QAIO_EINVAL);
         std::string longHost(300, 'h');
         EXPECT(qaio_scpi_scope_open(W.loop, longHost.c_str(), port, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_open(X.loop, "127.0.0.1", port, 1, &s), QAIO_EWRONGTHREAD);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_open(W.loop, "127.0.0.1", port, 1, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_scpi_scope_reconnect", [] {
         EXPECT(qaio_scpi_scope_reconnect(nullptr), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_reconnect(I.scope), QAIO_EINVAL); // not a SCPI scope
         EXPECT(elsewhere([] { return qaio_scpi_scope_reconnect(I.scpi); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_connected", [] {
         QVERIFY(!qaio_scpi_scope_connected(nullptr));
         QVERIFY(!qaio_scpi_scope_connected(I.scope));
     }},
    {"qaio_scpi_scope_query", [] {
         char resp[4];
         EXPECT(qaio_scpi_scope_query(nullptr, "*IDN?", resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scope, "*IDN?", resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scpi, nullptr, resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scpi, "*IDN?\n*RST", resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scpi, "*IDN?", nullptr, 0), QAIO_EINVAL); // where to?
         EXPECT(qaio_scpi_scope_query(I.scpi, "*IDN?", resp, sizeof resp), QAIO_EMSGSIZE);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_query(I.scpi, "*IDN?", resp, sizeof resp); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_set_settings", [] {
         qaio_scope_settings s;
         qaio_scope_settings_default(&s);
         EXPECT(qaio_scpi_scope_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_set_settings(I.scpi, nullptr), QAIO_EINVAL);
         s.points = 0;
         EXPECT(qaio_scpi_scope_set_settings(I.scpi, &s), QAIO_EINVAL);
         qaio_scope_settings_default(&s);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_set_settings(I.scpi, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_get_settings", [] {
         qaio_scope_settings s;
         EXPECT(qaio_scpi_scope_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_get_settings(I.scpi, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_get_settings(I.scpi, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_idn", [] {
         QVERIFY(!qaio_scpi_scope_idn(nullptr));
         QVERIFY(!qaio_scpi_scope_idn(I.scope));
     }},
    {"qaio_scpi_scope_last_error", [] { QCOMPARE(QString(qaio_scpi_scope_last_error(nullptr)), QString()); }},
    {"qaio_scpi_scope_address", [] { QVERIFY(!qaio_scpi_scope_address(I.na)); }},
    {"qaio_scpi_scope_driver", [] {
         QVERIFY(!qaio_scpi_scope_driver(nullptr));
         QVERIFY(!qaio_scpi_scope_driver(I.scope));
     }},
    {"qaio_scpi_scope_options_default", [] { qaio_scpi_scope_options_default(nullptr); }},
    {"qaio_scpi_scope_connect", [] {
         qaio_scpi_scope_options o;
         qaio_scpi_scope_options_default(&o);
         qaio_instrument *out = I.scope;
         char msg[200];
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_EINVAL); // no address
         QVERIFY(!out);
         EXPECT(qaio_scpi_scope_connect(nullptr, &o, &out, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_connect(W.loop, nullptr, &out, msg, sizeof msg), QAIO_EINVAL);
         o.address = "127.0.0.1:1";
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, nullptr, msg, sizeof msg), QAIO_EINVAL);
         o.driver = "no-such-scope";
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_ENOENT);
         QVERIFY(strstr(msg, "no-such-scope"));
         o.driver = nullptr;
         o.address = "127.0.0.1:0";
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_EINVAL);
         o.address = "127.0.0.1:1";
         o.timeout_s = NAN;
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_EINVAL);
     }},
    {"qaio_scpi_address_parse", [] {
         qaio_scpi_address a;
         char msg[200];
         EXPECT(qaio_scpi_address_parse(nullptr, &a, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("h", nullptr, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("", &a, nullptr, 0), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("h:65536", &a, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("h:+5", &a, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("TCPIP0::h::inst0::INSTR", &a, msg, sizeof msg),
                QAIO_EINVAL);
         QVERIFY(strstr(msg, "VXI-11"));
     }},
    {"qaio_scpi_driver_name", [] {
         QVERIFY(qaio_scpi_driver_name(0));
         QVERIFY(!qaio_scpi_driver_name(1000));
     }},
    {"qaio_scpi_driver_title", [] { QVERIFY(!qaio_scpi_driver_title(1000)); }},
    {"qaio_scpi_driver_port", [] { EXPECT(qaio_scpi_driver_port(1000), QAIO_EINVAL); }},
};
const RegisterRows registered("instr/scpi.h", rows);
} // namespace
