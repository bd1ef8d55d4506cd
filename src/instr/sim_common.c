/* What every simulator personality shares (scpi_session.h): the IEEE
 * 488.2 common commands and :SYSTem:ERRor, the dispatch of a parsed
 * command to the personality's table, and the helpers its handlers use
 * to read arguments and encode answers. */
#include "scpi_session.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

/* --- the personalities --------------------------------------------------- */

const qaio__sim_personality *qaio__sim_personality_find(const char *name)
{
    for (size_t i = 0; name && qaio__sim_personalities[i]; i++)
        if (strcasecmp(qaio__sim_personalities[i]->name, name) == 0)
            return qaio__sim_personalities[i];
    return NULL;
}

/* --- helpers ------------------------------------------------------------- */

int qaio__sim_fail(session *s, int num, const char *detail)
{
    qaio__scpi_push_error(s, num, detail);
    return 0;
}

bool qaio__sim_nargs(session *s, cmd *c, unsigned n)
{
    if (c->nargs > n)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_PARAM_NOT_ALLOWED, NULL), false;
    if (c->nargs < n)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_MISSING_PARAM, NULL), false;
    return true;
}

int qaio__sim_choice(session *s, cmd *c, const char *const *words)
{
    if (!qaio__sim_nargs(s, c, 1))
        return -1;
    if (c->arg[0].type != QAIO_SCPI_ARG_CHARS)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_TYPE, NULL), -1;
    for (int i = 0; words[i]; i++)
        if (qaio_scpi_word_match(c->arg[0].text, words[i]))
            return i;
    return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text), -1;
}

bool qaio__sim_number(session *s, cmd *c, double min, double max, double def, double *v)
{
    if (!qaio__sim_nargs(s, c, 1))
        return false;
    int e = qaio_scpi_arg_number(c, 0, min, max, def, v);
    if (e)
        return qaio__sim_fail(s, e, NULL), false;
    if (!(*v >= min && *v <= max))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_OUT_OF_RANGE, c->arg[0].text), false;
    return true;
}

bool qaio__sim_query_limit(session *s, cmd *c, double min, double max, double *v)
{
    (void)s;
    if (!c->query || c->nargs != 1 || c->arg[0].type != QAIO_SCPI_ARG_CHARS)
        return false;
    if (qaio_scpi_word_match(c->arg[0].text, "MINimum"))
        return *v = min, true;
    if (qaio_scpi_word_match(c->arg[0].text, "MAXimum"))
        return *v = max, true;
    return false;
}

int qaio__sim_answer(session *s, const char *fmt, ...)
{
    qaio__scpi_begin_unit(s);
    va_list ap;
    va_start(ap, fmt);
    int err = qaio__scpi_vprintf(s, fmt, ap);
    va_end(ap);
    return err;
}

int qaio__sim_answer_word(session *s, const char *const *words, int i)
{
    char buf[16];
    size_t n = 0;
    for (const char *p = words[i]; *p && n < sizeof buf - 1; p++)
        if (!(*p >= 'a' && *p <= 'z'))
            buf[n++] = *p;
    buf[n] = 0;
    return qaio__sim_answer(s, "%s", buf);
}

qaio_scope_settings qaio__sim_settings(session *s)
{
    qaio_scope_settings set;
    qaio_scope_get_settings(s->srv->scope, &set);
    return set;
}

void qaio__sim_apply(session *s, const qaio_scope_settings *set)
{
    if (qaio_scope_set_settings(s->srv->scope, set))
        qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, NULL);
}

int qaio__sim_block_header(session *s, size_t len)
{
    char num[24], head[32];
    int digits = snprintf(num, sizeof num, "%zu", len);
    int n = snprintf(head, sizeof head, "#%d%s", digits, num);
    return qaio__scpi_out(s, head, (size_t)n);
}

