/* qaio_soak: one process, one loop, on 127.0.0.1, for M minutes:
 *
 *   - a server (qaio_start_server) and N client connections (10,000 asked;
 *     fewer when the fd limit cannot hold 2N sockets), each client task
 *     sending windows of 1..8 numbered, variable-length messages (16 B ..
 *     1 KiB), reading their echoes back and checking, per connection, that
 *     every message comes back, in order, intact; then it pauses 0 .. 2P
 *     (P = --pause-ms, 2000 by default: the loop is busy, not saturated;
 *     0 runs the echo flat out);
 *   - 100,000 timers re-arming themselves (call_later chains, delays of
 *     1 ms .. 2 s), each fire's lateness measured against the deadline it
 *     asked for;
 *   - 10,000 task slots cycling: spawn, sleep 0 .. 1 s, yield, finish with a
 *     malloc'd value, and the done-callback spawns the next one.
 *
 * Every SAMPLE_S seconds it prints RSS (/proc/self/statm), malloc's heap
 * (in use / held from the OS, mallinfo2), open fds, and the interval's
 * messages/s, timer fires/s with lateness p99 (a histogram in 2^(1/4)
 * steps: the bucket's upper edge) and max, and tasks completed/s. At the
 * end: RSS after warm-up vs at the end and the largest deviation in
 * between (limit 5%), messages echoed / lost / reordered / corrupted,
 * timers fired (early: must be 0), tasks completed. Exit status 0 when
 * every invariant held, 1 otherwise, 2 for a usage error.
 *
 * Bounded by construction: a client has at most 8 KiB in flight, the echo
 * handler drains at the stream's high-water mark, connecting is windowed
 * (CONNECT_WINDOW clients between connect() and their first echo), and
 * the sample table is sized from the duration.
 *
 * Usage: qaio_soak [--minutes M] [--seconds S] [--connections N]
 *                  [--timers T] [--tasks K] [--warmup S] [--pause-ms P]
 * --seconds overrides --minutes (short trial runs); the warm-up is the
 * first minute, or a fifth of a shorter run. SIGINT ends the run phase
 * early and still prints the summary. */
#include <dirent.h>
#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <qaio.h>

#include "bench.h" /* bench_fit_connections */

#define SAMPLE_S 5.0
#define CONNECT_WINDOW 500
#define WINDOW_MAX 8           /* messages in flight per connection */
#define HEADER 16              /* u32 length, u32 connection, u64 sequence */
#define MSG_MAX 1024
#define IO_TIMEOUT_S 60.0      /* a lost message shows as this timeout */
#define RSS_LIMIT 0.05
#define LAT_BUCKETS 96         /* lateness histogram: bucket i ends at 2^(i/4) us (13.8 s) */

typedef struct {
    uint64_t messages, timers, tasks;
} counters;

static struct {
    qaio_loop *loop;
    int port;
    long conns, conns_asked, fd_limit;
    long ntimers, ntasks;
    double run_s, warmup_s, pause_s;
    bool stopping, ok;

    /* clients */
    qaio_semaphore *window;
    qaio_event *all_connected, *go, *clients_done, *stop_now;
    long connected, clients_left;
    uint64_t sent, echoed, reordered, corrupted, conn_errors, connect_errors;

    /* timers */
    struct timer *timers;
    uint64_t fired, early;
    uint64_t lat_hist[LAT_BUCKETS], lat_hist_all[LAT_BUCKETS];
    double lat_max, lat_max_all, lat_max_warmup; /* _all: after the warm-up */

    /* cycling tasks */
    struct slot *slots;
    long slots_live;
    qaio_event *slots_done;
    uint64_t completed, task_errors, spawn_errors;

    /* samples */
    double t0;
    counters last;
    double last_t;
    double *rss;      /* MiB, one per sample */
    double *rss_t;    /* seconds since the run began */
    size_t nsamples, cap;
    qaio_handle sampler;
} S;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double rss_mib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static long open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    long n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3; /* ".", ".." and the DIR's own fd */
}

/* --- echo: server and clients -------------------------------------------- */

