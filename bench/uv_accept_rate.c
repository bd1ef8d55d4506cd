/* accept_rate, libuv reference: the figure of qaio_accept_rate.c with raw
 * uv_tcp callbacks. Per repetition: a fresh listener (backlog SOMAXCONN),
 * then N uv_tcp_connect()s, at most CONNECT_WINDOW of them not yet accepted
 * (the server's connection callback opens the window again). Timed until
 * every connect callback ran and every connection was uv_accept()ed;
 * reports connections per second. All N stay open until then (2N fds, N
 * lowered to fit the fd limit), then everything is closed. */
#include <uv.h>

#include "bench.h"

#define CONNECT_WINDOW 1000

typedef struct {
    uv_tcp_t tcp;
    uv_connect_t req;
} client;

static uv_loop_t *loop;
static struct sockaddr_in addr;
static client *clients;
static uv_tcp_t *conns;
static long n, started, inflight, accepted, connected;

static void die(const char *what, int err)
{
    fprintf(stderr, "uv_accept_rate: %s: %s\n", what, uv_strerror(err));
    exit(1);
}

static void on_connect(uv_connect_t *req, int status)
{
    (void)req;
    if (status < 0)
        die("connect", status);
    if (++connected == n && accepted == n)
        uv_stop(loop);
}

static void start_connects(void)
{
    while (inflight < CONNECT_WINDOW && started < n) {
        client *c = &clients[started++];
        uv_tcp_init(loop, &c->tcp);
        int err = uv_tcp_connect(&c->req, &c->tcp, (const struct sockaddr *)&addr, on_connect);
        if (err)
            die("connect", err);
        uv_tcp_nodelay(&c->tcp, 1);
        inflight++;
    }
}

static void on_connection(uv_stream_t *listener, int status)
{
    if (status < 0)
        die("listen", status);
    uv_tcp_t *conn = &conns[accepted];
    uv_tcp_init(loop, conn);
    int err = uv_accept(listener, (uv_stream_t *)conn);
    if (err)
        die("accept", err);
    uv_tcp_nodelay(conn, 1);
    inflight--;
    if (++accepted == n && connected == n)
        uv_stop(loop);
    start_connects();
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 10000, 500);
    n = bench_fit_connections(o.n);
    loop = uv_default_loop();
    clients = calloc((size_t)n, sizeof *clients);
    conns = calloc((size_t)n, sizeof *conns);
    double rate[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
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
        started = inflight = accepted = connected = 0;

        int64_t t0 = bench_now_ns();
        start_connects();
        uv_run(loop, UV_RUN_DEFAULT);
        if (accepted != n || connected != n)
            return fprintf(stderr, "stopped at %ld accepted, %ld connected\n", accepted, connected), 1;
        rate[r] = (double)n / ((double)(bench_now_ns() - t0) / 1e9);

        for (long i = 0; i < n; i++) {
            uv_close((uv_handle_t *)&clients[i].tcp, NULL);
            uv_close((uv_handle_t *)&conns[i], NULL);
        }
        uv_close((uv_handle_t *)&listener, NULL);
        uv_run(loop, UV_RUN_DEFAULT); /* runs the close callbacks */
    }
    bench_report("accept_rate", "uv", n, rate, o.reps, "conn/s", "requested=%ld window=%d", o.n,
                 CONNECT_WINDOW);
    return 0;
}
