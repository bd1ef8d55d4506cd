/* qaio-acquire: one averaged acquisition, headless, written as CSV. The
 * work is libqaio-instr's run_single on a simulated or SCPI scope, a
 * spectrum analyzer over it, or the simulated network analyzer; this file
 * reads options, shows progress and writes the result. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qaio.h>
#include <qaio/instr.h>

#include "measurements.h"

#define PROG "qaio-acquire"

typedef struct options {
    const char *source, *driver, *mode, *signal, *window, *average, *unit, *out;
    unsigned averages, channels;
    size_t points;
    double rate, timeout;
    bool points_given, rate_given; /* a remote instrument keeps its own otherwise */
    bool measure;                  /* --measure: measurements on stderr */
} options;

typedef struct run {
    options o;
    char where[300];   /* "sim" or host:port, for messages */
    char idn[256];
    const char *driver; /* the SCPI driver family used, or NULL */
    qaio_future *task; /* the acquisition task, for Ctrl-C */
    bool interrupted, tty;
    unsigned shown;    /* progress: last k printed */
    qaio_trace *result;
    size_t used_points; /* what the instrument reported using (0: as asked) */
    double used_rate;
    double enbw;
    char errmsg[300];
} run;

static void usage(FILE *f)
{
    char drivers[400] = "";
    size_t n = 0;
    for (size_t i = 0; qaio_scpi_driver_name(i) && n < sizeof drivers; i++)
        n += (size_t)snprintf(drivers + n, sizeof drivers - n, "%s%s", i ? " " : "",
                              qaio_scpi_driver_name(i));
    fprintf(f,
            "usage: " PROG " [--source sim|ADDRESS] [--driver NAME] [--mode scope|spectrum|na]\n"
            "       [--averages N] [--points N] [--rate HZ] [--signal S] [--window W]\n"
            "       [--average power|log|peak|min] [--unit U] [--channels 1|2|3]\n"
            "       [--out FILE.csv] [--timeout S] [--measure] | --help | --version\n"
            "Runs one averaged acquisition and writes it as CSV (standard output\n"
            "without --out): '# key: value' lines (instrument, time, settings asked\n"
            "and used), a header row, one row per point (x in seconds or hertz, then\n"
            "one column per channel, named like ch1_V or ch1_dBm_Hz).\n"
            "  --source    sim (default) or a SCPI oscilloscope: HOST[:PORT] (the family's\n"
            "              port), TCPIP0::HOST::PORT::SOCKET, USB0::VID::PID::SERIAL::INSTR,\n"
            "              usbtmc:/dev/usbtmcN\n"
            "  --driver    the oscilloscope family (default: from its *IDN? answer):\n"
            "              %s\n"
            "  --mode      scope (volts vs time, default), spectrum, na (simulation only)\n"
            "  --averages  records averaged (default 1)\n"
            "  --points    record length; sweep points for na (default 1024; na 201;\n"
            "              a SCPI instrument keeps its own unless given)\n"
            "  --rate      sample rate in Hz (default 1e6; a SCPI instrument keeps its own)\n"
            "  --signal    simulated input (sim only), e.g. 'sine amp=1 freq=10e3; noise rms=1e-3'\n"
            "  --window    rect, hann (default), hamming, blackman-harris, flattop\n"
            "  --average   spectrum averaging: power (default), log, peak, min\n"
            "  --unit      spectrum: Vrms, Vpk, dBV (default), dBm, V/sqrt(Hz), dBm/Hz\n"
            "  --channels  channel mask: 1 (default), 2, or 3 for both\n"
            "  --timeout   seconds allowed per record and for connecting (default 10)\n"
            "  --measure   scope mode: per channel on stderr (the CSV keeps stdout), e.g.\n"
            "              'ch1: vpp=2 V ... rms=0.707 V ... frequency=10000 Hz period=0.0001 s'\n"
            "              (vpp min max mean rms ac_rms amplitude top base frequency period;\n"
            "              nan where undefined, as the frequency of DC)\n"
            "--out is written whole or not at all (a temporary file renamed over it).\n"
            "Exit status: 0 done, 1 instrument error or timeout, 2 bad usage, 130 interrupted.\n",
            drivers);
}

static int bad(const char *what, const char *text)
{
    fprintf(stderr, PROG ": %s: invalid value '%s' (see --help)\n", what, text);
    return 2;
}