static int echo(qaio_stream *conn, void *arg)
{
    (void)arg;
    char buf[4096];
    ssize_t n;
    while ((n = qaio_stream_read(conn, buf, sizeof buf, QAIO_FOREVER)) > 0) {
        int err = qaio_stream_write(conn, buf, (size_t)n);
        if (!err)
            err = qaio_stream_drain(conn, IO_TIMEOUT_S); /* bounded: waits only over 64 KiB */
        if (err)
            return err;
    }
    return (int)n;
}

static unsigned char pattern(uint32_t id, uint64_t seq, size_t i)
{
    return (unsigned char)(seq * 31u + i * 7u + id);
}

static void put32(unsigned char *b, uint32_t v) { memcpy(b, &v, 4); }
static uint32_t get32(const unsigned char *b)
{
    uint32_t v;
    memcpy(&v, b, 4);
    return v;
}

static size_t build(unsigned char *m, uint32_t id, uint64_t seq, uint64_t *rng)
{
    size_t len = HEADER + (size_t)(splitmix(rng) % (MSG_MAX - HEADER + 1));
    put32(m, (uint32_t)len);
    put32(m + 4, id);
    memcpy(m + 8, &seq, 8);
    for (size_t i = HEADER; i < len; i++)
        m[i] = pattern(id, seq, i);
    return len;
}

/* Reads one echo and checks it against what connection id expects next.
 * Returns 0, or the stream's error. */
static int receive(qaio_stream *s, uint32_t id, uint64_t *expect)
{
    unsigned char m[MSG_MAX];
    ssize_t n = qaio_stream_readexactly(s, m, HEADER, IO_TIMEOUT_S);
    if (n < 0)
        return (int)n;
    uint32_t len = get32(m);
    uint64_t seq;
    memcpy(&seq, m + 8, 8);
    if (len < HEADER || len > MSG_MAX || get32(m + 4) != id) {
        S.corrupted++;
        return QAIO_EPROTO; /* the framing is lost: this connection is done */
    }
    if ((n = qaio_stream_readexactly(s, m + HEADER, len - HEADER, IO_TIMEOUT_S)) < 0)
        return (int)n;
    for (size_t i = HEADER; i < len; i++)
        if (m[i] != pattern(id, seq, i)) {
            S.corrupted++;
            break;
        }
    if (seq != *expect)
        S.reordered++;
    *expect = seq + 1;
    S.echoed++;
    return 0;
}

static void client_ended(void)
{
    if (--S.clients_left == 0)
        qaio_event_set(S.clients_done);
}

static int client(void *arg, qaio_future *self)
{
    (void)self;
    uint32_t id = (uint32_t)(uintptr_t)arg;
    uint64_t rng = 0x50a4 + id, next_send = 0, expect = 0, got = 0;
    qaio_stream *s = NULL;
    int err = qaio_semaphore_acquire(S.window, QAIO_FOREVER);
    if (!err)
        err = qaio_open_connection(S.loop, "127.0.0.1", S.port, IO_TIMEOUT_S, &s);
    if (!err) { /* one echo before counting as connected: the accept is done */
        unsigned char m[MSG_MAX];
        size_t len = build(m, id, next_send++, &rng);
        S.sent++;
        err = qaio_stream_write(s, m, len);
        if (!err && (err = receive(s, id, &expect)) == 0)
            got++;
    }
    qaio_semaphore_release(S.window);
    if (err) {
        S.connect_errors++;
        fprintf(stderr, "qaio_soak: client %u: connecting: %s\n", id, qaio_strerror(err));
    }
    if (++S.connected == S.conns)
        qaio_event_set(S.all_connected);
    bool up = !err;
    if (up)
        err = qaio_event_wait(S.go, QAIO_FOREVER);

    while (!err && !S.stopping) {
        unsigned char m[MSG_MAX];
        int w = 1 + (int)(splitmix(&rng) % WINDOW_MAX);
        for (int k = 0; k < w && !err; k++) {
            size_t len = build(m, id, next_send++, &rng);
            S.sent++;
            err = qaio_stream_write(s, m, len);
        }
        while (!err && got < next_send)
            if ((err = receive(s, id, &expect)) == 0)
                got++;
        if (!err && S.pause_s > 0 && !S.stopping) /* 0 .. 2x the mean pause */
            err = qaio_sleep(S.pause_s * (double)(splitmix(&rng) % 2001) / 1000.0);
    }
    if (err && up) {
        S.conn_errors++;
        fprintf(stderr, "qaio_soak: connection %u: %s after %" PRIu64 " echoes\n", id,
                qaio_strerror(err), got);
    }
    qaio_stream_close(s);
    client_ended();
    return 0;
}

