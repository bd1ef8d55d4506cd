/* What each SCPI command of the simulated scope does (the list and the
 * data formats are documented in scpi_server.h). A handler checks its
 * arguments before it answers, so a failing query sends nothing. */
#include "scpi_session.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qaio/instr/acquisition.h"
#include "qaio/instr/signal.h"
#include "qaio/task.h"

#ifndef QAIO_VERSION_STRING
#define QAIO_VERSION_STRING "0"
#endif

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

/* Queues a SCPI error; a handler returns what this returns (0). */
static int fail(session *s, int num, const char *detail)
{
    qaio__scpi_push_error(s, num, detail);
    return 0;
}

/* Exactly n arguments, else the matching error (queued): true if fine. */
static bool nargs_ok(session *s, cmd *c, unsigned n)
{
    if (c->nargs > n)
        return fail(s, QAIO_SCPI_ERR_PARAM_NOT_ALLOWED, NULL), false;
    if (c->nargs < n)
        return fail(s, QAIO_SCPI_ERR_MISSING_PARAM, NULL), false;
    return true;
}

/* Argument 0 as one of the words (NULL-terminated list): its index, or -1
 * with the error queued. */
static int choice(session *s, cmd *c, const char *const *words)
{
    if (!nargs_ok(s, c, 1))
        return -1;
    if (c->arg[0].type != QAIO_SCPI_ARG_CHARS)
        return fail(s, QAIO_SCPI_ERR_DATA_TYPE, NULL), -1;
    for (int i = 0; words[i]; i++)
        if (qaio_scpi_word_match(c->arg[0].text, words[i]))
            return i;
    return fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text), -1;
}

/* Argument 0 as a number in [min, max]; false with the error queued. */
static bool number(session *s, cmd *c, double min, double max, double def, double *v)
{
    if (!nargs_ok(s, c, 1))
        return false;
    int e = qaio_scpi_arg_number(c, 0, min, max, def, v);
    if (e)
        return fail(s, e, NULL), false;
    if (!(*v >= min && *v <= max))
        return fail(s, QAIO_SCPI_ERR_OUT_OF_RANGE, c->arg[0].text), false;
    return true;
}

static int answer(session *s, const char *fmt, const char *text, double v)
{
    qaio__scpi_begin_unit(s);
    return text ? qaio__scpi_printf(s, "%s", text) : qaio__scpi_printf(s, fmt, v);
}

static qaio_scope_settings settings(session *s)
{
    qaio_scope_settings set;
    qaio_scope_get_settings(s->srv->scope, &set);
    return set;
}

static void apply(session *s, const qaio_scope_settings *set)
{
    if (qaio_scope_set_settings(s->srv->scope, set))
        fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, NULL);
}

/* --- acquisition --------------------------------------------------------- */

/* Takes one record (count of them averaged with ACQ:TYPE AVER) into the
 * session's record. 0 (SCPI errors queued, rec_valid false) or a fatal
 * qaio error (cancellation). */
static int take_record(session *s)
{
    qaio_scpi_server *srv = s->srv;
    s->rec_valid = false;
    int err = qaio_lock_acquire(srv->acq_lock, QAIO_FOREVER);
    if (err)
        return err;
    qaio_scope_arm(srv->scope);
    unsigned count = srv->average ? srv->count : 1;
    if (count > 1) {
        qaio_future *f = qaio_instrument_run_single(srv->scope, count);
        void *v = NULL;
        err = f ? qaio_await(f, &v) : -errno;
        if (!err)
            err = qaio_trace_copy_into(s->rec, v);
        qaio_future_unref(f);
    } else {
        err = qaio_instrument_acquire(srv->scope, s->rec, QAIO_FOREVER);
    }
    qaio_lock_release(srv->acq_lock);
    if (err == QAIO_ECANCELED)
        return err;
    if (err)
        return fail(s, QAIO_SCPI_ERR_HARDWARE, qaio_strerror(err));
    s->rec_valid = true;
    s->rec_count = count;
    return 0;
}

