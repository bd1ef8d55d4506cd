/* A tiny HTTP/1.1 server on qaio streams: the local server that get_news
 * fetches its pages from, and that the HTTP tests and benchmark talk to.
 * One task per connection (qaio_start_server), keep-alive, Content-Length
 * bodies; every request line, header block and body is bounded. Not a
 * server for the network: it binds 127.0.0.1 only.
 *
 *   $ ./http_server [port]       # 0 or nothing: any free port
 *   Serving on 127.0.0.1:40123
 *
 * What it serves (N a number, MS milliseconds):
 *   /page/NAME[?delay=MS]  a small HTML page, after MS ms (a slow news site)
 *   /echo                  the request back as text: method and target,
 *                          the headers, an empty line, the body
 *   /status/N              status N with a one-line body
 *   /redirect/N            a chain of N redirects ending at a 200
 *   /loop                  a redirect to itself
 *   /cookie                sets a cookie (Set-Cookie: session=1)
 *   /bytes/N               N bytes of 'x'
 *   /chunked/N[?pace=MS]   N bytes of 'x', chunked, MS ms between the 16 KiB
 *                          chunks; reports when the client hangs up first
 *   /stall/N               promises 2N bytes, sends N, then waits until the
 *                          client hangs up and reports it
 *   /close/N               promises 2N bytes, sends N, then closes
 * Ctrl-C (or SIGTERM) stops it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <qaio.h>

#define LINE_MAX_BYTES 4096
#define HEADERS_MAX_BYTES (16 * 1024)
#define BODY_MAX_BYTES (1024 * 1024)
#define IDLE_S 60.0 /* a keep-alive connection idle this long is closed */
#define CHUNK 16384

typedef struct {
    qaio_stream *conn;
    char method[16];
    char target[LINE_MAX_BYTES];
    char headers[HEADERS_MAX_BYTES]; /* the raw header lines, for /echo */
    size_t headers_len;
    size_t body_len;
    int close; /* Connection: close */
    int head;  /* a HEAD request: the headers only */
} request;

static int send_head(request *rq, int status, const char *reason, const char *extra,
                     long long length)
{
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Length: %lld\r\n%s%s\r\n", status, reason,
                     length, extra ? extra : "", rq->close ? "Connection: close\r\n" : "");
    return qaio_stream_write(rq->conn, head, (size_t)n);
}

static int respond(request *rq, int status, const char *reason, const char *extra,
                   const char *body, size_t len)
{
    int err = send_head(rq, status, reason, extra, (long long)len);
    if (!err && len && !rq->head)
        err = qaio_stream_write(rq->conn, body, len);
    return err ? err : qaio_stream_drain(rq->conn, IDLE_S);
}

/* Sends n bytes of 'x' in pieces, waiting for the client to take them, so
 * a large body never sits in the server's memory. Counts what went out. */
static int send_filler(request *rq, long long n, int chunked, double pace_s, long long *sent)
{
    static char xs[CHUNK];
    if (!xs[0])
        memset(xs, 'x', sizeof xs);
    *sent = 0;
    while (*sent < n) {
        size_t k = n - *sent < CHUNK ? (size_t)(n - *sent) : CHUNK;
        char size_line[32];
        int err = 0;
        if (chunked) {
            int m = snprintf(size_line, sizeof size_line, "%zx\r\n", k);
            err = qaio_stream_write(rq->conn, size_line, (size_t)m);
        }
        if (!err)
            err = qaio_stream_write(rq->conn, xs, k);
        if (!err && chunked)
            err = qaio_stream_write(rq->conn, "\r\n", 2);
        if (!err)
            err = qaio_stream_drain(rq->conn, IDLE_S);
        if (!err && pace_s > 0)
            err = qaio_sleep(pace_s);
        if (err)
            return err;
        *sent += (long long)k;
    }
    return chunked ? qaio_stream_write(rq->conn, "0\r\n\r\n", 5) : 0;
}

static long long number_after(const char *target, const char *prefix)
{
    return strtoll(target + strlen(prefix), NULL, 10);
}

