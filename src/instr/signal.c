/* Signal descriptions: parsing, formatting and deterministic sampling. */
#include "qaio/instr/signal.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HARMONIC 9

enum kind { K_SINE, K_SQUARE, K_NOISE, K_DC };
static const char *const kind_names[] = {"sine", "square", "noise", "dc"};

struct term {
    enum kind kind;
    double amp, freq, phase, level, rms;
    double hdbc[MAX_HARMONIC + 1]; /* sine harmonics in dBc; NAN: absent */
};

struct qaio_signal {
    size_t nterms;
    uint64_t seed;
    struct term terms[];
};

/* --- the counter-based Gaussian generator ------------------------------ */

/* splitmix64's finaliser: a bijective 64-bit mix with full avalanche. */
static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t stream_key(uint64_t seed, uint64_t stream)
{
    return mix64(mix64(seed + 0x9e3779b97f4a7c15ULL) ^ (stream * 0xd1b54a32d192ed03ULL));
}

/* Normal values by Marsaglia and Tsang's ziggurat (128 layers), drawn from
 * mixed counters so that each value is a pure function of (key, index).
 * One 64-bit draw gives the layer (low 7 bits) and a signed 32-bit
 * abscissa (high half, independent bits); about 98.8 % of values are
 * accepted there, at the cost of a multiply-xorshift mix, a compare and a
 * multiply. The rest (wedges and the tail) draw further uniforms from the
 * same counter, mixed with an attempt number. Tables are made once. */
#define ZIG_R 3.442619855899
#define ZIG_V 9.91256303526217e-3
#define ZIG_M 2147483648.0

