/* accept_rate, qaio: N client tasks open TCP connections to a qaio server
 * (qaio_start_server: a task per accepted connection) in the same process,
 * over 127.0.0.1. Timed from the first spawn until every client's
 * qaio_open_connection returned and every connection's handler started;
 * reports connections per second. All N stay open until then (2N fds), so
 * N is lowered to fit the fd limit (the line says requested=).
 *
 * Concurrency is windowed: a client takes a semaphore unit before
 * connect() and the server's handler gives it back, so at most
 * CONNECT_WINDOW connections wait in the listen backlog (4096 here, the
 * same for every implementation): an overflowing backlog drops SYNs and
 * costs 1 s retransmissions, which would time the kernel, not the loop.
 * Each repetition uses a fresh server and closes everything afterwards. */
#include <string.h>
#include <qaio.h>

#include "bench.h"

#define CONNECT_WINDOW 1000
/* No timeouts, like the libuv and asyncio programs: a timed wait arms and
 * cancels a timer per wait, 20k of them pending at once here, which the
 * references do not pay; bench/run's guard bounds a hang. */
#define WAIT_S QAIO_FOREVER

static struct {
    qaio_loop *loop;
    int port;
    long n, accepted, connected, closed;
    qaio_semaphore *window;
    qaio_event *all_up, *hangup, *all_closed;
} b;

static void die(const char *what, int err)
{
    fprintf(stderr, "qaio_accept_rate: %s: %s\n", what, qaio_strerror(err));
    exit(1);
}

static void one_up(void)
{
    if (b.accepted == b.n && b.connected == b.n)
        qaio_event_set(b.all_up);
}

/* The server's handler: counts the connection, reopens the window, and
 * keeps the connection until the repetition ends. */
static int handler(qaio_stream *conn, void *arg)
{
    (void)conn;
    (void)arg;
    qaio_semaphore_release(b.window);
    b.accepted++;
    one_up();
    int err = qaio_event_wait(b.hangup, WAIT_S);
    return err == QAIO_ECLOSED ? 0 : err;
}

static int client(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_stream *s;
    int err = qaio_semaphore_acquire(b.window, WAIT_S);
    if (err)
        die("window", err);
    if ((err = qaio_open_connection(b.loop, "127.0.0.1", b.port, WAIT_S, &s)) != 0)
        die("connect", err);
    b.connected++;
    one_up();
    if ((err = qaio_event_wait(b.hangup, WAIT_S)) != 0)
        die("hangup", err);
    qaio_stream_close(s);
    if (++b.closed == b.n)
        qaio_event_set(b.all_closed);
    return 0;
}

static int bench_main(void *arg, qaio_future *self)
{
    (void)self;
    bench_opts *o = arg;
    double rate[BENCH_MAX_REPS];
    for (int r = 0; r < o->reps; r++) {
        qaio_server *srv;
        int err = qaio_start_server(b.loop, "127.0.0.1", 0, handler, NULL, &srv);
        if (err)
            die("server", err);
        b.port = qaio_server_port(srv);
        b.window = qaio_semaphore_new(b.loop, CONNECT_WINDOW, 0);
        b.all_up = qaio_event_new(b.loop);
        b.hangup = qaio_event_new(b.loop);
        b.all_closed = qaio_event_new(b.loop);
        b.accepted = b.connected = b.closed = 0;

        int64_t t0 = bench_now_ns();
        for (long i = 0; i < b.n; i++) {
            qaio_future *t = qaio_spawn(b.loop, client, NULL);
            if (!t)
                die("spawn", -errno);
            qaio_future_unref(t); /* a running task keeps itself alive */
        }
        if ((err = qaio_event_wait(b.all_up, WAIT_S)) != 0)
            die("connecting", err);
        rate[r] = (double)b.n / ((double)(bench_now_ns() - t0) / 1e9);

        qaio_event_set(b.hangup);
        if ((err = qaio_event_wait(b.all_closed, WAIT_S)) != 0)
            die("closing", err);
        qaio_server_close(srv); /* waits for the handlers */
        qaio_event_free(b.all_up);
        qaio_event_free(b.hangup);
        qaio_event_free(b.all_closed);
        qaio_semaphore_free(b.window);
    }
    bench_report("accept_rate", bench_impl("qaio", 1), b.n, rate, o->reps, "conn/s",
                 "requested=%ld window=%d", o->n, CONNECT_WINDOW);
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 10000, 500);
    b.n = bench_fit_connections(o.n);
    b.loop = qaio_loop_get();
    int err = qaio_run(bench_main, &o, NULL);
    if (err)
        die("run", err);
    return 0;
}