static int bad_because(const char *what, const char *why)
{
    fprintf(stderr, PROG ": %s: %s\n", what, why);
    return 2;
}

/* Every option checked before anything is opened: a usage error is exit
 * status 2 naming the option, never a failed acquisition. */
static int check_values(const options *o)
{
    qaio_window w;
    qaio_avg_mode m;
    qaio_unit u;
    char msg[300];
    if (qaio_window_parse(o->window, &w))
        return bad("--window", o->window);
    if (qaio_avg_mode_parse(o->average, &m))
        return bad("--average", o->average);
    if (o->unit && strcmp(o->mode, "spectrum") == 0 && qaio_unit_parse(o->unit, &u))
        return bad("--unit", o->unit);
    qaio_spectrum_settings ss;
    qaio_spectrum_settings_default(&ss);
    ss.window = w;
    ss.mode = m;
    if (o->unit && strcmp(o->mode, "spectrum") == 0)
        ss.unit = u;
    if (qaio_spectrum_settings_check(&ss))
        return bad_because("--window, --average or --unit", "not a valid combination");
    if (o->unit && strcmp(o->mode, "spectrum") != 0 && strcmp(o->unit, "V") != 0)
        return bad("--unit (scope mode records volts: V)", o->unit);
    if (o->signal) {
        qaio_signal *sig = NULL;
        if (qaio_signal_parse(o->signal, &sig, msg, sizeof msg))
            return bad_because("--signal", msg);
        qaio_signal_free(sig);
    }
    if (strcmp(o->source, "sim") != 0) {
        qaio_scpi_address a;
        if (qaio_scpi_address_parse(o->source, &a, msg, sizeof msg))
            return bad_because("--source", msg);
    }
    if (o->measure && strcmp(o->mode, "scope") != 0)
        return bad_because("--measure", "applies to --mode scope only (volts over time)");
    if (o->driver && strcmp(o->driver, "auto") != 0) {
        bool known = false;
        for (size_t i = 0; qaio_scpi_driver_name(i); i++)
            known |= strcmp(qaio_scpi_driver_name(i), o->driver) == 0;
        if (!known)
            return bad("--driver", o->driver);
        if (strcmp(o->source, "sim") == 0)
            return bad_because("--driver", "applies to a SCPI --source only");
    }
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.source = "sim", .mode = "scope", .averages = 1, .channels = 1, .points = 0,
                   .rate = 1e6, .timeout = 10, .window = "hann", .average = "power"};
    static const struct option longopts[] = {
        {"source", required_argument, 0, 'S'},  {"mode", required_argument, 0, 'm'},
        {"averages", required_argument, 0, 'a'}, {"points", required_argument, 0, 'n'},
        {"rate", required_argument, 0, 'r'},     {"signal", required_argument, 0, 's'},
        {"window", required_argument, 0, 'w'},   {"average", required_argument, 0, 'A'},
        {"unit", required_argument, 0, 'u'},     {"out", required_argument, 0, 'o'},
        {"timeout", required_argument, 0, 't'},  {"channels", required_argument, 0, 'c'},
        {"driver", required_argument, 0, 'D'},         {"measure", no_argument, 0, 'M'},
        {"help", no_argument, 0, 'h'},           {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "S:m:a:n:r:s:w:A:u:o:t:c:h", longopts, NULL)) != -1) {
        double v = optarg ? strtod(optarg, &end) : 0;
        bool num_ok = optarg && end != optarg && !*end && isfinite(v);
        switch (c) {
        case 'S': o->source = optarg; break;
        case 'D': o->driver = optarg; break;
        case 'M': o->measure = true; break;
        case 'm': o->mode = optarg; break;
        case 's': o->signal = optarg; break;
        case 'w': o->window = optarg; break;
        case 'A': o->average = optarg; break;
        case 'u': o->unit = optarg; break;
        case 'o': o->out = optarg; break;
        case 'a':
            if (!num_ok || v < 1 || v > 1e9 || v != floor(v))
                return bad("--averages", optarg);
            o->averages = (unsigned)v;
            break;
        case 'n':
            if (!num_ok || v < 2 || v > (double)(1 << 26) || v != floor(v))
                return bad("--points", optarg);
            o->points = (size_t)v;
            o->points_given = true;
            break;
        case 'r':
            if (!num_ok || !(v > 0))
                return bad("--rate", optarg);
            o->rate = v;
            o->rate_given = true;
            break;
        case 't':
            if (!num_ok || !(v > 0))
                return bad("--timeout", optarg);
            o->timeout = v;
            break;
        case 'c':
            if (!num_ok || v < 1 || v > 3 || v != floor(v))
                return bad("--channels", optarg);
            o->channels = (unsigned)v;
            break;
        case 'h': usage(stdout); exit(0);
        case 'V': printf(PROG " %s\n", qaio_version_string()); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (strcmp(o->mode, "scope") && strcmp(o->mode, "spectrum") && strcmp(o->mode, "na"))
        return bad("--mode", o->mode);
    if (!o->points)
        o->points = strcmp(o->mode, "na") ? 1024 : 201;
    if (!strcmp(o->mode, "na") && strcmp(o->source, "sim")) {
        fprintf(stderr, PROG ": --mode na needs --source sim (no SCPI network analyzer yet)\n");
        return 2;
    }
    if (o->signal && strcmp(o->source, "sim")) {
        fprintf(stderr, PROG ": --signal applies to --source sim only\n");
        return 2;
    }
    return check_values(o);
}

/* --- progress ------------------------------------------------------------- */

static void step(const qaio_trace *avg, unsigned k, unsigned n, void *arg)
{
    (void)avg;
    run *r = arg;
    if (r->tty) {
        int width = 30, done = (int)((double)k / n * width);
        fprintf(stderr, "\r" PROG ": [%.*s%*s] %u/%u", done, "##############################",
                width - done, "", k, n);
        if (k == n)
            fputc('\n', stderr);
    } else if (k == n || (k - r->shown) * 10 >= n) {
        /* Plain lines, about ten per run, for logs and pipes. */
        fprintf(stderr, PROG ": %u/%u\n", k, n);
        r->shown = k;
    }
}

static void on_sigint(void *arg)
{
    run *r = arg;
    r->interrupted = true;
    if (r->task)
        qaio_future_cancel(r->task);
}

/* --- the acquisition task ------------------------------------------------ */

static int open_source(run *r, qaio_loop *loop, qaio_instrument **src)
{
    const options *o = &r->o;
    qaio_scope_settings set;
    qaio_scope_settings_default(&set);
    set.points = o->points;
    set.rate = o->rate;
    set.channels = o->channels;
    if (!strcmp(o->source, "sim")) {
        snprintf(r->where, sizeof r->where, "sim");
        *src = qaio_scope_new(loop, &set);
        if (!*src)
            return -errno;
        snprintf(r->idn, sizeof r->idn, "qaio simulated scope");
        for (unsigned ch = 1; o->signal && ch <= 2; ch++) {
            char msg[200];
            if (qaio_scope_set_signal(*src, ch, o->signal, msg, sizeof msg)) {
                snprintf(r->errmsg, sizeof r->errmsg, "--signal: %s", msg);
                return QAIO_EINVAL;
            }
        }
        return 0;
    }
    qaio_scpi_scope_options so;
    qaio_scpi_scope_options_default(&so);
    so.address = o->source;
    so.driver = o->driver;
    so.timeout_s = o->timeout;
    snprintf(r->where, sizeof r->where, "%s", o->source);
    int err = qaio_scpi_scope_connect(loop, &so, src, r->errmsg, sizeof r->errmsg);
    if (err) {
        r->where[0] = 0; /* the message names the address */
        return err;
    }
    snprintf(r->where, sizeof r->where, "%s", qaio_scpi_scope_address(*src));
    r->driver = qaio_scpi_scope_driver(*src);
    snprintf(r->idn, sizeof r->idn, "%s", qaio_scpi_scope_idn(*src));
    /* Change only what was asked for: the trigger and, unless given, the
     * points and rate stay as the instrument's operator left them. */
    err = qaio_scpi_scope_get_settings(*src, &set);
    if (err)
        return err;
    if (o->points_given)
        set.points = o->points;
    if (o->rate_given)
        set.rate = o->rate;
    set.channels = o->channels;
    err = qaio_scpi_scope_set_settings(*src, &set);
    if (err)
        snprintf(r->errmsg, sizeof r->errmsg, "%s%s",
                 err == QAIO_EIO ? "settings refused: " : "",
                 qaio_scpi_scope_last_error(*src)[0] ? qaio_scpi_scope_last_error(*src)
                                                     : qaio_strerror(err));
    if (!err && !(err = qaio_scpi_scope_get_settings(*src, &set))) {
        r->used_points = set.points; /* the CSV header says what was used */
        r->used_rate = set.rate;
    }
    return err;
}

static int acquire_task(void *arg, qaio_future *self)
{
    run *r = arg;
    const options *o = &r->o;
    qaio_loop *loop = qaio_loop_get();
    r->task = self;
    qaio_instrument *src = NULL, *inst = NULL;
    int err = 0;
    if (!strcmp(o->mode, "na")) {
        qaio_na_settings ns;
        qaio_na_settings_default(&ns);
        ns.points = o->points;
        snprintf(r->where, sizeof r->where, "sim");
        snprintf(r->idn, sizeof r->idn, "qaio simulated network analyzer");
        inst = qaio_na_new(loop, &ns);
        err = inst ? 0 : -errno;
    } else {
        err = open_source(r, loop, &src);
        inst = src;
        if (!err && !strcmp(o->mode, "spectrum")) {
            qaio_spectrum_settings ss;
            qaio_spectrum_settings_default(&ss);
            if (qaio_window_parse(o->window, &ss.window) ||
                qaio_avg_mode_parse(o->average, &ss.mode) ||
                (o->unit && qaio_unit_parse(o->unit, &ss.unit))) {
                snprintf(r->errmsg, sizeof r->errmsg, "bad --window, --average or --unit");
                err = QAIO_EINVAL;
            } else {
                inst = qaio_spectrum_analyzer_new(src, &ss);
                err = inst ? 0 : -errno;
            }
        }
    }
    if (!err) {
        qaio_run_options ro;
        qaio_run_options_default(&ro);
        ro.averages = o->averages;
        ro.record_timeout_s = o->timeout;
        ro.step = step;
        ro.step_arg = r;
        qaio_future *f = qaio_instrument_run_single_opts(inst, &ro);
        void *v = NULL;
        err = f ? qaio_await(f, &v) : -errno;
        if (!err) {
            r->result = qaio_trace_copy(v);
            err = r->result ? 0 : QAIO_ENOMEM;
        }
        qaio_future_unref(f);
        /* The driver's words say which exchange failed and how. */
        const char *why = src && r->driver ? qaio_scpi_scope_last_error(src) : "";
        if (err && err != QAIO_ECANCELED && why[0] && !r->errmsg[0])
            snprintf(r->errmsg, sizeof r->errmsg, "%s (%s)", why, qaio_strerror(err));
        else if (err == QAIO_ETIMEDOUT && !r->errmsg[0])
            snprintf(r->errmsg, sizeof r->errmsg, "no record within --timeout %g s", o->timeout);
    }
    if (inst && inst != src)
        qaio_instrument_free(inst);
    qaio_instrument_free(src);
    r->task = NULL;
    return err;
}

/* --- output ---------------------------------------------------------------- */

/* The header records what was asked (the options) and what was used (the
 * instrument's answer, or the options where it has none to give). */
static void set_settings(qaio_csv_meta *m, const run *r)
{
    const options *o = &r->o;
    const qaio_trace *t = r->result;
    char v[64];
    bool scope = !strcmp(o->mode, "scope"), spectrum = !strcmp(o->mode, "spectrum");
    for (int g = 0; g < QAIO_CSV_GROUP_COUNT; g++) {
        bool used = g == QAIO_CSV_USED;
        qaio_csv_meta_set(m, g, "mode", o->mode);
        snprintf(v, sizeof v, "%u", o->averages);
        qaio_csv_meta_set(m, g, "averages", v);
        /* A scope record's length is what the instrument returned. */
        snprintf(v, sizeof v, "%zu", !used ? o->points : scope ? t->n : r->used_points ? r->used_points : o->points);
        /* A SCPI instrument keeps its own points and rate unless given. */
        bool asked_here = strcmp(o->source, "sim") == 0;
        if (used || o->points_given || asked_here)
            qaio_csv_meta_set(m, g, "points", v);
        if (strcmp(o->mode, "na")) {
            snprintf(v, sizeof v, "%.17g", used && r->used_rate > 0 ? r->used_rate : o->rate);
            if (used || o->rate_given || asked_here)
                qaio_csv_meta_set(m, g, "rate_hz", v);
            snprintf(v, sizeof v, "%u", o->channels);
            qaio_csv_meta_set(m, g, "channels", v);
        }
        if (o->signal)
            qaio_csv_meta_set(m, g, "signal", o->signal);
        if (used && r->driver)
            qaio_csv_meta_set(m, g, "driver", r->driver);
        else if (!used && o->driver)
            qaio_csv_meta_set(m, g, "driver", o->driver);
        if (spectrum) {
            qaio_csv_meta_set(m, g, "window", o->window);
            qaio_csv_meta_set(m, g, "average", o->average);
            qaio_csv_meta_set(m, g, "unit", used ? t->y_unit : o->unit ? o->unit : "dBV");
        }
    }
}

static int write_csv(FILE *f, const run *r)
{
    static qaio_csv_meta m; /* 24 KiB: not on the stack */
    qaio_csv_meta_init(&m, PROG);
    snprintf(m.instrument, sizeof m.instrument, "%s", r->idn);
    snprintf(m.source, sizeof m.source, "%s", r->where);
    set_settings(&m, r);
    return qaio_csv_write(f, r->result, &m) ? -1 : 0;
}

/* --out is written to a temporary file beside it, made before the
 * acquisition (so an unwritable place fails at once, not after an hour of
 * averaging) and renamed over it only when complete: a failed or
 * interrupted run never leaves a truncated file nor destroys the old one. */
typedef struct outfile {
    char tmp[4096];
    FILE *f;
} outfile;

static int out_open(outfile *of, const char *path)
{
    if (snprintf(of->tmp, sizeof of->tmp, "%s.XXXXXX", path) >= (int)sizeof of->tmp) {
        fprintf(stderr, PROG ": --out: path too long\n");
        return 2;
    }
    int fd = mkstemp(of->tmp);
    if (fd < 0 || fchmod(fd, 0644) || !(of->f = fdopen(fd, "w"))) {
        fprintf(stderr, PROG ": --out %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(of->tmp);
        }
        of->tmp[0] = 0;
        return 2;
    }
    return 0;
}

static void out_discard(outfile *of)
{
    if (of->f) {
        fclose(of->f);
        unlink(of->tmp);
        of->f = NULL;
    }
}

static int out_commit(outfile *of, const char *path)
{
    FILE *f = of->f;
    of->f = NULL;
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(of->tmp, path) == 0)
        return 0;
    fprintf(stderr, PROG ": writing %s failed: %s (the previous file, if any, is kept)\n", path,
            strerror(errno));
    unlink(of->tmp);
    return 1;
}