static void put(unsigned char *d, uint32_t v, int bytes, bool msb_first)
{
    for (int i = 0; i < bytes; i++)
        d[msb_first ? bytes - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Samples are converted in pieces straight into the response buffer. */
#define PIECE 8192

int qaio__sim_put_codes(session *s, const float *y, size_t n, double scale, double offset,
                        long lo, long hi, int width, bool msb_first)
{
    int err = 0;
    for (size_t i = 0; !err && i < n; i += PIECE) {
        size_t m = n - i < PIECE ? n - i : PIECE;
        unsigned char *d = (unsigned char *)qaio__scpi_reserve(s, m * (size_t)width, &err);
        if (!d)
            break;
        for (size_t j = 0; j < m; j++) {
            double code = nearbyint(((double)y[i + j] - offset) / scale);
            code = fmin(fmax(code, (double)lo), (double)hi);
            put(d + j * (size_t)width, (uint32_t)(int64_t)code, width, msb_first);
        }
        s->outlen += m * (size_t)width;
    }
    return err;
}

int qaio__sim_put_floats(session *s, const float *y, size_t n, bool msb_first)
{
    int err = 0;
    for (size_t i = 0; !err && i < n; i += PIECE) {
        size_t m = n - i < PIECE ? n - i : PIECE;
        unsigned char *d = (unsigned char *)qaio__scpi_reserve(s, m * 4, &err);
        if (!d)
            break;
        for (size_t j = 0; j < m; j++) {
            uint32_t bits;
            memcpy(&bits, &y[i + j], 4);
            put(d + 4 * j, bits, 4, msb_first);
        }
        s->outlen += m * 4;
    }
    return err;
}

int qaio__sim_put_ascii(session *s, const float *y, size_t n, const char *fmt)
{
    int err = 0;
    for (size_t i = 0; !err && i < n; i += PIECE) {
        size_t m = n - i < PIECE ? n - i : PIECE;
        char *d = qaio__scpi_reserve(s, m * 32, &err);
        if (!d)
            break;
        size_t w = 0;
        for (size_t j = i; j < i + m; j++) {
            if (j)
                d[w++] = ',';
            int k = snprintf(d + w, 31, fmt, (double)y[j]);
            w += k > 0 ? (size_t)(k < 31 ? k : 30) : 0;
        }
        s->outlen += w;
    }
    return err;
}

/* --- resets -------------------------------------------------------------- */

void qaio__scpi_session_reset(session *s)
{
    qaio__sim_abort(s);
    qaio__sim_release(s);
    s->running = true;
    s->pre_pending = false;
    s->source = 1;
    s->format = QAIO__WAV_WORD;
    s->lsb_first = false;
    s->wav_points = 0;
    if (s->srv->pers->session_reset)
        s->srv->pers->session_reset(s);
}

void qaio__scpi_server_reset(qaio_scpi_server *srv)
{
    qaio_scope_set_settings(srv->scope, &srv->reset);
    srv->average = false;
    srv->count = 1;
    if (srv->pers->server_reset)
        srv->pers->server_reset(srv);
}

/* --- IEEE 488.2 common commands and the error queue ---------------------- */

static int h_idn(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%s", s->srv->pers->idn) : 0;
}

static int h_rst(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    qaio__scpi_server_reset(s->srv);
    qaio__scpi_session_reset(s);
    return 0;
}

static int h_cls(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0)) {
        qaio__sim_abort(s);
        s->nerr = 0, s->esr = 0;
        s->oper_event = 0, s->ques_event = 0; /* SCPI-99 4.1.3.2: event registers too */
    }
    return 0;
}

static int h_sre(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%u", s->sre) : 0;
    double v;
    if (qaio__sim_number(s, c, 0, 255, 0, &v))
        s->sre = (unsigned)v & ~0x40u; /* bit 6 (RQS/MSS) cannot be enabled */
    return 0;
}

static int h_version(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "1999.0") : 0;
}

/* OPERation condition bits (SCPI-99 20.1.7): 4 MEASuring and 5 waiting
 * for TRIGger while an armed record is pending. The event register
 * latches their rising edges: sim_record.c sets bit 4 when a record call
 * starts and bits 4 and 5 when a record is armed. QUEStionable has no
 * condition here. */
static unsigned oper_condition(session *s)
{
    return s->armed && qaio__sim_status(s) == QAIO__SIM_WAITING ? 0x30u : 0;
}

static int status_register(session *s, cmd *c, unsigned cond, unsigned *event, unsigned *enable)
{
    bool is_cond = c->depth >= 3 && qaio_scpi_word_match(c->node[2], "CONDition");
    bool is_enable = c->depth >= 3 && qaio_scpi_word_match(c->node[2], "ENABle");
    if (is_enable && !c->query) {
        double v;
        if (qaio__sim_number(s, c, 0, 65535, 0, &v))
            *enable = (unsigned)v & 0x7fff;
        return 0;
    }
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    if (is_enable)
        return qaio__sim_answer(s, "%u", *enable);
    if (is_cond)
        return qaio__sim_answer(s, "%u", cond);
    unsigned v = *event | cond; /* the event register, read and cleared */
    *event = 0;
    return qaio__sim_answer(s, "%u", v);
}

static int h_oper(session *s, cmd *c)
{
    return status_register(s, c, oper_condition(s), &s->oper_event, &s->oper_enable);
}

static int h_ques(session *s, cmd *c)
{
    return status_register(s, c, 0, &s->ques_event, &s->ques_enable);
}

static int h_preset(session *s, cmd *c)
{
    /* SCPI-99 20.7: the device-dependent enables go back to 0. */
    if (qaio__sim_nargs(s, c, 0))
        s->oper_enable = 0, s->ques_enable = 0;
    return 0;
}

static int h_opc(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    /* Commands run in order, so what came before is complete -- but an
     * armed record is an operation still pending. */
    int err = qaio__sim_wait(s);
    if (err)
        return err;
    if (qaio__scpi_interrupted(s) && c->query) /* *RST & co. cancel a pending *OPC? */
        return qaio__sim_fail(s, QAIO_SCPI_ERR_QUERY_INTERRUPTED, "operation aborted");
    if (!c->query) {
        s->esr |= 0x01;
        return 0;
    }
    return qaio__sim_answer(s, "1");
}