/* The record a waveform query describes: a fresh one while running. */
static int current_record(session *s, bool *ok)
{
    *ok = false;
    if (s->running) {
        int err = take_record(s);
        if (err)
            return err;
    } else if (!s->rec_valid) {
        return fail(s, QAIO_SCPI_ERR_DATA_STALE, "no record held: :DIGitize first");
    }
    if (!s->rec_valid)
        return 0;
    /* Channel order in the record is ch1, ch2 (both enabled). */
    if (s->source > s->rec->nch)
        return fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "source not acquired");
    *ok = true;
    return 0;
}

static size_t wav_points(const session *s, size_t n)
{
    return s->wav_points && s->wav_points < n ? s->wav_points : n;
}

/* y scale of integer formats: the record's peak maps to the top code. */
static double y_increment(const session *s, size_t n)
{
    if (s->format == QAIO__WAV_REAL || s->format == QAIO__WAV_ASCII)
        return 1;
    const float *y = s->rec->y[s->source - 1];
    float peak = 0;
    for (size_t i = 0; i < n; i++)
        peak = fmaxf(peak, fabsf(y[i]));
    double top = s->format == QAIO__WAV_WORD ? 32767 : 127;
    return peak > 0 ? peak / top : 1.0 / top;
}

static int preamble(session *s, cmd *c)
{
    bool ok;
    int err = nargs_ok(s, c, 0) ? current_record(s, &ok) : (ok = false, 0);
    if (err || !ok)
        return err;
    size_t n = wav_points(s, s->rec->n);
    qaio__scpi_begin_unit(s);
    return qaio__scpi_printf(s, "%d,%d,%zu,%u,%.17g,%.17g,0,%.17g,0,0", s->format,
                             s->rec_count > 1 ? 2 : 0, n, s->rec_count, s->rec->dx, s->rec->x0,
                             y_increment(s, n));
}

static void put_be_le(unsigned char *d, uint32_t v, int bytes, bool lsb)
{
    for (int i = 0; i < bytes; i++)
        d[lsb ? i : bytes - 1 - i] = (unsigned char)(v >> (8 * i));
}

static int data(session *s, cmd *c)
{
    bool ok;
    int err = nargs_ok(s, c, 0) ? current_record(s, &ok) : (ok = false, 0);
    if (err || !ok)
        return err;
    size_t n = wav_points(s, s->rec->n);
    const float *y = s->rec->y[s->source - 1];
    double inc = y_increment(s, n);
    char num[32];
    size_t len = 0;
    int width = s->format == QAIO__WAV_BYTE ? 1 : s->format == QAIO__WAV_WORD ? 2 : 4;
    if (s->format == QAIO__WAV_ASCII) {
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(num, sizeof num, "%.9g", (double)y[i]) + (i > 0);
    } else {
        len = n * (size_t)width;
    }
    char head[48];
    int digits = snprintf(num, sizeof num, "%zu", len);
    snprintf(head, sizeof head, "#%d%s", digits, num);
    qaio__scpi_begin_unit(s);
    err = qaio__scpi_out(s, head, strlen(head));
    /* Converted in pieces straight into the response buffer. */
    const size_t piece = 8192;
    for (size_t i = 0; !err && i < n; i += piece) {
        size_t m = n - i < piece ? n - i : piece;
        char *d = qaio__scpi_reserve(s, m * (s->format == QAIO__WAV_ASCII ? 32 : (size_t)width),
                                     &err);
        if (!d)
            break;
        size_t w = 0;
        for (size_t j = i; j < i + m; j++) {
            float v = y[j];
            if (s->format == QAIO__WAV_ASCII) {
                w += (size_t)snprintf(d + w, 32, j ? ",%.9g" : "%.9g", (double)v);
            } else if (s->format == QAIO__WAV_REAL) {
                uint32_t bits;
                memcpy(&bits, &v, 4);
                put_be_le((unsigned char *)d + w, bits, 4, s->lsb_first);
                w += 4;
            } else {
                double code = nearbyint(v / inc);
                double top = width == 2 ? 32767 : 127;
                code = fmin(fmax(code, -top - 1), top);
                put_be_le((unsigned char *)d + w, (uint32_t)(int32_t)code, width, s->lsb_first);
                w += (size_t)width;
            }
        }
        s->outlen += w;
    }
    return err;
}

