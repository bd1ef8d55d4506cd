/* qaio-acquire: one averaged acquisition, headless, written as CSV. The
 * work is libqaio-instr's run_single on a simulated or SCPI scope, a
 * spectrum analyzer over it, or the simulated network analyzer; this file
 * reads options, shows progress and writes the result. */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qaio.h>
#include <qaio/instr.h>

#define PROG "qaio-acquire"

typedef struct options {
    const char *source, *mode, *signal, *window, *average, *unit, *out;
    unsigned averages, channels;
    size_t points;
    double rate, timeout;
    bool points_given, rate_given; /* a remote instrument keeps its own otherwise */
} options;

typedef struct run {
    options o;
    char where[300];   /* "sim" or host:port, for messages */
    char idn[256];
    qaio_future *task; /* the acquisition task, for Ctrl-C */
    bool interrupted, tty;
    unsigned shown;    /* progress: last k printed */
    qaio_trace *result;
    double enbw;
    char errmsg[300];
} run;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " PROG " [--source sim|HOST[:PORT]] [--mode scope|spectrum|na]\n"
            "       [--averages N] [--points N] [--rate HZ] [--signal S] [--window W]\n"
            "       [--average power|log|peak|min] [--unit U] [--channels 1|2|3]\n"
            "       [--out FILE.csv] [--timeout S]\n"
            "Runs one averaged acquisition and writes it as CSV (standard output\n"
            "without --out): '# key: value' settings, a header row, one row per point\n"
            "(x in seconds or hertz, then one column per channel).\n"
            "  --source    sim (default) or a SCPI instrument, HOST or HOST:PORT (port 5025)\n"
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
            "Exit status: 0 done, 1 instrument error or timeout, 2 bad usage, 130 interrupted.\n");
}

static int bad(const char *what, const char *text)
{
    fprintf(stderr, PROG ": %s: invalid value '%s' (see --help)\n", what, text);
    return 2;
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
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "S:m:a:n:r:s:w:A:u:o:t:c:h", longopts, NULL)) != -1) {
        double v = optarg ? strtod(optarg, &end) : 0;
        bool num_ok = optarg && end != optarg && !*end && isfinite(v);
        switch (c) {
        case 'S': o->source = optarg; break;
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
    return 0;
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
    /* HOST, HOST:PORT, [V6]:PORT */
    char host[256];
    int port = QAIO_SCPI_PORT;
    snprintf(host, sizeof host, "%s", o->source);
    char *colon = strrchr(host, ':');
    if (host[0] == '[') {
        char *close = strchr(host, ']');
        if (!close) {
            snprintf(r->errmsg, sizeof r->errmsg, "bad --source '%s'", o->source);
            return QAIO_EINVAL;
        }
        *close = 0;
        memmove(host, host + 1, strlen(host));
        colon = close[1] == ':' ? close + 1 : NULL;
        if (colon)
            port = atoi(o->source + (colon - host) + 1);
    } else if (colon && strchr(host, ':') == colon) {
        *colon = 0;
        port = atoi(colon + 1);
    } else {
        colon = NULL;
    }
    if (port < 1 || port > 65535 || !host[0]) {
        snprintf(r->errmsg, sizeof r->errmsg, "bad --source '%s'", o->source);
        return QAIO_EINVAL;
    }
    snprintf(r->where, sizeof r->where, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    int err = qaio_scpi_scope_open(loop, host, port, o->timeout, src);
    if (err)
        return err;
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
    if (err == QAIO_EIO)
        snprintf(r->errmsg, sizeof r->errmsg, "settings refused: %s",
                 qaio_scpi_scope_last_error(*src));
    if (!err && !(err = qaio_scpi_scope_get_settings(*src, &set))) {
        r->o.points = set.points; /* the CSV header says what was used */
        r->o.rate = set.rate;
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
    }
    if (inst && inst != src)
        qaio_instrument_free(inst);
    qaio_instrument_free(src);
    r->task = NULL;
    return err;
}

/* --- output ---------------------------------------------------------------- */

static int write_csv(FILE *f, const run *r)
{
    const options *o = &r->o;
    const qaio_trace *t = r->result;
    fprintf(f, "# program: " PROG "\n# source: %s\n# instrument: %s\n# mode: %s\n", r->where,
            r->idn, o->mode);
    fprintf(f, "# averages: %u\n# points: %zu\n", t->averages, o->points);
    if (strcmp(o->mode, "na"))
        fprintf(f, "# rate_hz: %.17g\n# channels: %u\n", o->rate, o->channels);
    if (o->signal)
        fprintf(f, "# signal: %s\n", o->signal);
    if (!strcmp(o->mode, "spectrum"))
        fprintf(f, "# window: %s\n# average: %s\n# unit: %s\n# enbw_hz: %.9g\n", o->window,
                o->average, t->y_unit, t->enbw_hz);
    bool na = !strcmp(o->mode, "na");
    fprintf(f, "%s", strcmp(t->x_unit, "Hz") ? "time_s" : "frequency_Hz");
    for (size_t c = 0; c < t->nch; c++) {
        if (na)
            fprintf(f, c == 0 ? ",magnitude_dB" : ",phase_deg");
        else
            fprintf(f, ",ch%d_%s", t->channel[c] ? t->channel[c] : (int)c + 1, t->y_unit);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->n; i++) {
        fprintf(f, "%.12g", qaio_trace_x(t, i));
        for (size_t c = 0; c < t->nch; c++)
            fprintf(f, ",%.9g", (double)t->y[c][i]);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
    static run r; /* zeroed */
    int rc = parse_args(argc, argv, &r.o);
    if (rc)
        return rc;
    if (r.o.unit && !strcmp(r.o.mode, "scope") && strcmp(r.o.unit, "V"))
        return bad("--unit (scope mode records volts: V)", r.o.unit);
    r.tty = isatty(STDERR_FILENO);
    qaio_loop *loop = qaio_loop_get();
    if (!loop) {
        fprintf(stderr, PROG ": no event loop\n");
        return 1;
    }
    qaio_add_signal_handler(loop, SIGINT, on_sigint, &r);
    qaio_add_signal_handler(loop, SIGTERM, on_sigint, &r);
    int err = qaio_run(acquire_task, &r, NULL);
    qaio_remove_signal_handler(loop, SIGINT);
    qaio_remove_signal_handler(loop, SIGTERM);
    if (r.tty && err)
        fputc('\n', stderr);
    if (r.interrupted) {
        fprintf(stderr, PROG ": interrupted\n");
        qaio_trace_free(r.result);
        return 130;
    }
    if (err) {
        fprintf(stderr, PROG ": %s: %s\n", r.where[0] ? r.where : r.o.source,
                r.errmsg[0] ? r.errmsg : qaio_strerror(err));
        return 1;
    }
    FILE *f = r.o.out ? fopen(r.o.out, "w") : stdout;
    if (!f) {
        perror(PROG ": --out");
        qaio_trace_free(r.result);
        return 1;
    }
    rc = write_csv(f, &r);
    if ((r.o.out ? fclose(f) : fflush(f)) || rc) {
        fprintf(stderr, PROG ": writing %s failed\n", r.o.out ? r.o.out : "standard output");
        rc = 1;
    }
    qaio_trace_free(r.result);
    qaio_loop_close(loop);
    return rc;
}
