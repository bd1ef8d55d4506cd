/* tcp_echo, libuv reference: the figure of qaio_tcp_echo.c with raw uv_tcp
 * callbacks. The server echoes what it reads; each of C clients does one
 * warm-up round trip after connecting (at most CONNECT_WINDOW connecting at
 * a time), then per repetition the main program writes every client's first
 * message (the barrier) and runs the loop until each did R round trips of
 * 64 bytes. Writes try uv_try_write first, the fast path a libuv user takes
 * for small messages, and queue a uv_write of the rest. One 64 KiB read
 * buffer serves every connection (reads are consumed in the callback). TCP
 * nodelay on both ends, as qaio and asyncio set it. Reports round trips/s. */
#include <uv.h>

#include "bench.h"

#define MSG_BYTES 64
#define CONNECT_WINDOW 500

typedef struct {
    uv_tcp_t tcp;
    uv_connect_t req;
    size_t got;
    long left;
    int warm;
} client;

typedef struct {
    uv_write_t req;
    char data[];
} write_req;

static uv_loop_t *loop;
static struct sockaddr_in addr;
static client *clients;
static long n_clients, started, inflight, connected, finished;
static char msg[MSG_BYTES], rbuf[65536];

static void die(const char *what, int err)
{
    fprintf(stderr, "uv_tcp_echo: %s: %s\n", what, uv_strerror(err));
    exit(1);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)h;
    (void)hint;
    *buf = uv_buf_init(rbuf, sizeof rbuf);
}

static void on_written(uv_write_t *req, int status)
{
    if (status < 0)
        die("write", status);
    free(req);
}

static void send_bytes(uv_stream_t *s, const char *p, size_t n)
{
    uv_buf_t buf = uv_buf_init((char *)p, (unsigned)n);
    int w = uv_try_write(s, &buf, 1);
    if (w == (int)n)
        return;
    if (w < 0 && w != UV_EAGAIN)
        die("try_write", w);
    if (w < 0)
        w = 0;
    write_req *q = malloc(sizeof *q + n - (size_t)w);
    memcpy(q->data, p + w, n - (size_t)w);
    buf = uv_buf_init(q->data, (unsigned)(n - (size_t)w));
    int err = uv_write(&q->req, s, &buf, 1, on_written);
    if (err)
        die("write", err);
}

/* --- the server ---------------------------------------------------------- */

static void on_server_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    if (nread > 0)
        send_bytes(s, buf->base, (size_t)nread);
    else if (nread < 0)
        uv_close((uv_handle_t *)s, (uv_close_cb)free);
}

static void on_connection(uv_stream_t *listener, int status)
{
    if (status < 0)
        die("listen", status);
    uv_tcp_t *conn = malloc(sizeof *conn);
    uv_tcp_init(loop, conn);
    int err = uv_accept(listener, (uv_stream_t *)conn);
    if (err)
        die("accept", err);
    uv_tcp_nodelay(conn, 1);
    uv_read_start((uv_stream_t *)conn, on_alloc, on_server_read);
}

/* --- the clients --------------------------------------------------------- */

static void start_connects(void);

static void on_client_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    client *c = (client *)s;
    if (nread < 0)
        die("client read", (int)nread);
    c->got += (size_t)nread;
    if (c->got < MSG_BYTES)
        return;
    c->got -= MSG_BYTES;
    if (c->warm) { /* connected, and the server answers */
        c->warm = 0;
        inflight--;
        if (++connected == n_clients)
            uv_stop(loop);
        start_connects();
    } else if (--c->left > 0) {
        send_bytes(s, msg, MSG_BYTES);
    } else if (++finished == n_clients) {
        uv_stop(loop);
    }
}

static void on_connect(uv_connect_t *req, int status)
{
    if (status < 0)
        die("connect", status);
    client *c = req->data;
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_client_read);
    c->warm = 1;
    send_bytes((uv_stream_t *)&c->tcp, msg, MSG_BYTES);
}

static void start_connects(void)
{
    while (inflight < CONNECT_WINDOW && started < n_clients) {
        client *c = &clients[started++];
        uv_tcp_init(loop, &c->tcp);
        c->req.data = c;
        int err = uv_tcp_connect(&c->req, &c->tcp, (const struct sockaddr *)&addr, on_connect);
        if (err)
            die("connect", err);
        inflight++;
    }
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 100000, 1000);
    long want = bench_mode_is(&o, "c10000", "c100") ? 10000 : 100;
    if (!bench_mode_is(&o, "c100", "c100") && want == 100)
        return fprintf(stderr, "--mode c100|c10000\n"), 2;
    if (o.quick && want > 500)
        want = 500;
    n_clients = bench_fit_connections(want);
    long rt = o.n / n_clients > 0 ? o.n / n_clients : 1;
    memset(msg, 'x', sizeof msg);
    loop = uv_default_loop();

    uv_tcp_t listener;
    uv_tcp_init(loop, &listener);
    uv_ip4_addr("127.0.0.1", 0, &addr);
    int err = uv_tcp_bind(&listener, (const struct sockaddr *)&addr, 0);
    if (!err)
        err = uv_listen((uv_stream_t *)&listener, SOMAXCONN, on_connection);
    if (err)
        die("listen", err);
    int len = sizeof addr;
    uv_tcp_getsockname(&listener, (struct sockaddr *)&addr, &len);

    clients = calloc((size_t)n_clients, sizeof *clients);
    start_connects();
    uv_run(loop, UV_RUN_DEFAULT);
    if (connected != n_clients)
        return fprintf(stderr, "only %ld of %ld clients connected\n", connected, n_clients), 1;

    double rate[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        finished = 0;
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < n_clients; i++) {
            clients[i].left = rt;
            send_bytes((uv_stream_t *)&clients[i].tcp, msg, MSG_BYTES);
        }
        uv_run(loop, UV_RUN_DEFAULT);
        if (finished != n_clients)
            return fprintf(stderr, "the echo phase stopped early\n"), 1;
        rate[r] = (double)(n_clients * rt) / ((double)(bench_now_ns() - t0) / 1e9);
    }
    char fig[32];
    snprintf(fig, sizeof fig, "tcp_echo_c%ld", n_clients);
    bench_report(fig, "uv", n_clients * rt, rate, o.reps, "rt/s",
                 "clients=%ld requested=%ld rt_per_client=%ld msg_bytes=%d", n_clients, want, rt,
                 MSG_BYTES);
    return 0;
}
