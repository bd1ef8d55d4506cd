/* scpi_fleet_c<C>, qaio: C instruments at once from one thread -- C tasks
 * on one qaio loop, each with its own connected keysight-3000x instrument
 * (qaio_scpi_scope_connect, qaio_instrument_acquire in a loop) -- against
 * S qaio-instrument-sim processes answering as a Keysight InfiniiVision
 * (instrument i on simulator i mod S); aggregate waveforms/s.
 * py_scpi_fleet.py is the same with PyVISA-py and C threads.
 *
 * The record is scpi_family_keysight-3000x's: 16384 WORD points at
 * 5 GSa/s, AUTO trigger on a pure 1 MHz sine, one round trip each. Every
 * instrument connects, applies the settings and takes a warm-up record,
 * then all wait on a barrier; only the acquisitions after it are timed,
 * R = N / C records per instrument, until the last instrument is done.
 * A simulator takes one acquisition at a time across its sessions (its
 * scope is one scope), so S bounds what the servers can give; the line
 * says how many cores the simulators and the client kept busy while it
 * was timed (sim_cores, client_cores) and their CPU time per waveform
 * (sim_us_per_wfm, client_us_per_wfm): which side was the bottleneck.
 *
 * --mode c<C> (default c100); the simulators: 4 (--quick: C 10, S 2). */
#include <qaio.h>
#include <qaio/instr.h>

#include <errno.h>

#include "bench.h"
#include "simproc.h"

#define FLEET_SIGNAL "sine amp=1 freq=1e6"
#define FLEET_FAMILY "keysight-3000x"
#define FLEET_POINTS 16384
#define FLEET_RATE 5e9
#define MAX_SIMS 8
#define WAIT_S 60.0

static struct {
    bench_opts o;
    qaio_loop *loop;
    int clients, nsims;
    bench_sim sim[MAX_SIMS];
    long per_client;
    int connected;
    long left[BENCH_MAX_REPS];
    qaio_event *all_connected, *go[BENCH_MAX_REPS], *done[BENCH_MAX_REPS];
    double rate[BENCH_MAX_REPS], sim_cpu[BENCH_MAX_REPS], self_cpu[BENCH_MAX_REPS];
} b;

static void die(const char *what, int err, qaio_instrument *inst)
{
    fprintf(stderr, "scpi_fleet: %s: %s%s%s\n", what, qaio_strerror(err), inst ? ": " : "",
            inst ? qaio_scpi_scope_last_error(inst) : "");
    exit(1);
}

static double sims_cpu(void)
{
    double t = 0;
    for (int i = 0; i < b.nsims; i++)
        t += bench_proc_cpu_s(b.sim[i].pid);
    return t;
}

static int client(void *arg, qaio_future *self)
{
    (void)self;
    int i = (int)(intptr_t)arg;
    char addr[64], msg[256];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", b.sim[i % b.nsims].port);
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    o.address = addr;
    o.driver = FLEET_FAMILY;
    o.timeout_s = WAIT_S;
    qaio_instrument *inst;
    int err = qaio_scpi_scope_connect(b.loop, &o, &inst, msg, sizeof msg);
    if (err) {
        fprintf(stderr, "scpi_fleet: connect: %s\n", msg);
        exit(1);
    }
    qaio_scope_settings s;
    qaio_scope_settings_default(&s);
    s.points = FLEET_POINTS;
    s.rate = FLEET_RATE;
    s.channels = 1;
    if ((err = qaio_scpi_scope_set_settings(inst, &s)))
        die("set_settings", err, inst);
    qaio_trace *rec = qaio_trace_new(1, 1);
    if ((err = qaio_instrument_acquire(inst, rec, WAIT_S)))
        die("acquire", err, inst);
    if (rec->n != FLEET_POINTS)
        die("record length", QAIO_EPROTO, inst);
    if (++b.connected == b.clients)
        qaio_event_set(b.all_connected);
    for (int r = 0; r < b.o.reps; r++) {
        if ((err = qaio_event_wait(b.go[r], WAIT_S)))
            die("barrier", err, NULL);
        for (long k = 0; k < b.per_client; k++)
            if ((err = qaio_instrument_acquire(inst, rec, WAIT_S)))
                die("acquire", err, inst);
        if (--b.left[r] == 0)
            qaio_event_set(b.done[r]);
    }
    qaio_trace_free(rec);
    qaio_instrument_free(inst);
    return 0;
}

