/* tcp_echo, qaio: an echo server (qaio_start_server, a task per connection:
 * read, write back) and C client tasks in one process, over 127.0.0.1. Each
 * client opens its stream, does one warm-up round trip, then waits for the
 * repetition's barrier (a qaio_event) and does R round trips of a 64-byte
 * message (qaio_stream_write, qaio_stream_readexactly). Only the echo phase
 * is timed, from the barrier's release to the last client's last reply.
 * Reports round trips per second (C * R per repetition).
 *
 *   --mode c100 | c10000   C, the concurrent clients (lowered to fit the fd
 *                          limit: the figure is then named for the C used)
 *   --n N                  round trips per repetition (R = N / C)
 *
 * Connecting is windowed: at most CONNECT_WINDOW clients are between
 * connect() and their warm-up reply at a time, so the listen backlog never
 * overflows (a dropped SYN costs a 1 s retransmission, which would time the
 * kernel, not the loop). */
#include <stdint.h>
#include <string.h>
#include <qaio.h>

#include "bench.h"

#define MSG_BYTES 64
#define CONNECT_WINDOW 500
#define WAIT_S 300.0  /* a guard against a hang, not a target */

static struct {
    qaio_loop *loop;
    int port;
    long clients, rt_per_client, connected;
    int reps;
    qaio_semaphore *window;
    qaio_event *all_connected, *go[BENCH_MAX_REPS], *done[BENCH_MAX_REPS];
    long left[BENCH_MAX_REPS];
} b;

static void die(const char *what, int err)
{
    fprintf(stderr, "qaio_tcp_echo: %s: %s\n", what, qaio_strerror(err));
    exit(1);
}

/* The server side: echo whatever arrives until the client hangs up. */
static int echo(qaio_stream *conn, void *arg)
{
    (void)arg;
    char buf[4096];
    ssize_t n;
    while ((n = qaio_stream_read(conn, buf, sizeof buf, QAIO_FOREVER)) > 0) {
        int err = qaio_stream_write(conn, buf, (size_t)n);
        if (err)
            return err;
    }
    return (int)n;
}

/* No timeout on the read, like the asyncio and libuv programs (a timed wait
 * would arm and cancel a timer per round trip); bench/run's guard bounds a
 * hang. */
static int roundtrip(qaio_stream *s, const char *out, char *in)
{
    int err = qaio_stream_write(s, out, MSG_BYTES);
    if (err)
        return err;
    ssize_t n = qaio_stream_readexactly(s, in, MSG_BYTES, QAIO_FOREVER);
    return n < 0 ? (int)n : 0;
}

static int client(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    char out[MSG_BYTES], in[MSG_BYTES];
    memset(out, 'x', sizeof out);
    qaio_stream *s;
    int err = qaio_semaphore_acquire(b.window, WAIT_S);
    if (err)
        die("window", err);
    if ((err = qaio_open_connection(b.loop, "127.0.0.1", b.port, WAIT_S, &s)) != 0)
        die("connect", err);
    if ((err = roundtrip(s, out, in)) != 0)
        die("warm-up round trip", err);
    qaio_semaphore_release(b.window);
    if (++b.connected == b.clients)
        qaio_event_set(b.all_connected);

    for (int r = 0; r < b.reps; r++) {
        if ((err = qaio_event_wait(b.go[r], WAIT_S)) != 0)
            die("barrier", err);
        for (long i = 0; i < b.rt_per_client; i++)
            if ((err = roundtrip(s, out, in)) != 0)
                die("round trip", err);
        if (--b.left[r] == 0)
            qaio_event_set(b.done[r]);
    }
    qaio_stream_close(s);
    return 0;
}

static int bench_main(void *arg, qaio_future *self)
{
    (void)self;
    double *rate = arg;
    qaio_server *srv;
    int err = qaio_start_server(b.loop, "127.0.0.1", 0, echo, NULL, &srv);
    if (err)
        die("server", err);
    b.port = qaio_server_port(srv);
    b.window = qaio_semaphore_new(b.loop, CONNECT_WINDOW, 0);
    b.all_connected = qaio_event_new(b.loop);
    for (int r = 0; r < b.reps; r++) {
        b.go[r] = qaio_event_new(b.loop);
        b.done[r] = qaio_event_new(b.loop);
        b.left[r] = b.clients;
    }
    qaio_future **tasks = calloc((size_t)b.clients, sizeof *tasks);
    for (long i = 0; i < b.clients; i++)
        if (!(tasks[i] = qaio_spawn(b.loop, client, NULL)))
            die("spawn", -errno);
    if ((err = qaio_event_wait(b.all_connected, WAIT_S)) != 0)
        die("connecting", err);

    for (int r = 0; r < b.reps; r++) {
        int64_t t0 = bench_now_ns();
        qaio_event_set(b.go[r]);
        if ((err = qaio_event_wait(b.done[r], WAIT_S)) != 0)
            die("echo phase", err);
        rate[r] = (double)(b.clients * b.rt_per_client) / ((double)(bench_now_ns() - t0) / 1e9);
    }

    for (long i = 0; i < b.clients; i++) { /* every client closed its stream */
        qaio_await(tasks[i], NULL);
        qaio_future_unref(tasks[i]);
    }
    free(tasks);
    qaio_server_close(srv);
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 100000, 1000);
    long want = bench_mode_is(&o, "c10000", "c100") ? 10000 : 100;
    if (!bench_mode_is(&o, "c100", "c100") && want == 100)
        return fprintf(stderr, "--mode c100|c10000\n"), 2;
    if (o.quick && want > 500)
        want = 500; /* a smoke test: connecting 10k clients takes a while */
    b.clients = bench_fit_connections(want);
    b.rt_per_client = o.n / b.clients > 0 ? o.n / b.clients : 1;
    b.reps = o.reps;
    b.loop = qaio_loop_get();
    double rate[BENCH_MAX_REPS];
    int err = qaio_run(bench_main, rate, NULL);
    if (err)
        die("run", err);
    char fig[32];
    snprintf(fig, sizeof fig, "tcp_echo_c%ld", b.clients);
    bench_report(fig, bench_impl("qaio", 1), b.clients * b.rt_per_client, rate, o.reps, "rt/s",
                 "clients=%ld requested=%ld rt_per_client=%ld msg_bytes=%d", b.clients, want,
                 b.rt_per_client, MSG_BYTES);
    return 0;
}