static int page(request *rq)
{
    const char *name = rq->target + strlen("/page/");
    size_t name_len = strcspn(name, "?");
    const char *delay = strstr(rq->target, "delay=");
    if (delay)
        qaio_sleep(atof(delay + 6) / 1000.0); /* this connection's task only */
    char body[512];
    int n = snprintf(body, sizeof body,
                     "<html><head><title>News %.*s</title></head>\n"
                     "<body><h1>News %.*s</h1><p>Nothing happened today.</p></body></html>\n",
                     (int)name_len, name, (int)name_len, name);
    return respond(rq, 200, "OK", "Content-Type: text/html\r\n", body, (size_t)n);
}

static int echo(request *rq)
{
    char *out = malloc(LINE_MAX_BYTES + HEADERS_MAX_BYTES + BODY_MAX_BYTES + 8);
    if (!out)
        return QAIO_ENOMEM;
    size_t n = (size_t)sprintf(out, "%s %s\n", rq->method, rq->target);
    memcpy(out + n, rq->headers, rq->headers_len);
    n += rq->headers_len;
    out[n++] = '\n';
    ssize_t got = rq->body_len ? qaio_stream_readexactly(rq->conn, out + n, rq->body_len, IDLE_S) : 0;
    int err = got < 0 ? (int)got : 0;
    if (!err) {
        char extra[64];
        snprintf(extra, sizeof extra, "X-Echo-Method: %s\r\nContent-Type: text/plain\r\n", rq->method);
        err = respond(rq, 200, "OK", extra, out, n + (size_t)got);
    }
    free(out);
    return err;
}

/* Routes one request; a negative return ends the connection. */
static int serve(request *rq)
{
    const char *t = rq->target;
    char extra[LINE_MAX_BYTES + 32];
    long long n, sent = 0;
    int err;
    if (strncmp(t, "/page/", 6) == 0)
        return page(rq);
    if (strcmp(t, "/echo") == 0)
        return echo(rq);
    if (rq->body_len) /* the other routes ignore a body; it must still go */
        return respond(rq, 413, "Payload Too Large", NULL, "", 0);
    if (strncmp(t, "/status/", 8) == 0) {
        int status = (int)number_after(t, "/status/");
        snprintf(extra, sizeof extra, "status %d\n", status);
        return respond(rq, status, "Whatever", NULL, extra, strlen(extra));
    }
    if (strncmp(t, "/redirect/", 10) == 0 && (n = number_after(t, "/redirect/")) > 0) {
        snprintf(extra, sizeof extra, "Location: /redirect/%lld\r\n", n - 1);
        return respond(rq, 302, "Found", extra, "", 0);
    }
    if (strcmp(t, "/redirect/0") == 0)
        return respond(rq, 200, "OK", NULL, "arrived\n", 8);
    if (strcmp(t, "/cookie") == 0)
        return respond(rq, 200, "OK", "Set-Cookie: session=1; Path=/\r\n", "", 0);
    if (strcmp(t, "/loop") == 0)
        return respond(rq, 302, "Found", "Location: /loop\r\n", "", 0);
    if (strncmp(t, "/bytes/", 7) == 0) {
        n = number_after(t, "/bytes/");
        if (!(err = send_head(rq, 200, "OK", NULL, n)) && !rq->head)
            err = send_filler(rq, n, 0, 0, &sent);
        return err ? err : qaio_stream_drain(rq->conn, IDLE_S);
    }
    if (strncmp(t, "/chunked/", 9) == 0) {
        n = number_after(t, "/chunked/");
        const char *pace = strstr(t, "pace=");
        const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        if (!(err = qaio_stream_write(rq->conn, head, strlen(head))))
            err = send_filler(rq, n, 1, pace ? atof(pace + 5) / 1000.0 : 0, &sent);
        if (err) {
            printf("chunked: client hung up after %lld of %lld bytes\n", sent, n);
            fflush(stdout);
        }
        return err ? err : qaio_stream_drain(rq->conn, IDLE_S);
    }
    if (strncmp(t, "/stall/", 7) == 0 || strncmp(t, "/close/", 7) == 0) {
        n = number_after(t, "/stall/");
        if (!(err = send_head(rq, 200, "OK", NULL, 2 * n)))
            err = send_filler(rq, n, 0, 0, &sent);
        if (!err && t[1] == 'c')
            qaio_stream_close(rq->conn); /* the server frees it after handle() */
        if (err || t[1] == 'c')
            return QAIO_EPIPE;
        char byte;
        ssize_t r = qaio_stream_read(rq->conn, &byte, 1, QAIO_FOREVER);
        printf("stall: client hung up after %lld bytes (%s)\n", sent,
               r == 0 ? "end of stream" : qaio_err_name((int)r));
        fflush(stdout);
        return QAIO_EPIPE;
    }
    return respond(rq, 404, "Not Found", NULL, "not found\n", 10);
}