static int h_wai(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_wait(s) : 0;
}

static int h_tst(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "0") : 0;
}

static int h_esr(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    unsigned v = s->esr;
    s->esr = 0;
    return qaio__sim_answer(s, "%u", v);
}

static int h_ese(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%u", s->ese) : 0;
    double v;
    if (qaio__sim_number(s, c, 0, 255, 0, &v))
        s->ese = (unsigned)v;
    return 0;
}

static int h_stb(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    /* Bit 2: error queue not empty; 3: an enabled QUEStionable event;
     * 5: an enabled *ESR event; 7: an enabled OPERation event; 6 (MSS):
     * one of the others enabled by *SRE. */
    unsigned oper = s->oper_event | oper_condition(s);
    unsigned stb = (s->nerr ? 0x04u : 0) | ((s->ques_event & s->ques_enable) ? 0x08u : 0) |
                   ((s->esr & s->ese) ? 0x20u : 0) | ((oper & s->oper_enable) ? 0x80u : 0);
    if (stb & s->sre)
        stb |= 0x40;
    return qaio__sim_answer(s, "%u", stb);
}

static int h_err(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    if (!s->nerr)
        return qaio__sim_answer(s, "0,\"No error\"");
    int err = qaio__sim_answer(s, "%d,\"%s\"", s->errq[0].num, s->errq[0].msg);
    memmove(&s->errq[0], &s->errq[1], (s->nerr - 1) * sizeof s->errq[0]);
    s->nerr--;
    return err;
}

static int h_err_count(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%u", s->nerr) : 0;
}

static const qaio__sim_command common[] = {
    {"*IDN", h_idn, QAIO__SIM_Q},
    {"*RST", h_rst, QAIO__SIM_S},
    {"*CLS", h_cls, QAIO__SIM_S},
    {"*OPC", h_opc, QAIO__SIM_Q | QAIO__SIM_S},
    {"*WAI", h_wai, QAIO__SIM_S},
    {"*TST", h_tst, QAIO__SIM_Q},
    {"*ESR", h_esr, QAIO__SIM_Q},
    {"*ESE", h_ese, QAIO__SIM_Q | QAIO__SIM_S},
    {"*STB", h_stb, QAIO__SIM_Q},
    {"*SRE", h_sre, QAIO__SIM_Q | QAIO__SIM_S},
    {":SYSTem:VERSion", h_version, QAIO__SIM_Q},
    {":STATus:OPERation[:EVENt]", h_oper, QAIO__SIM_Q},
    {":STATus:OPERation:CONDition", h_oper, QAIO__SIM_Q},
    {":STATus:OPERation:ENABle", h_oper, QAIO__SIM_Q | QAIO__SIM_S},
    {":STATus:QUEStionable[:EVENt]", h_ques, QAIO__SIM_Q},
    {":STATus:QUEStionable:CONDition", h_ques, QAIO__SIM_Q},
    {":STATus:QUEStionable:ENABle", h_ques, QAIO__SIM_Q | QAIO__SIM_S},
    {":STATus:PRESet", h_preset, QAIO__SIM_S},
    {":SYSTem:ERRor[:NEXT]", h_err, QAIO__SIM_Q},
    {":SYSTem:ERRor:COUNt", h_err_count, QAIO__SIM_Q},
};

/* 1: ran (its result in *ret), 0: no entry, -1: the header exists but not
 * as this kind (a query of a command-only header, or the reverse). */
static int lookup(session *s, cmd *c, const qaio__sim_command *t, size_t n, int *ret)
{
    for (size_t i = 0; i < n; i++) {
        if (!qaio_scpi_match(c, t[i].pattern))
            continue;
        if (!(t[i].how & (c->query ? QAIO__SIM_Q : QAIO__SIM_S)))
            return -1;
        *ret = t[i].fn(s, c);
        return 1;
    }
    return 0;
}

int qaio__scpi_execute(session *s, cmd *c)
{
    const qaio__sim_personality *p = s->srv->pers;
    int ret = 0;
    int found = lookup(s, c, p->commands, p->ncommands, &ret);
    if (found == 0)
        found = lookup(s, c, common, sizeof common / sizeof common[0], &ret);
    if (found == 1)
        return ret;
    char hdr[96];
    size_t n = 0;
    for (unsigned i = 0; i < c->depth && n < sizeof hdr; i++)
        n += (size_t)snprintf(hdr + n, sizeof hdr - n, "%s%s", c->common ? "*" : ":", c->node[i]);
    if (c->query && n < sizeof hdr - 1)
        hdr[n++] = '?', hdr[n] = 0;
    return qaio__sim_fail(s, QAIO_SCPI_ERR_UNDEFINED_HEADER, hdr);
}
