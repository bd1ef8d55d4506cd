/* scpi_family_<family>, qaio: waveforms per second acquired with qaio's
 * SCPI driver of one oscilloscope family (qaio_scpi_scope_connect with
 * the family named, then qaio_instrument_acquire in a loop, one task)
 * from qaio-instrument-sim answering as that family, in a process of its
 * own (simproc.h). --mode <family> (default qaio); N = waveforms per
 * repetition. py_scpi_family.py sends the same commands with PyVISA.
 *
 * Each family runs at the record length nearest 16384 points its
 * personality offers (the table below; the line says the points the
 * records had), at a rate of about 1 GSa/s so the simulated record time
 * (tens of us) stays small next to the transfer, in its driver's native
 * format. Where the family has a free-run trigger the scope runs in it;
 * the others trigger in AUTO on the served signal, a pure 1 V 1 MHz sine
 * (an edge every 1000 samples at 1 GSa/s: the simulator's trigger search
 * stays short; no noise or harmonics: the simulator's cheapest signal, so
 * the figure times the clients more than the server). The line also says
 * how much CPU time the client and the simulator spent per waveform
 * (client_us_per_wfm, sim_us_per_wfm): the two run one after the other for
 * every record, so the rate is about 1 / (their sum + the wire). */
#include <qaio.h>
#include <qaio/instr.h>

#include "bench.h"
#include "simproc.h"

/* The signal every family figure serves. */
#define FAMILY_SIGNAL "sine amp=1 freq=1e6"

typedef struct family {
    const char *name;   /* the driver */
    const char *personality;
    size_t points;      /* the offered record length nearest 16k */
    double rate;        /* Sa/s the family reaches with it */
    qaio_trigger_mode trigger;
    const char *format; /* the driver's native format, for the line */
} family;

static const family families[] = {
    {"qaio", "qaio", 16384, 1e9, QAIO_TRIG_FORCE, "real32"},
    /* the one buffer; decimation 1 */
    {"redpitaya", "redpitaya", 16384, 125e6, QAIO_TRIG_FORCE, "bin-float32"},
    /* memory depths 12k/120k/...: 12k over 12 div of 1 us */
    {"rigol-ds1000z", "rigol-ds1000z", 12000, 1e9, QAIO_TRIG_FORCE, "byte"},
    /* no depth: a 3.2768 us range at 5 GSa/s is the 16384-point raw record */
    {"keysight-3000x", "keysight-3000x", 16384, 5e9, QAIO_TRIG_AUTO, "word"},
    /* MSIZ 14K: 14 div of 1 us at 1 GSa/s */
    {"siglent-sds1000xe", "siglent-sds1000xe", 14000, 1e9, QAIO_TRIG_AUTO, "dat2-byte"},
    /* MDEPth 10k (the default; 100k is further from 16k): 10 div of 1 us */
    {"siglent-sds2000xp", "siglent-sds2000xp", 10000, 1e9, QAIO_TRIG_AUTO, "byte"},
    /* lengths 1k/10k/100k: 10k over 10 div of 1 us */
    {"tektronix", "tektronix-mdo", 10000, 1e9, QAIO_TRIG_AUTO, "ribinary16"},
    /* 10k/20k/50k...: 20k over 12 div of 1 us */
    {"rs-rtb2000", "rs-rtb2000", 20000, 20000 / 12e-6, QAIO_TRIG_AUTO, "real32"},
};

static struct {
    bench_opts o;
    const family *f;
    int port;
    double rate[BENCH_MAX_REPS], client_cpu[BENCH_MAX_REPS], sim_cpu[BENCH_MAX_REPS];
    pid_t sim_pid;
    size_t got_points;
    double got_rate;
} b;

static void die(const char *what, int err, qaio_instrument *inst)
{
    fprintf(stderr, "scpi_family_%s: %s: %s%s%s\n", b.f->name, what, qaio_strerror(err),
            inst ? ": " : "", inst ? qaio_scpi_scope_last_error(inst) : "");
    exit(1);
}

static int bench_main(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    char addr[64], msg[256];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", b.port);
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    o.address = addr;
    o.driver = b.f->name;
    qaio_instrument *inst;
    int err = qaio_scpi_scope_connect(qaio_loop_get(), &o, &inst, msg, sizeof msg);
    if (err) {
        fprintf(stderr, "scpi_family_%s: connect: %s\n", b.f->name, msg);
        exit(1);
    }
    qaio_scope_settings s;
    qaio_scope_settings_default(&s);
    s.points = b.f->points;
    s.rate = b.f->rate;
    s.trigger = b.f->trigger;
    s.channels = 1;
    if ((err = qaio_scpi_scope_set_settings(inst, &s)))
        die("set_settings", err, inst);
    qaio_trace *rec = qaio_trace_new(1, 1);
    if ((err = qaio_instrument_acquire(inst, rec, 10.0))) /* warm-up */
        die("acquire", err, inst);
    b.got_points = rec->n;
    b.got_rate = 1.0 / rec->dx;
    float lo = rec->y[0][0], hi = lo;
    for (size_t i = 1; i < rec->n; i++) {
        lo = rec->y[0][i] < lo ? rec->y[0][i] : lo;
        hi = rec->y[0][i] > hi ? rec->y[0][i] : hi;
    }
    if (!((hi - lo) / 2 > 0.8 && (hi - lo) / 2 < 1.2)) /* the served 1 V sine, in volts */
        die("the record's amplitude is not 1 V", QAIO_EPROTO, inst);
    for (int r = 0; r < b.o.reps; r++) {
        double c0 = bench_proc_cpu_s(getpid()), s0 = bench_proc_cpu_s(b.sim_pid);
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < b.o.n; i++)
            if ((err = qaio_instrument_acquire(inst, rec, 10.0)))
                die("acquire", err, inst);
        b.rate[r] = (double)b.o.n / ((double)(bench_now_ns() - t0) / 1e9);
        b.client_cpu[r] = (bench_proc_cpu_s(getpid()) - c0) / (double)b.o.n * 1e6;
        b.sim_cpu[r] = (bench_proc_cpu_s(b.sim_pid) - s0) / (double)b.o.n * 1e6;
    }
    qaio_trace_free(rec);
    qaio_instrument_free(inst);
    return 0;
}

int main(int argc, char **argv)
{
    b.o = bench_parse(argc, argv, 300, 10);
    const char *name = b.o.mode ? b.o.mode : "qaio";
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (strcmp(families[i].name, name) == 0)
            b.f = &families[i];
    if (!b.f)
        return fprintf(stderr, "--mode <family>: no family '%s'\n", name), 2;
    bench_sim sim;
    if (bench_sim_start(&sim, b.f->personality, FAMILY_SIGNAL))
        return 1;
    b.port = sim.port;
    b.sim_pid = sim.pid;
    qaio_loop_get();
    int err = qaio_run(bench_main, NULL, NULL);
    bench_sim_stop(&sim);
    if (err)
        die("run", err, NULL);
    char fig[64];
    snprintf(fig, sizeof fig, "scpi_family_%s", b.f->name);
    bench_report(fig, bench_impl("qaio", 1), b.o.n, b.rate, b.o.reps, "waveforms/s",
                 "points=%zu format=%s fs_hz=%.6g trigger=%s client_us_per_wfm=%.0f "
                 "sim_us_per_wfm=%.0f",
                 b.got_points, b.f->format, b.got_rate, qaio_trigger_mode_name(b.f->trigger),
                 bench_median(b.client_cpu, b.o.reps), bench_median(b.sim_cpu, b.o.reps));
    return 0;
}