static struct {
    uint32_t k[128];
    double w[128], f[128];
} zig;
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void zig_init(void)
{
    double dn = ZIG_R, tn = dn;
    double q = ZIG_V / exp(-0.5 * dn * dn);
    zig.k[0] = (uint32_t)(dn / q * ZIG_M);
    zig.k[1] = 0;
    zig.w[0] = q / ZIG_M;
    zig.w[127] = dn / ZIG_M;
    zig.f[0] = 1.0;
    zig.f[127] = exp(-0.5 * dn * dn);
    for (int i = 126; i >= 1; i--) {
        dn = sqrt(-2.0 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
        zig.k[i + 1] = (uint32_t)(dn / tn * ZIG_M);
        tn = dn;
        zig.f[i] = exp(-0.5 * dn * dn);
        zig.w[i] = dn / ZIG_M;
    }
}

/* A uniform in (0, 1) from the top 53 bits: never 0, so log() is finite. */
static inline double unit_open(uint64_t r)
{
    return ((double)(r >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double zig_slow(uint64_t r)
{
    for (uint64_t attempt = 1;; attempt++) {
        int32_t hz = (int32_t)(r >> 32);
        unsigned iz = (unsigned)(r & 127);
        double x = hz * zig.w[iz];
        if ((uint64_t)llabs(hz) < zig.k[iz])
            return x;
        uint64_t u = mix64(r ^ (attempt * 0xd1b54a32d192ed03ULL));
        if (iz == 0) { /* the tail beyond R, by Marsaglia's exponential method */
            double xt, y;
            uint64_t v = u;
            do {
                xt = -log(unit_open(v)) / ZIG_R;
                v = mix64(v + 0x9e3779b97f4a7c15ULL);
                y = -log(unit_open(v));
                v = mix64(v + 0x9e3779b97f4a7c15ULL);
            } while (y + y < xt * xt);
            return hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
        }
        if (zig.f[iz] + unit_open(u) * (zig.f[iz - 1] - zig.f[iz]) < exp(-0.5 * x * x))
            return x;
        r = mix64(u + attempt);
    }
}

static inline double gauss_keyed(uint64_t key, uint64_t index)
{
    uint64_t r = mix64(key + index * 0x9e3779b97f4a7c15ULL);
    int32_t hz = (int32_t)(r >> 32);
    unsigned iz = (unsigned)(r & 127);
    if (__builtin_expect((uint64_t)llabs(hz) < zig.k[iz], 1))
        return hz * zig.w[iz];
    return zig_slow(r);
}

double qaio_gauss(uint64_t seed, uint64_t stream, uint64_t index)
{
    pthread_once(&zig_once, zig_init);
    return gauss_keyed(stream_key(seed, stream), index);
}

/* --- parsing ----------------------------------------------------------- */

/* Numbers are read in the C locale whatever the application set (a Qt
 * program may run with a decimal comma). */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

static int parse_double(const char *s, size_t len, double *out)
{
    char tmp[64];
    if (len == 0 || len >= sizeof tmp)
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = 0;
    pthread_once(&c_locale_once, make_c_locale);
    char *end;
    errno = 0;
    double v = c_locale ? strtod_l(tmp, &end, c_locale) : strtod(tmp, &end);
    if (*end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* The format is always a literal: -Wformat checks every reason against
 * its arguments (parts of the description go in as %.*s, never as fmt). */
__attribute__((format(printf, 3, 4)))
static int fail(char *msg, size_t cap, const char *fmt, ...)
{
    if (msg && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, cap, fmt, ap);
        va_end(ap);
    }
    return QAIO_EINVAL;
}

/* Splits off the next whitespace-separated token of [*p, end). */
static int next_token(const char **p, const char *end, const char **tok, size_t *len)
{
    const char *s = *p;
    while (s < end && isspace((unsigned char)*s))
        s++;
    if (s == end)
        return 0;
    const char *e = s;
    while (e < end && !isspace((unsigned char)*e))
        e++;
    *tok = s;
    *len = (size_t)(e - s);
    *p = e;
    return 1;
}

static bool tok_is(const char *tok, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(tok, word, len) == 0;
}

/* Parses one term [s, end) into t (or the seed). Returns 0, 1 for "seed",
 * 2 for an empty term, or QAIO_EINVAL with msg set. */
static int parse_term(const char *s, const char *end, int index, struct term *t,
                      uint64_t *seed, char *msg, size_t cap)
{
    const char *tok;
    size_t len;
    const char *p = s;
    if (!next_token(&p, end, &tok, &len))
        return 2;
    if (len > 5 && strncasecmp(tok, "seed=", 5) == 0) {
        const char *q = p;
        const char *extra;
        size_t elen;
        if (next_token(&q, end, &extra, &elen))
            return fail(msg, cap, "term %d 'seed': unexpected '%.*s'", index, (int)elen, extra);
        char tmp[32];
        if (len - 5 >= sizeof tmp)
            return fail(msg, cap, "term %d: seed too long", index);
        memcpy(tmp, tok + 5, len - 5);
        tmp[len - 5] = 0;
        char *e;
        errno = 0;
        unsigned long long v = strtoull(tmp, &e, 0);
        if (*e || errno || tmp[0] == '-')
            return fail(msg, cap, "term %d: seed '%s' is not an unsigned integer", index, tmp);
        *seed = v;
        return 1;
    }
    memset(t, 0, sizeof *t);
    for (int h = 0; h <= MAX_HARMONIC; h++)
        t->hdbc[h] = NAN;
    int k;
    for (k = 0; k < 4; k++)
        if (tok_is(tok, len, kind_names[k]))
            break;
    if (k == 4)
        return fail(msg, cap, "term %d: unknown kind '%.*s' (sine, square, noise, dc, seed=N)",
                    index, (int)len, tok);
    t->kind = (enum kind)k;
    const char *kname = kind_names[k];
    bool have_freq = false, have_rms = false, have_level = false;
    t->amp = k == K_SQUARE ? 0.5 : 1.0;
    while (next_token(&p, end, &tok, &len)) {
        const char *eq = memchr(tok, '=', len);
        if (!eq)
            return fail(msg, cap, "term %d '%s': expected key=value, got '%.*s'", index, kname,
                        (int)len, tok);
        size_t klen = (size_t)(eq - tok);
        double v;
        if (parse_double(eq + 1, len - klen - 1, &v))
            return fail(msg, cap, "term %d '%s': bad number in '%.*s'", index, kname, (int)len,
                        tok);
        bool ok = false;
        if (k == K_SINE || k == K_SQUARE) {
            if (tok_is(tok, klen, "amp"))
                ok = true, t->amp = v;
            else if (tok_is(tok, klen, "freq")) {
                if (!(v > 0))
                    return fail(msg, cap, "term %d '%s': freq must be > 0", index, kname);
                ok = true, t->freq = v, have_freq = true;
            } else if (tok_is(tok, klen, "phase"))
                ok = true, t->phase = v;
            else if (k == K_SINE && klen == 2 && (tok[0] == 'h' || tok[0] == 'H') &&
                     tok[1] >= '2' && tok[1] <= '0' + MAX_HARMONIC)
                ok = true, t->hdbc[tok[1] - '0'] = v;
        } else if (k == K_NOISE && tok_is(tok, klen, "rms")) {
            if (v < 0)
                return fail(msg, cap, "term %d 'noise': rms must be >= 0", index);
            ok = true, t->rms = v, have_rms = true;
        } else if (k == K_DC && tok_is(tok, klen, "level")) {
            ok = true, t->level = v, have_level = true;
        }
        if (!ok)
            return fail(msg, cap, "term %d '%s': unknown key '%.*s'", index, kname, (int)klen,
                        tok);
    }
    if ((k == K_SINE || k == K_SQUARE) && !have_freq)
        return fail(msg, cap, "term %d '%s': freq= is required", index, kname);
    if (k == K_NOISE && !have_rms)
        return fail(msg, cap, "term %d 'noise': rms= is required", index);
    if (k == K_DC && !have_level)
        return fail(msg, cap, "term %d 'dc': level= is required", index);
    return 0;
}

int qaio_signal_parse(const char *text, qaio_signal **out, char *msg, size_t msgcap)
{
    if (out)
        *out = NULL;
    if (msg && msgcap)
        msg[0] = 0;
    if (!text || !out)
        return fail(msg, msgcap, "no signal description");
    size_t max_terms = 1;
    for (const char *c = text; *c; c++)
        max_terms += *c == ';';
    qaio_signal *sig = calloc(1, sizeof *sig + max_terms * sizeof(struct term));
    if (!sig)
        return QAIO_ENOMEM;
    sig->seed = 1;
    const char *s = text;
    int index = 1;
    for (;;) {
        const char *e = strchr(s, ';');
        if (!e)
            e = s + strlen(s);
        int r = parse_term(s, e, index, &sig->terms[sig->nterms], &sig->seed, msg, msgcap);
        if (r < 0) {
            free(sig);
            return r;
        }
        if (r == 0)
            sig->nterms++;
        if (!*e)
            break;
        s = e + 1;
        index++;
    }
    if (sig->nterms == 0) {
        free(sig);
        return fail(msg, msgcap, "no signal term (sine, square, noise, dc)");
    }
    *out = sig;
    return 0;
}

void qaio_signal_free(qaio_signal *sig) { free(sig); }

qaio_signal *qaio_signal_copy(const qaio_signal *sig)
{
    if (!sig) {
        errno = EINVAL;
        return NULL;
    }
    size_t sz = sizeof *sig + sig->nterms * sizeof(struct term);
    qaio_signal *c = malloc(sz);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(c, sig, sz);
    return c;
}

uint64_t qaio_signal_seed(const qaio_signal *sig) { return sig ? sig->seed : 0; }

int qaio_signal_set_seed(qaio_signal *sig, uint64_t seed)
{
    if (!sig)
        return QAIO_EINVAL;
    sig->seed = seed;
    return 0;
}

double qaio_signal_noise_rms(const qaio_signal *sig)
{
    double p = 0;
    for (size_t i = 0; sig && i < sig->nterms; i++)
        if (sig->terms[i].kind == K_NOISE)
            p += sig->terms[i].rms * sig->terms[i].rms;
    return sqrt(p);
}

/* --- sampling ------------------------------------------------------------ */

/* The phase of f at sample j in cycles, reduced to [0, 1) before it is
 * scaled by 2 pi. Its rounding error grows with f j / fs: 1e-7 cycles
 * after 1e9 cycles, far below the simulated noise. */
static inline double cycles(double f, double fs, uint64_t j)
{
    double c = f / fs * (double)j;
    return c - floor(c);
}

/* Sines are made by rotating a phasor instead of calling sin() per sample
 * and harmonic: within a block of BLOCK samples, aligned on absolute
 * sample indices, LANES independent phasors (sample b + LANES s + l in
 * lane l) each advance by the rotation of LANES samples, and harmonic h is
 * the imaginary part of the h-th power. Each block starts again from an
 * exact sincos(), so the rounding drift stays below 1e-13 and a sample's
 * value depends only on its index: any split of a range into calls gives
 * the same samples. The independent lanes let the compiler vectorize. */
#define BLOCK 256
#define LANES 8

struct sine_plan {
    double amps[MAX_HARMONIC + 1];
    int top;               /* highest harmonic present */
    double step_re, step_im; /* rotation by LANES samples */
    double lane_re[LANES], lane_im[LANES]; /* rotation by l samples */
};

static void sine_plan_make(const struct term *t, double fs, struct sine_plan *p)
{
    memset(p, 0, sizeof *p);
    p->amps[1] = t->amp;
    p->top = 1;
    for (int h = 2; h <= MAX_HARMONIC; h++)
        if (!isnan(t->hdbc[h])) {
            p->amps[h] = t->amp * pow(10.0, t->hdbc[h] / 20.0);
            p->top = h;
        }
    double w = 2 * M_PI * cycles(t->freq, fs, 1);
    p->step_re = cos(LANES * w);
    p->step_im = sin(LANES * w);
    for (int l = 0; l < LANES; l++) {
        p->lane_re[l] = cos(l * w);
        p->lane_im[l] = sin(l * w);
    }
}

/* The block of BLOCK samples starting at absolute index b, into blk. */
static void sine_block(const struct term *t, const struct sine_plan *p, double fs, uint64_t b,
                       double *blk)
{
    double a0 = 2 * M_PI * cycles(t->freq, fs, b) + t->phase;
    double c0 = cos(a0), s0 = sin(a0);
    double re[LANES], im[LANES];
    for (int l = 0; l < LANES; l++) {
        re[l] = c0 * p->lane_re[l] - s0 * p->lane_im[l];
        im[l] = c0 * p->lane_im[l] + s0 * p->lane_re[l];
    }
    for (int s = 0; s < BLOCK / LANES; s++) {
        double *o = blk + s * LANES;
        for (int l = 0; l < LANES; l++) {
            double v = p->amps[1] * im[l];
            double hr = re[l], hi = im[l];
            for (int h = 2; h <= p->top; h++) {
                double nr = hr * re[l] - hi * im[l];
                hi = hr * im[l] + hi * re[l];
                hr = nr;
                v += p->amps[h] * hi;
            }
            o[l] = v;
            double nr = re[l] * p->step_re - im[l] * p->step_im;
            im[l] = re[l] * p->step_im + im[l] * p->step_re;
            re[l] = nr;
        }
    }
}

static void add_sine(const struct term *t, double fs, uint64_t first, float *out, size_t n)
{
    struct sine_plan p;
    sine_plan_make(t, fs, &p);
    double blk[BLOCK];
    if (n == 0)
        return;
    /* end may be 2^64 - 1: blocks are stepped by comparing distances to
     * it, never by computing b + BLOCK past it (which would wrap to 0 and
     * start over from sample 0). */
    uint64_t end = first + n;
    for (uint64_t b = first - first % BLOCK;; b += BLOCK) {
        sine_block(t, &p, fs, b, blk);
        bool last = end - b <= BLOCK;
        uint64_t lo = b < first ? first : b, hi = last ? end : b + BLOCK;
        for (uint64_t j = lo; j < hi; j++)
            out[j - first] += (float)blk[j - b];
        if (last)
            break;
    }
}

int qaio_signal_generate(const qaio_signal *sig, uint64_t stream, uint64_t first, double fs,
                         float *out, size_t n)
{
    if (!sig || (!out && n) || !(fs > 0) || !isfinite(fs) || n > UINT64_MAX - first)
        return QAIO_EINVAL;
    pthread_once(&zig_once, zig_init);
    for (size_t i = 0; i < n; i++)
        out[i] = 0;
    uint64_t key = stream_key(sig->seed, stream);
    for (size_t ti = 0; ti < sig->nterms; ti++) {
        const struct term *t = &sig->terms[ti];
        switch (t->kind) {
        case K_DC:
            for (size_t i = 0; i < n; i++)
                out[i] += (float)t->level;
            break;
        case K_NOISE:
            for (size_t i = 0; i < n; i++)
                out[i] += (float)(t->rms * gauss_keyed(key, first + i));
            break;
        case K_SQUARE:
            for (size_t i = 0; i < n; i++) {
                double c = cycles(t->freq, fs, first + i) + t->phase / (2 * M_PI);
                c -= floor(c);
                out[i] += (float)(c < 0.5 ? t->amp : -t->amp);
            }
            break;
        case K_SINE:
            add_sine(t, fs, first, out, n);
            break;
        }
    }
    return 0;
}

/* --- formatting -------------------------------------------------------- */

/* Appends at *len; past the end (or with no buffer) it only measures, so
 * the caller learns the length it needs, as with snprintf. Truncation is
 * the point here, which is why this goes through vsnprintf. */
__attribute__((format(printf, 4, 5)))
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool fits = buf && *len < cap;
    int w = vsnprintf(fits ? buf + *len : NULL, fits ? cap - *len : 0, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len += (size_t)w;
}

int qaio_signal_format(const qaio_signal *sig, char *buf, size_t cap)
{
    if (!sig || (!buf && cap))
        return QAIO_EINVAL;
    /* %.17g round-trips doubles; the C locale keeps the decimal point. */
    pthread_once(&c_locale_once, make_c_locale);
    locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
    size_t len = 0;
#define PUT(...) put(buf, cap, &len, __VA_ARGS__)
    for (size_t i = 0; i < sig->nterms; i++) {
        const struct term *t = &sig->terms[i];
        switch (t->kind) {
        case K_SINE:
        case K_SQUARE:
            PUT("%s amp=%.17g freq=%.17g phase=%.17g", kind_names[t->kind], t->amp, t->freq,
                t->phase);
            for (int h = 2; h <= MAX_HARMONIC; h++)
                if (!isnan(t->hdbc[h]))
                    PUT(" h%d=%.17g", h, t->hdbc[h]);
            break;
        case K_NOISE: PUT("noise rms=%.17g", t->rms); break;
        case K_DC: PUT("dc level=%.17g", t->level); break;
        }
        PUT("; ");
    }
    PUT("seed=%llu", (unsigned long long)sig->seed);
#undef PUT
    if (c_locale)
        uselocale(old);
    if (cap && len >= cap)
        buf[cap - 1] = 0;
    return (int)len;
}