/* Reads the request line and headers; 0 at a clean end of the connection,
 * 1 for a request, a negative error for a broken one. */
static int read_request(request *rq)
{
    char line[LINE_MAX_BYTES];
    ssize_t n = qaio_stream_readline(rq->conn, line, sizeof line, IDLE_S);
    if (n <= 0)
        return (int)n;
    char version[16];
    if (sscanf(line, "%15s %4095s %15s", rq->method, rq->target, version) != 3)
        return QAIO_EPROTO;
    rq->headers_len = 0;
    rq->body_len = 0;
    rq->close = strcmp(version, "HTTP/1.0") == 0;
    rq->head = strcmp(rq->method, "HEAD") == 0;
    for (;;) {
        n = qaio_stream_readline(rq->conn, line, sizeof line, IDLE_S);
        if (n <= 0)
            return n ? (int)n : QAIO_EPROTO;
        if (strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0)
            return 1;
        if ((size_t)n > sizeof rq->headers - rq->headers_len)
            return QAIO_EMSGSIZE;
        memcpy(rq->headers + rq->headers_len, line, (size_t)n);
        rq->headers_len += (size_t)n;
        if (strncasecmp(line, "Content-Length:", 15) == 0) {
            long long len = strtoll(line + 15, NULL, 10);
            if (len < 0 || len > BODY_MAX_BYTES)
                return QAIO_EMSGSIZE;
            rq->body_len = (size_t)len;
        } else if (strncasecmp(line, "Connection:", 11) == 0 && strstr(line + 11, "close")) {
            rq->close = 1;
        }
    }
}

static int handle(qaio_stream *conn, void *arg)
{
    (void)arg;
    request *rq = calloc(1, sizeof *rq); /* too big for a task's stack frame */
    if (!rq)
        return QAIO_ENOMEM;
    rq->conn = conn;
    int r;
    while ((r = read_request(rq)) == 1 && (r = serve(rq)) == 0 && !rq->close)
        ;
    if (r == QAIO_EPROTO) { /* not HTTP (a TLS hello, say): say so, then hang up */
        rq->close = 1;
        respond(rq, 400, "Bad Request", NULL, "", 0);
    }
    free(rq);
    return r == QAIO_ENOMEM ? r : 0; /* a client's broken request is not the server's error */
}

static void on_signal(void *arg)
{
    qaio_loop_stop(arg);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    qaio_loop *loop = qaio_loop_get();
    qaio_server *server;
    int err = qaio_start_server(loop, "127.0.0.1", port, handle, NULL, &server);
    if (err) {
        fprintf(stderr, "http_server: port %d: %s\n", port, qaio_strerror(err));
        return 1;
    }
    printf("Serving on 127.0.0.1:%d\n", qaio_server_port(server));
    fflush(stdout);
    qaio_add_signal_handler(loop, SIGINT, on_signal, loop);
    qaio_add_signal_handler(loop, SIGTERM, on_signal, loop);
    qaio_loop_run_forever(loop);
    qaio_server_close(server);
    qaio_loop_close(loop);
    return 0;
}