static int bench_main(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    b.all_connected = qaio_event_new(b.loop);
    for (int r = 0; r < b.o.reps; r++) {
        b.go[r] = qaio_event_new(b.loop);
        b.done[r] = qaio_event_new(b.loop);
        b.left[r] = b.clients;
    }
    qaio_future **tasks = calloc((size_t)b.clients, sizeof *tasks);
    for (int i = 0; i < b.clients; i++)
        if (!tasks || !(tasks[i] = qaio_spawn(b.loop, client, (void *)(intptr_t)i)))
            die("spawn", -errno, NULL);
    int err = qaio_event_wait(b.all_connected, WAIT_S);
    if (err)
        die("connecting", err, NULL);
    for (int r = 0; r < b.o.reps; r++) {
        double s0 = sims_cpu(), c0 = bench_proc_cpu_s(getpid());
        int64_t t0 = bench_now_ns();
        qaio_event_set(b.go[r]);
        if ((err = qaio_event_wait(b.done[r], QAIO_FOREVER)))
            die("waiting", err, NULL);
        double wall = (double)(bench_now_ns() - t0) / 1e9;
        b.rate[r] = (double)(b.per_client * b.clients) / wall;
        b.sim_cpu[r] = (sims_cpu() - s0) / wall;
        b.self_cpu[r] = (bench_proc_cpu_s(getpid()) - c0) / wall;
    }
    for (int i = 0; i < b.clients; i++) {
        qaio_await(tasks[i], NULL);
        qaio_future_unref(tasks[i]);
    }
    free(tasks);
    return 0;
}

int main(int argc, char **argv)
{
    b.o = bench_parse(argc, argv, 3000, 100);
    b.clients = b.o.quick ? 10 : 100;
    if (b.o.mode && (b.o.mode[0] != 'c' || (b.clients = atoi(b.o.mode + 1)) < 1))
        return fprintf(stderr, "--mode c<instruments>\n"), 2;
    b.nsims = b.o.quick ? 2 : 4;
    b.per_client = b.o.n / b.clients > 0 ? b.o.n / b.clients : 1;
    bench_fit_connections(b.clients);
    for (int i = 0; i < b.nsims; i++)
        if (bench_sim_start(&b.sim[i], FLEET_FAMILY, FLEET_SIGNAL))
            return 1;
    b.loop = qaio_loop_get();
    int err = qaio_run(bench_main, NULL, NULL);
    for (int i = 0; i < b.nsims; i++)
        bench_sim_stop(&b.sim[i]);
    if (err)
        die("run", err, NULL);
    char fig[32];
    snprintf(fig, sizeof fig, "scpi_fleet_c%d", b.clients);
    double wfm = bench_median(b.rate, b.o.reps);
    double sc = bench_median(b.sim_cpu, b.o.reps), cc = bench_median(b.self_cpu, b.o.reps);
    bench_report(fig, bench_impl("qaio", 1), b.per_client * b.clients, b.rate, b.o.reps,
                 "waveforms/s",
                 "family=%s points=%d sims=%d per_instrument=%ld sim_cores=%.2f client_cores=%.2f "
                 "sim_us_per_wfm=%.0f client_us_per_wfm=%.0f",
                 FLEET_FAMILY, FLEET_POINTS, b.nsims, b.per_client, sc, cc, sc / wfm * 1e6,
                 cc / wfm * 1e6);
    return 0;
}