/* --- timers -------------------------------------------------------------- */

struct timer {
    double due;
    qaio_handle h;
    uint64_t rng;
};

static int lat_bucket(double late_s)
{
    double us = late_s * 1e6;
    if (us < 1)
        return 0;
    int b = (int)(4 * log2(us)) + 1;
    return b < LAT_BUCKETS ? b : LAT_BUCKETS - 1;
}

/* Upper bound of a bucket, in ms. */
static double bucket_ms(int b) { return b == 0 ? 0.001 : pow(2, b / 4.0) / 1e3; }

static double percentile_ms(const uint64_t *hist, double q)
{
    uint64_t total = 0, seen = 0;
    for (int i = 0; i < LAT_BUCKETS; i++)
        total += hist[i];
    if (!total)
        return 0;
    for (int i = 0; i < LAT_BUCKETS; i++)
        if ((seen += hist[i]) >= (uint64_t)ceil(q * (double)total))
            return bucket_ms(i);
    return bucket_ms(LAT_BUCKETS - 1);
}

static void timer_fire(void *arg);

static void timer_arm(struct timer *t)
{
    double delay = 0.001 * (double)(1 + splitmix(&t->rng) % 2000); /* 1 ms .. 2 s */
    t->due = qaio_loop_time(S.loop) + delay; /* qaio's own deadline is no earlier */
    t->h = qaio_call_later(S.loop, delay, timer_fire, t);
    if (!t->h) {
        fprintf(stderr, "qaio_soak: call_later failed\n");
        exit(1);
    }
}

static void timer_fire(void *arg)
{
    struct timer *t = arg;
    double late = qaio_loop_time(S.loop) - t->due;
    t->h = 0;
    S.fired++;
    if (late < 0)
        S.early++;
    S.lat_hist[lat_bucket(late)]++;
    if (late > S.lat_max)
        S.lat_max = late;
    if (!S.stopping)
        timer_arm(t);
}

/* --- cycling tasks ------------------------------------------------------- */

struct slot {
    uint64_t rng;
    long n;
};

static int cycler(void *arg, qaio_future *self)
{
    struct slot *sl = arg;
    int err = qaio_sleep((double)(splitmix(&sl->rng) % 1000) / 1000.0);
    if (!err)
        err = qaio_yield();
    if (err)
        return err;
    long *v = malloc(sizeof *v);
    if (!v)
        return QAIO_ENOMEM;
    *v = sl->n;
    return qaio_future_set_result(self, v, free);
}

static void slot_spawn(struct slot *sl);

static void cycler_done(qaio_future *f, void *arg)
{
    struct slot *sl = arg;
    void *v = NULL;
    if (qaio_future_try_result(f, &v) != 0 || !v || *(long *)v != sl->n)
        S.task_errors++;
    qaio_future_unref(f);
    S.completed++;
    sl->n++;
    if (!S.stopping) {
        slot_spawn(sl);
    } else if (--S.slots_live == 0) {
        qaio_event_set(S.slots_done);
    }
}

static void slot_spawn(struct slot *sl)
{
    qaio_future *f = qaio_spawn_named(S.loop, "cycler", 32 * 1024, cycler, sl);
    if (!f || qaio_future_add_done_callback(f, cycler_done, sl) != 0) {
        S.spawn_errors++;
        if (f) {
            qaio_future_cancel(f);
            qaio_future_unref(f);
        }
        if (--S.slots_live == 0 && S.stopping)
            qaio_event_set(S.slots_done);
    }
}

/* --- sampling ------------------------------------------------------------ */