int main(int argc, char **argv)
{
    static run r; /* zeroed */
    int rc = parse_args(argc, argv, &r.o);
    if (rc)
        return rc;
    outfile of = {0};
    if (r.o.out && (rc = out_open(&of, r.o.out)))
        return rc;
    r.tty = isatty(STDERR_FILENO);
    qaio_loop *loop = qaio_loop_get();
    if (!loop) {
        fprintf(stderr, PROG ": no event loop\n");
        out_discard(&of);
        return 1;
    }
    qaio_add_signal_handler(loop, SIGINT, on_sigint, &r);
    qaio_add_signal_handler(loop, SIGTERM, on_sigint, &r);
    int err = qaio_run(acquire_task, &r, NULL);
    qaio_remove_signal_handler(loop, SIGINT);
    qaio_remove_signal_handler(loop, SIGTERM);
    if (r.tty && err)
        fputc('\n', stderr);
    if (r.interrupted || err) {
        if (r.interrupted)
            fprintf(stderr, PROG ": interrupted\n");
        else if (r.where[0])
            fprintf(stderr, PROG ": %s: %s\n", r.where, r.errmsg[0] ? r.errmsg : qaio_strerror(err));
        else
            fprintf(stderr, PROG ": %s\n", r.errmsg[0] ? r.errmsg : qaio_strerror(err));
        out_discard(&of);
        qaio_trace_free(r.result);
        return r.interrupted ? 130 : 1;
    }
    if (r.o.out) {
        rc = write_csv(of.f, &r) ? 1 : 0;
        if (rc) {
            fprintf(stderr, PROG ": writing %s failed: %s (the previous file, if any, is kept)\n",
                    r.o.out, strerror(errno));
            out_discard(&of);
        } else {
            rc = out_commit(&of, r.o.out);
        }
    } else if (write_csv(stdout, &r) || fflush(stdout)) {
        fprintf(stderr, PROG ": writing standard output failed\n");
        rc = 1;
    }
    if (r.o.measure && print_measurements(stderr, r.result) < 0)
        rc = 1;
    qaio_trace_free(r.result);
    qaio_loop_close(loop);
    return rc;
}