/* --- handlers ------------------------------------------------------------ */

static const char *const sweeps[] = {"AUTO", "NORMal", "SINGle", "FORCe", NULL};
static const char *const slopes[] = {"POSitive", "NEGative", "EITHer", NULL};
static const char *const sources[] = {"CHANnel1", "CHANnel2", NULL};
static const char *const types[] = {"NORMal", "AVERage", NULL};
static const char *const formats[] = {"BYTE", "WORD", "ASCii", "REAL", NULL};
static const int format_codes[] = {QAIO__WAV_BYTE, QAIO__WAV_WORD, QAIO__WAV_ASCII, QAIO__WAV_REAL};
static const char *const orders[] = {"MSBFirst", "LSBFirst", NULL};

/* The short form of words[i], upper case, for query answers. */
static int answer_word(session *s, const char *const *words, int i)
{
    char buf[16];
    size_t n = 0;
    for (const char *p = words[i]; *p && n < sizeof buf - 1; p++)
        if (!(*p >= 'a' && *p <= 'z'))
            buf[n++] = *p;
    buf[n] = 0;
    return answer(s, NULL, buf, 0);
}

void qaio__scpi_session_reset(qaio__scpi_session *s)
{
    s->running = true;
    s->rec_valid = false;
    s->source = 1;
    s->format = QAIO__WAV_WORD;
    s->lsb_first = false;
    s->wav_points = 0;
}

static int h_idn(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    return answer(s, NULL, "qaio,qaio-instrument-sim,0," QAIO_VERSION_STRING, 0);
}

static int h_rst(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    qaio_scope_set_settings(s->srv->scope, &s->srv->reset);
    s->srv->average = false;
    s->srv->count = 1;
    qaio__scpi_session_reset(s);
    return 0;
}

static int h_cls(session *s, cmd *c)
{
    if (nargs_ok(s, c, 0))
        s->nerr = 0, s->esr = 0;
    return 0;
}

static int h_opc(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    if (!c->query) {
        s->esr |= 0x01;
        return 0;
    }
    return answer(s, NULL, "1", 0);
}

static int h_wai(session *s, cmd *c)
{
    nargs_ok(s, c, 0);
    return 0;
}

static int h_tst(session *s, cmd *c) { return nargs_ok(s, c, 0) ? answer(s, NULL, "0", 0) : 0; }

static int h_esr(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    unsigned v = s->esr;
    s->esr = 0;
    return answer(s, "%.0f", NULL, v);
}

static int h_ese(session *s, cmd *c)
{
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "%.0f", NULL, s->ese) : 0;
    double v;
    if (number(s, c, 0, 255, 0, &v))
        s->ese = (unsigned)v;
    return 0;
}

static int h_stb(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    /* Bit 2: error queue not empty; bit 5: an enabled *ESR event. */
    unsigned stb = (s->nerr ? 0x04u : 0) | ((s->esr & s->ese) ? 0x20u : 0);
    return answer(s, "%.0f", NULL, stb);
}

static int h_err(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    qaio__scpi_begin_unit(s);
    if (!s->nerr)
        return qaio__scpi_printf(s, "0,\"No error\"");
    int err = qaio__scpi_printf(s, "%d,\"%s\"", s->errq[0].num, s->errq[0].msg);
    memmove(&s->errq[0], &s->errq[1], (s->nerr - 1) * sizeof s->errq[0]);
    s->nerr--;
    return err;
}

static int h_err_count(session *s, cmd *c)
{
    return nargs_ok(s, c, 0) ? answer(s, "%.0f", NULL, s->nerr) : 0;
}

static int h_run(session *s, cmd *c)
{
    if (nargs_ok(s, c, 0))
        s->running = true;
    return 0;
}

static int h_stop(session *s, cmd *c)
{
    if (nargs_ok(s, c, 0))
        s->running = false;
    return 0;
}