/* Folds the interval's lateness into the run's: the figures after the
 * warm-up, or only the warm-up's maximum (arming 100k timers at once and
 * the first echoes make the start-up's lateness no steady-state figure). */
static void fold_lateness(bool after_warmup)
{
    for (int i = 0; i < LAT_BUCKETS; i++) {
        if (after_warmup)
            S.lat_hist_all[i] += S.lat_hist[i];
        S.lat_hist[i] = 0;
    }
    double *max = after_warmup ? &S.lat_max_all : &S.lat_max_warmup;
    if (S.lat_max > *max)
        *max = S.lat_max;
    S.lat_max = 0;
}

static counters now_counters(void) { return (counters){S.echoed, S.fired, S.completed}; }

static void sample(void *arg)
{
    (void)arg;
    double t = qaio_loop_time(S.loop);
    double dt = t - S.last_t;
    counters c = now_counters();
    double rss = rss_mib();
    struct mallinfo2 mi = mallinfo2(); /* malloc's view: in use, and held from the OS */
    if (S.nsamples < S.cap) {
        S.rss[S.nsamples] = rss;
        S.rss_t[S.nsamples] = t - S.t0;
        S.nsamples++;
    }
    printf("t=%5.0fs rss=%6.1f MiB heap=%6.1f/%6.1f MiB fds=%5ld msgs/s=%6.0f timers/s=%6.0f "
           "late p99=%6.2fms max=%6.2fms tasks/s=%5.0f\n",
           t - S.t0, rss, (double)mi.uordblks / 1048576.0,
           (double)(mi.arena + mi.hblkhd) / 1048576.0, open_fds(), (double)(c.messages - S.last.messages) / dt,
           (double)(c.timers - S.last.timers) / dt, percentile_ms(S.lat_hist, 0.99),
           S.lat_max * 1e3, (double)(c.tasks - S.last.tasks) / dt);
    fflush(stdout);
    fold_lateness(S.last_t - S.t0 >= S.warmup_s - 1e-6);
    S.last = c;
    S.last_t = t;
    S.sampler = qaio_call_at(S.loop, S.t0 + SAMPLE_S * (double)(S.nsamples + 1), sample, NULL);
}

static void on_sigint(void *arg)
{
    (void)arg;
    qaio_event_set(S.stop_now);
}

/* --- the run ------------------------------------------------------------- */

