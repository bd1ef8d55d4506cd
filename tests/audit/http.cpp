// The bad-input audit of qaio/http.h: one row per function (see audit.h).
// test_http covers the semantics; no request leaves here.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_http_request", [] {
         const char *u = "http://127.0.0.1:1/";
         const char *odd[] = {"X-Name-Only", nullptr};
         qaio_http_options o{};
         EXPECT_NULL(qaio_http_request(nullptr, "GET", u, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, nullptr, u, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "GET", nullptr, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "GET\r\n", u, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "POST", u, nullptr, 5, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "GET", "file:///etc/passwd", nullptr, 0, nullptr), EINVAL);
         o.timeout_s = NAN;
         EXPECT_NULL(qaio_http_request(W.loop, "GET", u, nullptr, 0, &o), EINVAL);
         o.timeout_s = 0;
         o.headers = odd;
         EXPECT_NULL(qaio_http_request(W.loop, "GET", u, nullptr, 0, &o), EINVAL);
         EXPECT_NULL(qaio_http_request(X.loop, "GET", u, nullptr, 0, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([u] { return qaio_http_request(W.loop, "GET", u, nullptr, 0, nullptr); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_http_get", [] {
         EXPECT_NULL(qaio_http_get(nullptr, "http://127.0.0.1:1/", nullptr), EINVAL);
         EXPECT_NULL(qaio_http_get(W.loop, "not a url", nullptr), EINVAL);
         EXPECT_NULL(qaio_http_get(X.loop, "http://127.0.0.1:1/", nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_http_get(W.loop, "http://127.0.0.1:1/", nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_http_post", [] {
         EXPECT_NULL(qaio_http_post(nullptr, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_post(W.loop, "http://127.0.0.1:1/", "text/plain\r\nX: 1", "a", 1, nullptr),
                     EINVAL);
         EXPECT_NULL(qaio_http_post(W.loop, "http://127.0.0.1:1/", nullptr, nullptr, 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_post(X.loop, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), -QAIO_ECLOSED);
     }},
    {"qaio_http_put", [] {
         EXPECT_NULL(qaio_http_put(nullptr, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_put(W.loop, "http://127.0.0.1:1/", nullptr, nullptr, 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_put(X.loop, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), -QAIO_ECLOSED);
     }},
    {"qaio_http_delete", [] {
         EXPECT_NULL(qaio_http_delete(nullptr, "http://127.0.0.1:1/", nullptr), EINVAL);
         EXPECT_NULL(qaio_http_delete(W.loop, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_delete(X.loop, "http://127.0.0.1:1/", nullptr), -QAIO_ECLOSED);
     }},
    {"qaio_http_tls_available", [] { EXPECT(qaio_http_tls_available(), qaio_http_tls_available()); }},
    {"qaio_http_response_status", [] { EXPECT(qaio_http_response_status(nullptr), QAIO_EINVAL); }},
    {"qaio_http_response_reason", [] { QVERIFY(!qaio_http_response_reason(nullptr)); }},
    {"qaio_http_response_url", [] { QVERIFY(!qaio_http_response_url(nullptr)); }},
    {"qaio_http_response_body", [] {
         size_t len = 7;
         QVERIFY(!qaio_http_response_body(nullptr, &len));
         EXPECT(len, 0);
         QVERIFY(!qaio_http_response_body(nullptr, nullptr));
     }},
    {"qaio_http_response_header", [] { QVERIFY(!qaio_http_response_header(nullptr, "Host")); }},
    {"qaio_http_response_header_count", [] { EXPECT(qaio_http_response_header_count(nullptr), 0); }},
    {"qaio_http_response_header_at", [] {
         const char *name = "unchanged";
         EXPECT(qaio_http_response_header_at(nullptr, 0, &name, nullptr), QAIO_EINVAL);
         QCOMPARE(name, "unchanged");
     }},
    {"qaio_http_response_ref", [] { QVERIFY(!qaio_http_response_ref(nullptr)); }},
    {"qaio_http_response_unref", [] { qaio_http_response_unref(nullptr); }},
};
const RegisterRows registered("http.h", rows);
} // namespace
