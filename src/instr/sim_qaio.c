/* The "qaio" personality: qaio-instrument-sim's own dialect, the
 * Keysight-style SCPI-99 subset documented in scpi_server.h. A handler
 * checks its arguments before it answers, so a failing query sends
 * nothing. */
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

#define fail qaio__sim_fail
#define nargs_ok qaio__sim_nargs
#define choice qaio__sim_choice
#define number qaio__sim_number
#define answer_word qaio__sim_answer_word
#define settings qaio__sim_settings
#define apply qaio__sim_apply

static int answer(session *s, const char *fmt, const char *text, double v)
{
    return text ? qaio__sim_answer(s, "%s", text) : qaio__sim_answer(s, fmt, v);
}

/* --- acquisition --------------------------------------------------------- */

/* The record a waveform query describes: a fresh one while running --
 * except that a :WAV:DATA? after a :WAV:PRE? sends the record the
 * preamble described (one record per pair). */
static int current_record(session *s, bool pre, bool *ok)
{
    *ok = false;
    if (s->running && !(!pre && s->pre_pending && s->rec_valid)) {
        int err = qaio__sim_take(s);
        if (err)
            return err;
        s->pre_pending = pre && s->rec_valid;
    } else if (s->running) {
        s->pre_pending = false; /* the pair is complete */
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
    int err = nargs_ok(s, c, 0) ? current_record(s, true, &ok) : (ok = false, 0);
    if (err || !ok)
        return err;
    size_t n = wav_points(s, s->rec->n);
    qaio__scpi_begin_unit(s);
    return qaio__scpi_printf(s, "%d,%d,%zu,%u,%.17g,%.17g,0,%.17g,0,0", s->format,
                             s->rec_count > 1 ? 2 : 0, n, s->rec_count, s->rec->dx, s->rec->x0,
                             y_increment(s, n));
}

static int data(session *s, cmd *c)
{
    bool ok;
    int err = nargs_ok(s, c, 0) ? current_record(s, false, &ok) : (ok = false, 0);
    if (err || !ok)
        return err;
    size_t n = wav_points(s, s->rec->n);
    const float *y = s->rec->y[s->source - 1];
    size_t len;
    if (s->format == QAIO__WAV_ASCII) {
        char num[32];
        len = 0;
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(num, sizeof num, "%.9g", (double)y[i]) + (i > 0);
    } else {
        len = n * (s->format == QAIO__WAV_BYTE ? 1 : s->format == QAIO__WAV_WORD ? 2 : 4);
    }
    qaio__scpi_begin_unit(s);
    err = qaio__sim_block_header(s, len);
    if (!err && s->format == QAIO__WAV_ASCII)
        err = qaio__sim_put_ascii(s, y, n, "%.9g");
    else if (!err && s->format == QAIO__WAV_REAL)
        err = qaio__sim_put_floats(s, y, n, !s->lsb_first);
    else if (!err) {
        /* Signed codes, the record's peak at the top code. */
        long top = s->format == QAIO__WAV_WORD ? 32767 : 127;
        err = qaio__sim_put_codes(s, y, n, y_increment(s, n), 0, -top - 1, top,
                                  s->format == QAIO__WAV_WORD ? 2 : 1, !s->lsb_first);
    }
    /* Running, the record was this query's alone: an idle session holds
     * no record (stopped, it is the record the session stopped on). */
    if (s->running)
        qaio__sim_release(s);
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

static int h_run(session *s, cmd *c)
{
    if (nargs_ok(s, c, 0))
        s->running = true, s->pre_pending = false;
    return 0;
}

static int h_stop(session *s, cmd *c)
{
    if (nargs_ok(s, c, 0))
        s->running = false, s->pre_pending = false;
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
    return qaio__sim_take(s);
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
    if (qaio__sim_query_limit(s, c, -1e3, 1e3, &v))
        return answer(s, "%.9g", NULL, v);
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
    if (qaio__sim_query_limit(s, c, 2, (double)QAIO_SCPI_SERVER_MAX_POINTS, &v))
        return answer(s, "%.0f", NULL, v);
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
    if (qaio__sim_query_limit(s, c, 1e-3, 1e12, &v))
        return answer(s, "%.17g", NULL, v);
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
    if (qaio__sim_query_limit(s, c, 1, 65536, &v))
        return answer(s, "%.0f", NULL, v);
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
    if (qaio__sim_query_limit(s, c, 1, (double)QAIO_SCPI_SERVER_MAX_POINTS, &v))
        return answer(s, "%.0f", NULL, v);
    if (c->query) {
        /* The points :WAV:DATA? would send: of the held record, else of
         * the next one (0, "the whole record", is never the answer). */
        size_t n = s->rec_valid ? s->rec->n : settings(s).points;
        return nargs_ok(s, c, 0) ? answer(s, "%.0f", NULL, (double)wav_points(s, n)) : 0;
    }
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

/* :SIMulation:ARM: a :SINGle that returns at once (the record is taken
 * in the background, as families with a non-blocking single do);
 * :SIMulation:RECord? tells where it is. */
static int h_arm(session *s, cmd *c)
{
    if (!nargs_ok(s, c, 0))
        return 0;
    s->running = false;
    s->pre_pending = false;
    return qaio__sim_arm(s);
}

static int h_record(session *s, cmd *c)
{
    static const char *const states[] = {"IDLE", "WAIT", "HELD"};
    return nargs_ok(s, c, 0) ? qaio__sim_answer(s, "%s", states[qaio__sim_status(s)]) : 0;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
static const qaio__sim_command table[] = {
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
    {":SIMulation:ARM", h_arm, S},
    {":SIMulation:RECord", h_record, Q},
};

const qaio__sim_personality qaio__sim_qaio = {
    .name = "qaio",
    .title = "qaio-instrument-sim",
    .idn = "qaio,qaio-instrument-sim,0," QAIO_VERSION_STRING,
    .port = QAIO_SCPI_PORT,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
};
