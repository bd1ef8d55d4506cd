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

/* Box-Muller on the two 32-bit halves of one mixed counter: u1 in (0, 1]
 * (no log(0)), u2 in [0, 1). Tails end near 6.7 sigma, far beyond what any
 * simulated measurement here can resolve. */
static inline double gauss_keyed(uint64_t key, uint64_t index)
{
    uint64_t r = mix64(key + index * 0x9e3779b97f4a7c15ULL);
    double u1 = ((double)(r >> 32) + 1.0) * (1.0 / 4294967296.0);
    double u2 = (double)(r & 0xffffffffu) * (1.0 / 4294967296.0);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

double qaio_gauss(uint64_t seed, uint64_t stream, uint64_t index)
{
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

int qaio_signal_generate(const qaio_signal *sig, uint64_t stream, uint64_t first, double fs,
                         float *out, size_t n)
{
    if (!sig || (!out && n) || !(fs > 0) || !isfinite(fs))
        return QAIO_EINVAL;
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
        case K_SINE: {
            double amps[MAX_HARMONIC + 1] = {0};
            amps[1] = t->amp;
            for (int h = 2; h <= MAX_HARMONIC; h++)
                if (!isnan(t->hdbc[h]))
                    amps[h] = t->amp * pow(10.0, t->hdbc[h] / 20.0);
            for (size_t i = 0; i < n; i++) {
                double c = cycles(t->freq, fs, first + i);
                double v = 0;
                for (int h = 1; h <= MAX_HARMONIC; h++)
                    if (amps[h] != 0)
                        v += amps[h] * sin(2 * M_PI * (h * c) + h * t->phase);
                out[i] += (float)v;
            }
            break;
        }
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
