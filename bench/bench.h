/* bench.h - what every benchmark program shares: argument parsing, the
 * clock, statistics, the one output line, a deterministic random stream, a
 * tick-gap tracker, and (for the libuv programs) a call_soon queue.
 *
 * Every program prints exactly one line:
 *   <figure> <impl> N=<n> median=<x> <unit> min=<a> max=<b> [key=value ...]
 * where median/min/max are taken over the repetitions. Usable from C11 and
 * C++17; everything is static inline so a program pays only for what it uses.
 */
#ifndef QAIO_BENCH_H
#define QAIO_BENCH_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BENCH_MAX_REPS 100

/* fds kept back for the loop, Qt, the listener and stdio. */
#define BENCH_FD_MARGIN 200

/* Raises the soft fd limit to the hard one and returns how many loopback
 * connections fit, up to want (each has two ends in one process). */
static inline long bench_fit_connections(long want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return want;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY)
        return want;
    long fit = ((long)rl.rlim_cur - BENCH_FD_MARGIN) / 2;
    return want < fit ? want : fit;
}

typedef struct {
    long n;           /* operations per repetition */
    int reps;         /* repetitions */
    int quick;        /* --quick: tiny n, one repetition (CI smoke test) */
    const char *mode; /* --mode M: the variant a program measures, or NULL */
} bench_opts;

/* Parses --quick, --n N, --reps R and --mode M; anything else is a usage
 * error (exit 2). --n and --reps given explicitly win over --quick. */
static inline bench_opts bench_parse(int argc, char **argv, long default_n, long quick_n)
{
    bench_opts o = {default_n, 5, 0, NULL};
    long n = -1, reps = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0)
            o.quick = 1;
        else if (strcmp(a, "--n") == 0 && i + 1 < argc)
            n = strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--reps") == 0 && i + 1 < argc)
            reps = strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--mode") == 0 && i + 1 < argc)
            o.mode = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--n N] [--reps R] [--mode M]\n", argv[0]);
            exit(2);
        }
    }
    if (o.quick) {
        o.n = quick_n;
        o.reps = 1;
    }
    if (n > 0)
        o.n = n;
    if (reps > 0)
        o.reps = reps > BENCH_MAX_REPS ? BENCH_MAX_REPS : (int)reps;
    return o;
}

/* True when the mode is m (a NULL mode matches the first, default, variant
 * the caller names as dflt). */
static inline int bench_mode_is(const bench_opts *o, const char *m, const char *dflt)
{
    return strcmp(o->mode ? o->mode : dflt, m) == 0;
}