static int soak(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_server *srv;
    int err = qaio_start_server(S.loop, "127.0.0.1", 0, echo, NULL, &srv);
    if (err) {
        fprintf(stderr, "qaio_soak: server: %s\n", qaio_strerror(err));
        return err;
    }
    S.port = qaio_server_port(srv);
    S.window = qaio_semaphore_new(S.loop, CONNECT_WINDOW, 0);
    S.all_connected = qaio_event_new(S.loop);
    S.go = qaio_event_new(S.loop);
    S.clients_done = qaio_event_new(S.loop);
    S.slots_done = qaio_event_new(S.loop);
    S.stop_now = qaio_event_new(S.loop);
    qaio_add_signal_handler(S.loop, SIGINT, on_sigint, NULL);

    double setup0 = qaio_loop_time(S.loop);
    S.clients_left = S.conns;
    for (long i = 0; i < S.conns; i++) {
        qaio_future *f = qaio_spawn_named(S.loop, "client", 64 * 1024, client, (void *)(uintptr_t)i);
        if (!f) {
            fprintf(stderr, "qaio_soak: spawning client %ld failed\n", i);
            exit(1);
        }
        qaio_future_unref(f); /* it runs on; clients_done says when all ended */
    }
    qaio_event_wait(S.all_connected, QAIO_FOREVER);
    printf("setup: %ld connections in %.1f s (%" PRIu64 " failed)\n", S.conns,
           qaio_loop_time(S.loop) - setup0, S.connect_errors);

    S.timers = calloc((size_t)S.ntimers, sizeof *S.timers);
    S.slots = calloc((size_t)S.ntasks, sizeof *S.slots);
    S.cap = (size_t)(S.run_s / SAMPLE_S) + 4;
    S.rss = calloc(S.cap, sizeof *S.rss);
    S.rss_t = calloc(S.cap, sizeof *S.rss_t);
    if (!S.timers || !S.slots || !S.rss || !S.rss_t) {
        fprintf(stderr, "qaio_soak: out of memory\n");
        exit(1);
    }
    S.t0 = S.last_t = qaio_loop_time(S.loop);
    S.last = now_counters();
    for (long i = 0; i < S.ntimers; i++) {
        S.timers[i].rng = 0x7133 + (uint64_t)i;
        timer_arm(&S.timers[i]);
    }
    S.slots_live = S.ntasks;
    for (long i = 0; i < S.ntasks; i++) {
        S.slots[i].rng = 0xc1c1 + (uint64_t)i;
        slot_spawn(&S.slots[i]);
    }
    qaio_event_set(S.go);
    S.sampler = qaio_call_at(S.loop, S.t0 + SAMPLE_S, sample, NULL);

    err = qaio_event_wait(S.stop_now, S.run_s);
    double ran = qaio_loop_time(S.loop) - S.t0;
    if (err == 0)
        printf("interrupted after %.0f s\n", ran);

    /* Wind down: clients finish their window and hang up, timers stop
     * re-arming (and the pending ones are cancelled), slots stop respawning. */
    S.stopping = true;
    qaio_cancel(S.loop, S.sampler);
    long cancelled = 0;
    for (long i = 0; i < S.ntimers; i++)
        if (S.timers[i].h)
            cancelled += qaio_cancel(S.loop, S.timers[i].h) == 1;
    int e1 = qaio_event_wait(S.clients_done, 2 * IO_TIMEOUT_S);
    int e2 = qaio_event_wait(S.slots_done, 30.0);
    qaio_server_close(srv);
    qaio_remove_signal_handler(S.loop, SIGINT);
    if (e1 || e2)
        fprintf(stderr, "qaio_soak: winding down timed out (clients %s, tasks %s)\n",
                qaio_strerror(e1), qaio_strerror(e2));

    /* --- the summary ---------------------------------------------------- */
    size_t base = 0;
    while (base < S.nsamples && S.rss_t[base] < S.warmup_s - 1e-6)
        base++;
    double rss0 = base < S.nsamples ? S.rss[base] : NAN, rss1 = NAN, dev = 0;
    for (size_t i = base; i < S.nsamples; i++) {
        double d = fabs(S.rss[i] - rss0) / rss0;
        if (d > dev)
            dev = d;
        rss1 = S.rss[i];
    }
    fold_lateness(S.last_t - S.t0 >= S.warmup_s - 1e-6); /* the last partial interval */
    uint64_t lost = S.sent - S.echoed;
    bool rss_ok = base < S.nsamples && dev <= RSS_LIMIT;
    bool ok = rss_ok && lost == 0 && S.reordered == 0 && S.corrupted == 0 && S.early == 0 &&
              S.conn_errors == 0 && S.connect_errors == 0 && S.task_errors == 0 &&
              S.spawn_errors == 0 && !e1 && !e2;

    printf("\n== qaio soak summary ==\n");
    printf("ran:            %.1f min (%.0f s; warm-up %.0f s; %zu samples every %.0f s)\n",
           ran / 60, ran, S.warmup_s, S.nsamples, SAMPLE_S);
    printf("connections:    %ld (asked %ld; fd limit %ld)\n", S.conns, S.conns_asked, S.fd_limit);
    if (base < S.nsamples)
        printf("RSS:            %.1f MiB after warm-up (t=%.0f s), %.1f MiB at the end, "
               "max deviation %.2f%% (limit %.0f%%)  %s\n",
               rss0, S.rss_t[base], rss1, dev * 100, RSS_LIMIT * 100, rss_ok ? "ok" : "FAIL");
    else
        printf("RSS:            no sample after the warm-up: run longer  FAIL\n");
    printf("messages:       %" PRIu64 " echoed (%.0f/s), %" PRIu64 " lost, %" PRIu64
           " reordered, %" PRIu64 " corrupted\n",
           S.echoed, (double)S.echoed / ran, lost, S.reordered, S.corrupted);
    printf("connection errors: %" PRIu64 " (connect %" PRIu64 ")\n", S.conn_errors,
           S.connect_errors);
    printf("timers:         %" PRIu64 " fired (%.0f/s) by %ld chains, %" PRIu64
           " early, %ld cancelled at the end\n",
           S.fired, (double)S.fired / ran, S.ntimers, S.early, cancelled);
    printf("lateness:       after warm-up p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.2f ms "
           "(bucket upper edges); max during warm-up %.2f ms\n",
           percentile_ms(S.lat_hist_all, 0.5), percentile_ms(S.lat_hist_all, 0.99),
           percentile_ms(S.lat_hist_all, 0.999), S.lat_max_all * 1e3, S.lat_max_warmup * 1e3);
    printf("tasks:          %" PRIu64 " completed (%.0f/s) by %ld slots, %" PRIu64
           " failed, %" PRIu64 " spawn failures\n",
           S.completed, (double)S.completed / ran, S.ntasks, S.task_errors, S.spawn_errors);
    printf("result:         %s\n", ok ? "PASS" : "FAIL");
    fflush(stdout);

    qaio_semaphore_free(S.window);
    qaio_event_free(S.all_connected);
    qaio_event_free(S.go);
    qaio_event_free(S.clients_done);
    qaio_event_free(S.slots_done);
    qaio_event_free(S.stop_now);
    free(S.timers);
    free(S.slots);
    free(S.rss);
    free(S.rss_t);
    S.ok = ok;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: qaio_soak [--minutes M] [--seconds S] [--connections N] "
                    "[--timers T] [--tasks K] [--warmup S] [--pause-ms P]\n");
    exit(2);
}