static int h_single(session *s, cmd *c)
{
    for (unsigned i = 0; i < c->nargs; i++)
        if (c->arg[i].type != QAIO_SCPI_ARG_CHARS ||
            !(qaio_scpi_word_match(c->arg[i].text, sources[0]) ||
              qaio_scpi_word_match(c->arg[i].text, sources[1])))
            return fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[i].text);
    s->running = false;
    return take_record(s);
}

static int h_sweep(session *s, cmd *c)
{
    qaio_scope_settings set = settings(s);
    if (c->query)
        return nargs_ok(s, c, 0) ? answer_word(s, sweeps, (int)set.trigger) : 0;
    int i = choice(s, c, sweeps);
    if (i >= 0) {
        set.trigger = (qaio_trigger_mode)i;
        apply(s, &set);
    }
    return 0;
}

static int h_level(session *s, cmd *c)
{
    qaio_scope_settings set = settings(s);
    double v;
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "%.9g", NULL, set.trigger_level) : 0;
    if (number(s, c, -1e3, 1e3, 0, &v)) {
        set.trigger_level = v;
        apply(s, &set);
    }
    return 0;
}

static int h_slope(session *s, cmd *c)
{
    qaio_scope_settings set = settings(s);
    if (c->query)
        return nargs_ok(s, c, 0) ? answer_word(s, slopes, (int)set.slope) : 0;
    int i = choice(s, c, slopes);
    if (i >= 0) {
        set.slope = (qaio_trigger_slope)i;
        apply(s, &set);
    }
    return 0;
}

static int h_trig_source(session *s, cmd *c)
{
    qaio_scope_settings set = settings(s);
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "CHAN%.0f", NULL, set.trigger_source) : 0;
    int i = choice(s, c, sources);
    if (i >= 0) {
        set.trigger_source = (unsigned)i + 1;
        apply(s, &set);
    }
    return 0;
}

static int h_force(session *s, cmd *c)
{
    if (nargs_ok(s, c, 0))
        qaio_scope_force(s->srv->scope);
    return 0;
}

static int h_points(session *s, cmd *c)
{
    qaio_scope_settings set = settings(s);
    double v;
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "%.0f", NULL, (double)set.points) : 0;
    if (number(s, c, 2, (double)QAIO_SCPI_SERVER_MAX_POINTS, 1024, &v)) {
        set.points = (size_t)v;
        apply(s, &set);
    }
    return 0;
}

static int h_srate(session *s, cmd *c)
{
    qaio_scope_settings set = settings(s);
    double v;
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "%.17g", NULL, set.rate) : 0;
    if (number(s, c, 1e-3, 1e12, s->srv->reset.rate, &v)) {
        set.rate = v;
        apply(s, &set);
    }
    return 0;
}

static int h_type(session *s, cmd *c)
{
    if (c->query)
        return nargs_ok(s, c, 0) ? answer_word(s, types, s->srv->average) : 0;
    int i = choice(s, c, types);
    if (i >= 0)
        s->srv->average = i == 1;
    return 0;
}

static int h_count(session *s, cmd *c)
{
    double v;
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "%.0f", NULL, s->srv->count) : 0;
    if (number(s, c, 1, 65536, 1, &v))
        s->srv->count = (unsigned)v;
    return 0;
}

static int h_wav_source(session *s, cmd *c)
{
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "CHAN%.0f", NULL, s->source) : 0;
    int i = choice(s, c, sources);
    if (i >= 0)
        s->source = (unsigned)i + 1;
    return 0;
}

static int h_format(session *s, cmd *c)
{
    if (c->query) {
        if (!nargs_ok(s, c, 0))
            return 0;
        for (int i = 0; formats[i]; i++)
            if (format_codes[i] == s->format)
                return answer_word(s, formats, i);
        return 0;
    }
    int i = choice(s, c, formats);
    if (i >= 0)
        s->format = format_codes[i];
    return 0;
}

static int h_order(session *s, cmd *c)
{
    if (c->query)
        return nargs_ok(s, c, 0) ? answer_word(s, orders, s->lsb_first) : 0;
    int i = choice(s, c, orders);
    if (i >= 0)
        s->lsb_first = i == 1;
    return 0;
}