static inline int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The impl label: base, plus "/noglib" for Qt-based programs run with
 * QT_NO_GLIB set (Qt's own Unix dispatcher instead of the GLib one). */
static inline const char *bench_impl(const char *base, int qt_based)
{
    static char label[64];
    const char *ng = getenv("QT_NO_GLIB");
    snprintf(label, sizeof label, "%s%s", base, qt_based && ng && *ng && strcmp(ng, "0") ? "/noglib" : "");
    return label;
}

static inline int bench__cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static inline void bench_sort(double *v, long n) { qsort(v, (size_t)n, sizeof *v, bench__cmp); }

/* Nearest-rank percentile (0 <= p <= 100) of a sorted array. */
static inline double bench_pct(const double *sorted, long n, double p)
{
    long k = (long)(p / 100.0 * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return sorted[k - 1];
}

/* Median of v[0..n) (sorts a copy; the middle pair is averaged). */
static inline double bench_median(const double *v, int n)
{
    double s[BENCH_MAX_REPS];
    memcpy(s, v, (size_t)n * sizeof *s);
    bench_sort(s, n);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static inline double bench_min(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

static inline double bench_max(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

/* Prints the one line: median/min/max of vals over reps, then the optional
 * printf-style extra key=value text. */
static inline void bench_report(const char *figure, const char *impl, long n, const double *vals,
                                int reps, const char *unit, const char *extra_fmt, ...)
{
    printf("%s %s N=%ld median=%.3f %s min=%.3f max=%.3f", figure, impl, n,
           bench_median(vals, reps), unit, bench_min(vals, reps), bench_max(vals, reps));
    if (extra_fmt) {
        va_list ap;
        va_start(ap, extra_fmt);
        putchar(' ');
        vprintf(extra_fmt, ap);
        va_end(ap);
    }
    putchar('\n');
    fflush(stdout);
}

/* splitmix64: the same delays in every C/C++ program for a given seed. */
static inline double bench_rand01(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* The gaps between a periodic timer's ticks while a measurement runs: the
 * gap from begin to the first tick and from the last tick to end count too,
 * so a timer starved until the end cannot hide. */
typedef struct {
    int64_t last, max_gap;
    long ticks;
    int on;
} bench_gap;

static inline void bench_gap_begin(bench_gap *g)
{
    g->last = bench_now_ns();
    g->max_gap = 0;
    g->ticks = 0;
    g->on = 1;
}

static inline void bench_gap_tick(bench_gap *g)
{
    if (!g->on)
        return;
    int64_t now = bench_now_ns();
    if (now - g->last > g->max_gap)
        g->max_gap = now - g->last;
    g->last = now;
    g->ticks++;
}

/* Ends the measurement; returns the largest gap in ms. */
static inline double bench_gap_end(bench_gap *g)
{
    bench_gap_tick(g);
    g->ticks--; /* the closing pseudo-tick */
    g->on = 0;
    return (double)g->max_gap / 1e6;
}

/* timer_lateness: delays uniform in [1, 100] ms; a pass of the "paced" mode
 * creates this many timers. */
#define BENCH_TIMERS_PER_PASS 100

static inline double bench_delay_s(uint64_t *rng) { return 0.001 + 0.099 * bench_rand01(rng); }

/* Lateness statistics over repetitions: per repetition the p50, p99 and max
 * of the timers' lateness (ms; negative = fired before its deadline). */
typedef struct {
    double p50[BENCH_MAX_REPS], p99[BENCH_MAX_REPS], max[BENCH_MAX_REPS];
    double min_late;
    long early;
    int reps;
} bench_late;

/* Adds one repetition; sorts late_ms in place. */
static inline void bench_late_add(bench_late *l, double *late_ms, long n)
{
    bench_sort(late_ms, n);
    for (long i = 0; i < n && late_ms[i] < 0; i++)
        l->early++;
    l->p50[l->reps] = bench_pct(late_ms, n, 50);
    l->p99[l->reps] = bench_pct(late_ms, n, 99);
    l->max[l->reps] = late_ms[n - 1];
    if (l->reps == 0 || late_ms[0] < l->min_late)
        l->min_late = late_ms[0];
    l->reps++;
}

/* The line: median/min/max of the per-repetition p99; extras are the median
 * p50 and p99, the worst max, the smallest lateness seen, and how many
 * timers fired early in all repetitions. */
static inline void bench_late_report(const bench_late *l, const char *impl, long n, const char *mode)
{
    bench_report("timer_lateness", impl, n, l->p99, l->reps, "ms",
                 "mode=%s p50_ms=%.3f p99_ms=%.3f max_ms=%.3f min_ms=%.3f early=%ld", mode, bench_median(l->p50, l->reps), bench_median(l->p99, l->reps),
                 bench_max(l->max, l->reps), l->min_late, l->early);
}

/* A 1 ms Qt::PreciseTimer feeding a bench_gap (ticker.cpp), for C programs
 * that cannot include Qt. Needs a QCoreApplication on the calling thread. */
#ifdef __cplusplus
extern "C" {
#endif
bench_gap *bench_qtimer_start(int interval_ms);
void bench_qtimer_stop(void);
#ifdef __cplusplus
}
#endif

#ifdef UV_VERSION_MAJOR
/* call_soon for libuv (include uv.h first): a FIFO of calls drained by a
 * uv_idle handle, which keeps the loop polling without blocking while work
 * is queued (node's setImmediate). A pass runs only what was queued when it
 * started, asyncio's rule, like qaio. */
typedef struct {
    void (*cb)(void *);
    void *arg;
} bench_uv_call;

static struct {
    uv_idle_t idle;
    bench_uv_call *q;
    size_t head, tail, cap;
} bench_uv;

static inline void bench_uv__drain(uv_idle_t *h)
{
    /* Count, not an end index: a push from a callback may compact the ring. */
    size_t n = bench_uv.tail - bench_uv.head;
    while (n-- > 0) {
        bench_uv_call c = bench_uv.q[bench_uv.head++];
        c.cb(c.arg);
    }
    if (bench_uv.head == bench_uv.tail) {
        bench_uv.head = bench_uv.tail = 0;
        uv_idle_stop(h);
    }
}

static inline void bench_uv_init(uv_loop_t *loop) { uv_idle_init(loop, &bench_uv.idle); }

static inline void bench_uv_soon(void (*cb)(void *), void *arg)
{
    if (bench_uv.tail == bench_uv.cap) {
        /* Compact first, grow only when really full. */
        size_t live = bench_uv.tail - bench_uv.head;
        if (bench_uv.head > 0 && live < bench_uv.cap / 2) {
            memmove(bench_uv.q, bench_uv.q + bench_uv.head, live * sizeof *bench_uv.q);
        } else {
            bench_uv.cap = bench_uv.cap ? bench_uv.cap * 2 : 1024;
            bench_uv.q = (bench_uv_call *)realloc(bench_uv.q, bench_uv.cap * sizeof *bench_uv.q);
            if (!bench_uv.q)
                abort();
            memmove(bench_uv.q, bench_uv.q + bench_uv.head, live * sizeof *bench_uv.q);
        }
        bench_uv.head = 0;
        bench_uv.tail = live;
    }
    if (bench_uv.head == bench_uv.tail)
        uv_idle_start(&bench_uv.idle, bench_uv__drain);
    bench_uv.q[bench_uv.tail++] = (bench_uv_call){cb, arg};
}
#endif

#endif