static double num(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        usage();
    char *end;
    double v = strtod(argv[++*i], &end);
    if (*end || !(v >= 0) || !isfinite(v))
        usage();
    return v;
}

int main(int argc, char **argv)
{
    double minutes = 10, seconds = -1, warmup = -1, pause_ms = 2000;
    long conns = 10000, timers = 100000, tasks = 10000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--minutes"))
            minutes = num(argc, argv, &i);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = num(argc, argv, &i);
        else if (!strcmp(argv[i], "--connections"))
            conns = (long)num(argc, argv, &i);
        else if (!strcmp(argv[i], "--timers"))
            timers = (long)num(argc, argv, &i);
        else if (!strcmp(argv[i], "--tasks"))
            tasks = (long)num(argc, argv, &i);
        else if (!strcmp(argv[i], "--warmup"))
            warmup = num(argc, argv, &i);
        else if (!strcmp(argv[i], "--pause-ms"))
            pause_ms = num(argc, argv, &i);
        else
            usage();
    }
    S.run_s = seconds >= 0 ? seconds : minutes * 60;
    if (S.run_s < 2 * SAMPLE_S || conns < 1)
        usage();
    /* Warm-up: the first minute, or a fifth of a shorter run. */
    S.warmup_s = warmup >= 0 ? warmup : fmin(60, floor(S.run_s / 5 / SAMPLE_S) * SAMPLE_S);
    S.conns_asked = conns;
    S.conns = bench_fit_connections(conns); /* raises the soft limit to the hard one */
    struct rlimit rl;
    S.fd_limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                     ? (long)rl.rlim_cur
                     : -1;
    S.pause_s = pause_ms / 1000;
    S.ntimers = timers;
    S.ntasks = tasks;
    if (S.conns < conns)
        printf("fd limit %ld: %ld connections instead of %ld (two fds each)\n", S.fd_limit,
               S.conns, conns);
    printf("qaio_soak: %.0f s, %ld connections (pause %.0f ms), %ld timers, %ld tasks on "
           "127.0.0.1, pid %d\n",
           S.run_s, S.conns, pause_ms, S.ntimers, S.ntasks, (int)getpid());
    fflush(stdout);
    S.loop = qaio_loop_get();
    if (!S.loop)
        return 1;
    int err = qaio_run(soak, NULL, NULL);
    return err == 0 && S.ok ? 0 : 1;
}
