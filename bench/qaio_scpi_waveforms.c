/* scpi_waveforms, qaio: 16384-point waveforms per second acquired with the
 * qaio SCPI driver (qaio_scpi_scope_open + qaio_instrument_acquire) from an
 * in-process qaio SCPI server (qaio_scpi_server_start on 127.0.0.1, any free
 * port), one loop, one task. Each waveform is the driver's one round trip
 * (":DIGitize;:WAV:SOUR CHAN1;:WAV:PRE?;:WAV:DATA?", REAL LSBFirst: a
 * 64 KiB float32 block) and the server's acquisition of a fresh record of
 * the default signal.
 *
 * The simulated scope spends the record time N/fs waiting, as a real one
 * would; to time the SCPI path and not that wait, the scope runs at 1 GHz
 * (16 us per record) with the trigger in FORCE (free run, no edge search)
 * and no latency. --mode <points> changes the record length (default
 * 16384); N = waveforms per repetition. */
#include <qaio.h>
#include <qaio/instr.h>

#include "bench.h"

static struct {
    bench_opts o;
    long points;
    double rate_hz;
    double *rate;
} b;

static void die(const char *what, int err)
{
    fprintf(stderr, "scpi_waveforms: %s: %s\n", what, qaio_strerror(err));
    exit(1);
}

static int bench_main(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_loop *loop = qaio_loop_get();
    qaio_scpi_server_options so;
    qaio_scpi_server_options_default(&so);
    so.port = 0;
    so.points = (size_t)b.points;
    so.rate = b.rate_hz;
    qaio_scpi_server *srv;
    char msg[256];
    int err = qaio_scpi_server_start(loop, &so, &srv, msg, sizeof msg);
    if (err)
        die(msg, err);
    qaio_instrument *inst;
    if ((err = qaio_scpi_scope_open(loop, "127.0.0.1", qaio_scpi_server_port(srv), 10.0, &inst)))
        die("open", err);
    qaio_scope_settings s;
    qaio_scope_settings_default(&s);
    s.points = (size_t)b.points;
    s.rate = b.rate_hz;
    s.trigger = QAIO_TRIG_FORCE;
    if ((err = qaio_scpi_scope_set_settings(inst, &s)))
        die("set_settings", err);
    qaio_trace *rec = qaio_trace_new(1, 1);
    if ((err = qaio_instrument_acquire(inst, rec, 10.0))) /* warm-up */
        die("acquire", err);
    if ((long)rec->n != b.points)
        die("record length", QAIO_EPROTO);
    for (int r = 0; r < b.o.reps; r++) {
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < b.o.n; i++)
            if ((err = qaio_instrument_acquire(inst, rec, 10.0)))
                die("acquire", err);
        b.rate[r] = (double)b.o.n / ((double)(bench_now_ns() - t0) / 1e9);
    }
    qaio_trace_free(rec);
    qaio_instrument_free(inst);
    qaio_scpi_server_close(srv);
    return 0;
}

int main(int argc, char **argv)
{
    b.o = bench_parse(argc, argv, 500, 20);
    b.points = b.o.mode ? strtol(b.o.mode, NULL, 10) : 16384;
    if (b.points < 2)
        return fprintf(stderr, "--mode <points>\n"), 2;
    b.rate_hz = 1e9;
    double rate[BENCH_MAX_REPS];
    b.rate = rate;
    qaio_loop_get();
    int err = qaio_run(bench_main, NULL, NULL);
    if (err)
        die("run", err);
    bench_report("scpi_waveforms", bench_impl("qaio", 1), b.o.n, rate, b.o.reps, "waveforms/s",
                 "points=%ld format=real fs_hz=%.0f trigger=force", b.points, b.rate_hz);
    return 0;
}