static int h_wav_points(session *s, cmd *c)
{
    double v;
    if (c->query)
        return nargs_ok(s, c, 0) ? answer(s, "%.0f", NULL, (double)s->wav_points) : 0;
    if (number(s, c, 0, (double)QAIO_SCPI_SERVER_MAX_POINTS, 0, &v))
        s->wav_points = (size_t)v == QAIO_SCPI_SERVER_MAX_POINTS ? 0 : (size_t)v;
    return 0;
}

static int h_signal(session *s, cmd *c)
{
    if (c->query) {
        if (!nargs_ok(s, c, 0))
            return 0;
        char buf[400];
        qaio_signal_format(qaio_scope_signal(s->srv->scope, 1), buf, sizeof buf);
        qaio__scpi_begin_unit(s);
        return qaio__scpi_printf(s, "\"%s\"", buf);
    }
    if (!nargs_ok(s, c, 1))
        return 0;
    if (c->arg[0].type != QAIO_SCPI_ARG_STRING)
        return fail(s, QAIO_SCPI_ERR_DATA_TYPE, "a quoted description");
    char msg[96];
    for (unsigned ch = 1; ch <= 2; ch++)
        if (qaio_scope_set_signal(s->srv->scope, ch, c->arg[0].text, msg, sizeof msg))
            return fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, msg);
    return 0;
}

enum { Q = 1, S = 2 };
static const struct {
    const char *pattern;
    int (*fn)(session *, cmd *);
    unsigned how;
} table[] = {
    {"*IDN", h_idn, Q},
    {"*RST", h_rst, S},
    {"*CLS", h_cls, S},
    {"*OPC", h_opc, Q | S},
    {"*WAI", h_wai, S},
    {"*TST", h_tst, Q},
    {"*ESR", h_esr, Q},
    {"*ESE", h_ese, Q | S},
    {"*STB", h_stb, Q},
    {":SYSTem:ERRor[:NEXT]", h_err, Q},
    {":SYSTem:ERRor:COUNt", h_err_count, Q},
    {":RUN", h_run, S},
    {":STOP", h_stop, S},
    {":SINGle", h_single, S},
    {":DIGitize", h_single, S},
    {":TRIGger:SWEep", h_sweep, Q | S},
    {":TRIGger[:EDGE]:LEVel", h_level, Q | S},
    {":TRIGger[:EDGE]:SLOPe", h_slope, Q | S},
    {":TRIGger[:EDGE]:SOURce", h_trig_source, Q | S},
    {":TRIGger:FORCe", h_force, S},
    {":ACQuire:POINts", h_points, Q | S},
    {":ACQuire:SRATe", h_srate, Q | S},
    {":ACQuire:TYPE", h_type, Q | S},
    {":ACQuire:COUNt", h_count, Q | S},
    {":WAVeform:SOURce", h_wav_source, Q | S},
    {":WAVeform:FORMat", h_format, Q | S},
    {":WAVeform:BYTeorder", h_order, Q | S},
    {":WAVeform:POINts", h_wav_points, Q | S},
    {":WAVeform:PREamble", preamble, Q},
    {":WAVeform:DATA", data, Q},
    {":SIMulation:SIGNal", h_signal, Q | S},
};

int qaio__scpi_execute(qaio__scpi_session *s, const qaio_scpi_command *c)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (!qaio_scpi_match(c, table[i].pattern))
            continue;
        if (!(table[i].how & (c->query ? Q : S)))
            break; /* a query of a command-only header, or the reverse */
        return table[i].fn(s, c);
    }
    char hdr[96];
    size_t n = 0;
    for (unsigned i = 0; i < c->depth && n < sizeof hdr; i++)
        n += (size_t)snprintf(hdr + n, sizeof hdr - n, "%s%s", c->common ? "*" : ":", c->node[i]);
    if (c->query && n < sizeof hdr - 1)
        hdr[n++] = '?', hdr[n] = 0;
    return fail(s, QAIO_SCPI_ERR_UNDEFINED_HEADER, hdr);
}
