/* The "tektronix-mdo" personality: a Tektronix MDO3024 as the
 * MDO4000/B/C, MSO/DPO4000B and MDO3000 Series Oscilloscopes Programmer
 * Manual (077-0510-xx) describes it: HEADer and VERBose, the Waveform
 * Transfer group (DATa:SOUrce, DATa:ENCdg, DATa:STARt/STOP, WFMOutpre:*,
 * CURVe?), Horizontal (HORizontal:SCAle, HORizontal:RECOrdlength),
 * Acquisition (ACQuire:STOPAfter, ACQuire:STATE, ACQuire:MODe/NUMAVg),
 * Vertical (CH<n>:SCAle/POSition/OFFSet), Trigger (TRIGger:A:MODe,
 * TRIGger:A:EDGE:SOUrce/SLOpe, TRIGger:A:LEVel:CH<n>) and Status and
 * Events (*ESR?, EVENT?, EVMsg?, EVQty?, ALLEv?). Socket server port 4000.
 *
 * Its model over the shared simulated scope:
 *   - the record is HORizontal:RECOrdlength points over 10 divisions of
 *     HORizontal:SCAle (sample rate = length / (10 * scale)); lengths are
 *     1000, 10k, 100k and 1M (the 5M and 10M of the real instrument are
 *     beyond the simulator's 4M points) and scales the 1-2-4 sequence
 *     from 1 ns to 1000 s/div, other values going to the nearest;
 *   - codes: 25 digitizing levels a division (6400 with WFMOutpre:BYT_Nr
 *     2), YMUlt = V/div / 25 (/ 6400), YOFf = CH<n>:POSition in levels
 *     (+128 / +32768 for the unsigned RPBinary / SRPbinary), YZEro =
 *     CH<n>:OFFSet; clipped to the code range. ASCIi: comma-separated
 *     codes with no block header;
 *   - ACQuire:STATE ON with STOPAfter SEQuence takes one record in the
 *     background (ACQuire:STATE? 1 until it is held, *OPC? waits for it);
 *     RUNSTop (the *RST state) takes a fresh record for each CURVe?;
 *   - HEADer ON (the *RST state) prefixes answers with their header,
 *     long (":WFMOUTPRE:YMULT 1.0E-2") or, with VERBose OFF, short
 *     (":WFMO:YMU 1.0E-2"); VERBose also picks long or short enumerations;
 *   - events: Tek's positive event codes (113 "Undefined header"), made
 *     readable by *ESR? as the manual's event handling sequence says.
 * XZEro is the time of the first transferred point after the trigger
 * (the record starts at the trigger: PT_Off 0); HORizontal:POSition is
 * kept but does not move it. */
#include "scope_model.h"
#include "scpi_session.h"
#include "sim_family.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define TK_CHANNELS 4

enum { ENC_ASCII, ENC_RIB, ENC_RPB, ENC_SRI, ENC_SRP };

typedef struct tk_channel {
    double scale, position, offset;
    bool on;
} tk_channel;

typedef struct tk_server {
    bool header, verbose;
    double hscale, hpos;
    size_t reclen;
    int hmode;
    tk_channel ch[TK_CHANNELS];
    double level[TK_CHANNELS];
    bool sequence; /* ACQuire:STOPAfter SEQuence */
    int acq_mode;
    unsigned numacq;
    /* the Waveform Transfer settings (one set per instrument) */
    unsigned source;
    int enc;
    int width;
    size_t start, stop;
} tk_server;

typedef struct tk_session {
    unsigned available; /* events made readable by the last *ESR? */
} tk_session;

static tk_server *st(session *s) { return s->srv->pstate; }

static const char *pattern_of(const qaio_scpi_command *c);

/* --- answers ------------------------------------------------------------- */

/* The header of c's table entry, long ("WFMOUTPRE:YMULT") or short
 * ("WFMO:YMU"). */
static void header_of(cmd *c, bool verbose, char *out, size_t cap)
{
    const char *pat = pattern_of(c);
    size_t n = 0;
    bool in_node = false;
    for (const char *p = pat ? pat : ""; *p && n + 1 < cap; p++) {
        if (*p == '[') { /* an optional node: the answer leaves it out */
            while (*p && *p != ']')
                p++;
            if (!*p)
                break;
            continue;
        }
        if (*p == ':') {
            in_node = false;
            out[n++] = ':';
            continue;
        }
        if (!in_node && n == 0)
            out[n++] = ':';
        in_node = true;
        if (verbose || !islower((unsigned char)*p))
            out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = 0;
}

/* One answer unit, with its header when HEADer is ON. */
static int answer(session *s, cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int answer(session *s, cmd *c, const char *fmt, ...)
{
    char head[96] = "", buf[512];
    if (st(s)->header) {
        header_of(c, st(s)->verbose, head, sizeof head - 1);
        strcat(head, " ");
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return qaio__sim_answer(s, "%s%s", head, buf);
}

/* words[i], long with VERBose ON, else its short form. */
static int answer_word(session *s, cmd *c, const char *const *words, int i)
{
    char w[32];
    size_t n = 0;
    for (const char *p = words[i]; *p && n < sizeof w - 1; p++)
        if (st(s)->verbose || !islower((unsigned char)*p))
            w[n++] = (char)toupper((unsigned char)*p);
    w[n] = 0;
    return answer(s, c, "%s", w);
}

static int answer_number(session *s, cmd *c, double v) { return answer(s, c, "%.6E", v); }

/* --- arguments ----------------------------------------------------------- */

/* ON|OFF|<NR1>: 1, 0, or -1 with the error queued. */
static int bool_arg(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 1))
        return -1;
    const char *t = c->arg[0].text;
    if (qaio_scpi_word_match(t, "ON"))
        return 1;
    if (qaio_scpi_word_match(t, "OFF"))
        return 0;
    if (c->arg[0].type == QAIO_SCPI_ARG_NUMBER)
        return atof(t) != 0;
    return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, t), -1;
}

/* CH<n> in a node or argument: 1..4, or 0. */
static unsigned ch_word(const char *t)
{
    if ((t[0] == 'C' || t[0] == 'c') && (t[1] == 'H' || t[1] == 'h') && t[2] >= '1' &&
        t[2] <= '0' + TK_CHANNELS && !t[3])
        return (unsigned)(t[2] - '0');
    return 0;
}

static unsigned node_ch(cmd *c)
{
    for (unsigned i = 0; i < c->depth; i++)
        if (ch_word(c->node[i]))
            return ch_word(c->node[i]);
    return 0;
}

/* --- the horizontal model ------------------------------------------------ */

static const double lengths[] = {1000, 10000, 100000, 1000000};

static size_t nearest_length(double v)
{
    return (size_t)lengths[qaio__nearest_index(lengths, 4, v)];
}

/* The nearest of 1-2-4 x 10^k, 1 ns to 1000 s. */
static double nearest_scale(double v)
{
    return qaio__step_nearest_in(&qaio__steps_124, v, 1e-9, 1000);
}

static double rate_of(tk_server *t) { return (double)t->reclen / (10 * t->hscale); }

/* Puts the shared scope on the record length and rate. */
static void map_to_scope(session *s)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    set.points = st(s)->reclen;
    set.rate = rate_of(st(s));
    qaio__sim_apply(s, &set);
}

/* --- the waveform transfer ----------------------------------------------- */

static bool two_bytes(session *s) { return st(s)->width == 2; }
static bool is_unsigned(session *s) { return st(s)->enc == ENC_RPB || st(s)->enc == ENC_SRP; }
static bool lsb_first(session *s) { return st(s)->enc == ENC_SRI || st(s)->enc == ENC_SRP; }
static tk_channel *src_ch(session *s) { return &st(s)->ch[st(s)->source - 1]; }

static double ymult(session *s) { return src_ch(s)->scale / (two_bytes(s) ? 6400 : 25); }

static double yoff(session *s)
{
    double levels = two_bytes(s) ? 6400 : 25;
    return src_ch(s)->position * levels + (is_unsigned(s) ? (two_bytes(s) ? 32768 : 128) : 0);
}

/* The points DATa:STARt..STOP select of an n-point record: first index
 * and count. */
static size_t selection(session *s, size_t n, size_t *first)
{
    size_t a = st(s)->start, b = st(s)->stop < n ? st(s)->stop : n;
    *first = a - 1;
    return a <= b ? b - a + 1 : 0;
}

static double xincr(session *s)
{
    return s->rec_valid ? s->rec->dx : 1 / rate_of(st(s));
}

static double xzero(session *s)
{
    double x0 = s->rec_valid ? s->rec->x0 : 0;
    return x0 + (double)(st(s)->start - 1) * xincr(s);
}

static size_t nr_pt(session *s)
{
    size_t first;
    return selection(s, s->rec_valid ? s->rec->n : st(s)->reclen, &first);
}

static int h_curve(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    if (st(s)->source > 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "no input on this channel");
    int err = s->running ? (map_to_scope(s), qaio__sim_take(s)) : qaio__sim_wait(s);
    if (err)
        return err;
    if (!s->rec_valid)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_EXECUTION, "no waveform acquired");
    size_t first, n = selection(s, s->rec->n, &first);
    if (!n)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "DATa:STARt after DATa:STOP");
    const float *y = s->rec->y[st(s)->source - 1] + first;
    double m = ymult(s), off = yoff(s), zero = src_ch(s)->offset;
    long top = two_bytes(s) ? 65535 : 255;
    long lo = is_unsigned(s) ? 0 : -(top + 1) / 2, hi = is_unsigned(s) ? top : top / 2;
    char head[96] = "";
    if (st(s)->header) {
        header_of(c, st(s)->verbose, head, sizeof head - 1);
        strcat(head, " ");
    }
    qaio__scpi_begin_unit(s);
    if ((err = qaio__scpi_out(s, head, strlen(head))))
        return err;
    if (st(s)->enc == ENC_ASCII) {
        /* Codes as integers, no block. */
        for (size_t i = 0; !err && i < n; i++) {
            double code = fmin(fmax(nearbyint((y[i] - zero) / m + off), (double)lo), (double)hi);
            err = qaio__scpi_printf(s, i ? ",%ld" : "%ld", (long)code);
        }
        return err;
    }
    size_t w = two_bytes(s) ? 2 : 1;
    if ((err = qaio__sim_block_header(s, n * w)))
        return err;
    /* code = (v - YZEro) / YMUlt + YOFf */
    return qaio__sim_put_codes(s, y, n, m, zero - off * m, lo, hi, (int)w, !lsb_first(s));
}

static int preamble_value(session *s, cmd *c, int which)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    switch (which) {
    case 0: return answer_number(s, c, ymult(s));
    case 1: return answer_number(s, c, yoff(s));
    case 2: return answer_number(s, c, src_ch(s)->offset);
    case 3: return answer_number(s, c, xincr(s));
    case 4: return answer_number(s, c, xzero(s));
    case 5: return answer(s, c, "0");
    default: return answer(s, c, "%zu", nr_pt(s));
    }
}

static int h_ymult(session *s, cmd *c) { return preamble_value(s, c, 0); }
static int h_yoff(session *s, cmd *c) { return preamble_value(s, c, 1); }
static int h_yzero(session *s, cmd *c) { return preamble_value(s, c, 2); }
static int h_xincr(session *s, cmd *c) { return preamble_value(s, c, 3); }
static int h_xzero(session *s, cmd *c) { return preamble_value(s, c, 4); }
static int h_ptoff(session *s, cmd *c) { return preamble_value(s, c, 5); }
static int h_nrpt(session *s, cmd *c) { return preamble_value(s, c, 6); }

static int h_xunit(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer(s, c, "\"s\"") : 0;
}

static int h_yunit(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer(s, c, "\"V\"") : 0;
}

static int h_bitnr(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%d", 8 * st(s)->width) : 0;
}

static int h_ptfmt(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer(s, c, "Y") : 0;
}

static int h_wfid(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    return answer(s, c, "\"Ch%u, DC coupling, %.3g V/div, %.3g s/div, %zu points, Sample mode\"",
                  st(s)->source, src_ch(s)->scale, st(s)->hscale, st(s)->reclen);
}

/* WFMOutpre?: the whole preamble, in the manual's order (BYT_Nr, BIT_Nr,
 * ENCdg, BN_Fmt, BYT_Or, WFId, NR_Pt, PT_Fmt, XUNit, XINcr, XZEro, PT_Off,
 * YUNit, YMUlt, YOFf, YZEro); with HEADer ON each field names itself. */
static int h_wfmo(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    bool h = st(s)->header, v = st(s)->verbose;
    char id[160];
    snprintf(id, sizeof id, "\"Ch%u, DC coupling, %.3g V/div, %.3g s/div, %zu points, Sample mode\"",
             st(s)->source, src_ch(s)->scale, st(s)->hscale, st(s)->reclen);
    const char *enc = st(s)->enc == ENC_ASCII ? (v ? "ASCII" : "ASC") : (v ? "BINARY" : "BIN");
    qaio__scpi_begin_unit(s);
#define F(lname, sname, ...)                                                                   \
    do {                                                                                       \
        if (h)                                                                                 \
            qaio__scpi_printf(s, "%s ", v ? lname : sname);                                    \
        qaio__scpi_printf(s, __VA_ARGS__);                                                     \
    } while (0)
    if (h)
        qaio__scpi_printf(s, ":%s", v ? "WFMOUTPRE:" : "WFMO:");
    F("BYT_NR", "BYT_N", "%d;", st(s)->width);
    F("BIT_NR", "BIT_N", "%d;", 8 * st(s)->width);
    F("ENCDG", "ENC", "%s;", enc);
    F("BN_FMT", "BN_F", "%s;", is_unsigned(s) ? "RP" : "RI");
    F("BYT_OR", "BYT_O", "%s;", lsb_first(s) ? "LSB" : "MSB");
    F("WFID", "WFI", "%s;", id);
    F("NR_PT", "NR_P", "%zu;", nr_pt(s));
    F("PT_FMT", "PT_F", "Y;");
    F("XUNIT", "XUN", "\"s\";");
    F("XINCR", "XIN", "%.6E;", xincr(s));
    F("XZERO", "XZE", "%.6E;", xzero(s));
    F("PT_OFF", "PT_O", "0;");
    F("YUNIT", "YUN", "\"V\";");
    F("YMULT", "YMU", "%.6E;", ymult(s));
    F("YOFF", "YOF", "%.6E;", yoff(s));
    F("YZERO", "YZE", "%.6E", src_ch(s)->offset);
#undef F
    return 0;
}

static const char *const enc_words[] = {"ASCIi", "RIBinary", "RPBinary", "SRIbinary",
                                        "SRPbinary", NULL};

static int h_data_enc(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, enc_words, st(s)->enc) : 0;
    int i = qaio__sim_choice(s, c, enc_words);
    if (i >= 0)
        st(s)->enc = i;
    return 0;
}

static const char *const wenc_words[] = {"ASCii", "BINary", NULL};

static int h_wfm_enc(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, wenc_words, st(s)->enc != ENC_ASCII)
                                        : 0;
    int i = qaio__sim_choice(s, c, wenc_words);
    if (i == 0)
        st(s)->enc = ENC_ASCII;
    else if (i == 1 && st(s)->enc == ENC_ASCII)
        st(s)->enc = ENC_RIB;
    return 0;
}

static const char *const bn_words[] = {"RI", "RP", NULL};

static int h_bnfmt(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, bn_words, is_unsigned(s)) : 0;
    int i = qaio__sim_choice(s, c, bn_words);
    if (i >= 0 && st(s)->enc != ENC_ASCII)
        st(s)->enc = lsb_first(s) ? (i ? ENC_SRP : ENC_SRI) : (i ? ENC_RPB : ENC_RIB);
    return 0;
}

static const char *const or_words[] = {"MSB", "LSB", NULL};

static int h_bytor(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, or_words, lsb_first(s)) : 0;
    int i = qaio__sim_choice(s, c, or_words);
    if (i >= 0 && st(s)->enc != ENC_ASCII)
        st(s)->enc = is_unsigned(s) ? (i ? ENC_SRP : ENC_RPB) : (i ? ENC_SRI : ENC_RIB);
    return 0;
}

static int h_bytnr(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%d", st(s)->width) : 0;
    double v;
    if (qaio__simf_number_arg(s, c, 0, 1, 2, &v))
        st(s)->width = (int)v;
    return 0;
}

static int h_data_source(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "CH%u", st(s)->source) : 0;
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    unsigned ch = ch_word(c->arg[0].text);
    if (!ch)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
    st(s)->source = ch;
    return 0;
}

static int data_index(session *s, cmd *c, size_t *v)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%zu", *v) : 0;
    double x;
    if (qaio__simf_number_arg(s, c, 0, 1, 1e9, &x))
        *v = (size_t)x;
    return 0;
}

static int h_data_start(session *s, cmd *c) { return data_index(s, c, &st(s)->start); }
static int h_data_stop(session *s, cmd *c) { return data_index(s, c, &st(s)->stop); }

/* --- horizontal ---------------------------------------------------------- */

static int h_hscale(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_number(s, c, st(s)->hscale) : 0;
    double v;
    if (qaio__simf_number_arg(s, c, 0, 1e-12, 1e4, &v)) {
        st(s)->hscale = nearest_scale(v);
        map_to_scope(s);
    }
    return 0;
}

static int h_reclen(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%zu", st(s)->reclen) : 0;
    double v;
    if (qaio__simf_number_arg(s, c, 0, 1, 1e9, &v)) {
        st(s)->reclen = nearest_length(v);
        map_to_scope(s);
    }
    return 0;
}

static int h_hpos(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_number(s, c, st(s)->hpos) : 0;
    double v;
    if (qaio__simf_number_arg(s, c, 0, 0, 100, &v))
        st(s)->hpos = v;
    return 0;
}

static int h_srate(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer_number(s, c, rate_of(st(s))) : 0;
}

static const char *const hmodes[] = {"AUTO", "CONStant", "MANual", NULL};

static int h_hmode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, hmodes, st(s)->hmode) : 0;
    int i = qaio__sim_choice(s, c, hmodes);
    if (i >= 0)
        st(s)->hmode = i; /* the record length and scale rule either way */
    return 0;
}

/* --- vertical ------------------------------------------------------------ */

static int ch_value(session *s, cmd *c, double *v, double min, double max)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_number(s, c, *v) : 0;
    double x;
    if (qaio__simf_number_arg(s, c, 0, min, max, &x))
        *v = x;
    return 0;
}

static int h_ch_scale(session *s, cmd *c)
{
    return ch_value(s, c, &st(s)->ch[node_ch(c) - 1].scale, 1e-3, 10);
}

static int h_ch_position(session *s, cmd *c)
{
    return ch_value(s, c, &st(s)->ch[node_ch(c) - 1].position, -5, 5);
}

static int h_ch_offset(session *s, cmd *c)
{
    return ch_value(s, c, &st(s)->ch[node_ch(c) - 1].offset, -100, 100);
}

static int h_select(session *s, cmd *c)
{
    tk_channel *ch = &st(s)->ch[node_ch(c) - 1];
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%d", ch->on) : 0;
    int b = bool_arg(s, c);
    if (b >= 0)
        ch->on = b;
    return 0;
}

/* --- acquisition ----------------------------------------------------------- */

static const char *const stopafter_words[] = {"RUNSTop", "SEQuence", NULL};

static int h_stopafter(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, stopafter_words, st(s)->sequence) : 0;
    int i = qaio__sim_choice(s, c, stopafter_words);
    if (i >= 0)
        st(s)->sequence = i == 1;
    return 0;
}

/* ACQuire:STATE ON|OFF|RUN|STOP|<NR1>. */
static int h_acq_state(session *s, cmd *c)
{
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        return answer(s, c, "%d", s->running || qaio__sim_status(s) == QAIO__SIM_WAITING);
    }
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    int on;
    if (qaio_scpi_word_match(c->arg[0].text, "RUN"))
        on = 1;
    else if (qaio_scpi_word_match(c->arg[0].text, "STOP"))
        on = 0;
    else if ((on = bool_arg(s, c)) < 0)
        return 0;
    if (!on) {
        qaio__sim_abort(s);
        s->running = false;
        return 0;
    }
    map_to_scope(s);
    st(s)->numacq++;
    if (!st(s)->sequence) {
        s->running = true;
        return 0;
    }
    return qaio__simf_single(s);
}

static const char *const acq_modes[] = {"SAMple", "PEAKdetect", "HIRes", "AVErage", "ENVelope",
                                        NULL};

static int h_acq_mode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, acq_modes, st(s)->acq_mode) : 0;
    int i = qaio__sim_choice(s, c, acq_modes);
    if (i >= 0) {
        st(s)->acq_mode = i;
        s->srv->average = i == 3;
    }
    return 0;
}

static int h_numavg(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%u", s->srv->count) : 0;
    double v;
    if (qaio__simf_number_arg(s, c, 0, 2, 512, &v))
        s->srv->count = (unsigned)v;
    return 0;
}

static int h_numacq(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%u", st(s)->numacq) : 0;
}

/* --- trigger ------------------------------------------------------------- */

static const char *const tmodes[] = {"AUTO", "NORMal", NULL};
static const char *const slopes[] = {"RISe", "FALL", "EITHer", NULL};

static int h_trig_mode(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    if (c->query)
        return qaio__sim_nargs(s, c, 0)
                   ? answer_word(s, c, tmodes, set.trigger == QAIO_TRIG_NORMAL)
                   : 0;
    int i = qaio__sim_choice(s, c, tmodes);
    if (i >= 0) {
        set.trigger = i ? QAIO_TRIG_NORMAL : QAIO_TRIG_AUTO;
        qaio__sim_apply(s, &set);
    }
    return 0;
}

static int h_trig_slope(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, slopes, (int)set.slope) : 0;
    int i = qaio__sim_choice(s, c, slopes);
    if (i >= 0) {
        set.slope = (qaio_trigger_slope)i;
        qaio__sim_apply(s, &set);
    }
    return 0;
}

static int h_trig_source(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "CH%u", set.trigger_source) : 0;
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    unsigned ch = ch_word(c->arg[0].text);
    if (!ch)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
    if (ch > 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "no input on this channel");
    set.trigger_source = ch;
    set.trigger_level = st(s)->level[ch - 1];
    qaio__sim_apply(s, &set);
    return 0;
}

/* TRIGger:A:LEVel:CH<n>: each channel keeps its own level. */
static int h_trig_level(session *s, cmd *c)
{
    unsigned ch = node_ch(c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_number(s, c, st(s)->level[ch - 1]) : 0;
    double v;
    if (!qaio__simf_number_arg(s, c, 0, -100, 100, &v))
        return 0;
    st(s)->level[ch - 1] = v;
    qaio_scope_settings set = qaio__sim_settings(s);
    if (set.trigger_source == ch) {
        set.trigger_level = v;
        qaio__sim_apply(s, &set);
    }
    return 0;
}

static const char *const ttypes[] = {"EDGe", NULL};

static int h_trig_type(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer_word(s, c, ttypes, 0) : 0;
    qaio__sim_choice(s, c, ttypes); /* the other types: not simulated */
    return 0;
}

/* TRIGger FORCe. */
static int h_trigger(session *s, cmd *c)
{
    static const char *const w[] = {"FORCe", NULL};
    if (qaio__sim_choice(s, c, w) == 0)
        qaio_scope_force(s->srv->scope);
    return 0;
}

static int h_trig_state(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    static const char *const states[] = {"SAVe", "READy", "AUTO", "TRIGger", NULL};
    qaio_scope_settings set = qaio__sim_settings(s);
    int i = qaio__sim_status(s) == QAIO__SIM_WAITING ? 1
            : s->running                            ? (set.trigger == QAIO_TRIG_AUTO ? 2 : 3)
                                                    : 0;
    return answer_word(s, c, states, i);
}

/* --- miscellaneous --------------------------------------------------------- */

static void defaults(qaio_scpi_server *srv)
{
    tk_server *t = srv->pstate;
    t->header = t->verbose = true;
    t->hscale = 100e-6; /* 10 periods of the default 10 kHz */
    t->hpos = 50;
    t->reclen = 10000;
    t->hmode = 0;
    for (int i = 0; i < TK_CHANNELS; i++) {
        /* 0.25 V/div: the default 1 V sine within +-4 of the 5 divisions */
        t->ch[i] = (tk_channel){.scale = 0.25, .position = 0, .offset = 0, .on = i == 0};
        t->level[i] = 0;
    }
    t->sequence = false;
    t->acq_mode = 0;
    t->source = 1;
    t->enc = ENC_RIB;
    t->width = 1;
    t->start = 1;
    t->stop = 10000;
}

static void server_reset(qaio_scpi_server *srv)
{
    defaults(srv);
    qaio_scope_settings set;
    qaio_scope_get_settings(srv->scope, &set);
    tk_server *t = srv->pstate;
    set.points = t->reclen;
    set.rate = rate_of(t);
    set.trigger = QAIO_TRIG_AUTO;
    set.trigger_source = 1;
    set.trigger_level = 0;
    qaio_scope_set_settings(srv->scope, &set);
}

static int h_autoset(session *s, cmd *c)
{
    static const char *const w[] = {"EXECute", "UNDO", NULL};
    if (qaio__sim_choice(s, c, w) != 0)
        return 0;
    /* What autoset makes of the default sine: a few periods, CH1 over most
     * of the screen, triggered at its mid level. */
    tk_server *t = st(s);
    t->hscale = 40e-6;
    t->ch[0].scale = 0.25;
    t->ch[0].position = t->ch[0].offset = 0;
    t->ch[0].on = true;
    t->level[0] = 0;
    qaio_scope_settings set = qaio__sim_settings(s);
    set.trigger = QAIO_TRIG_AUTO;
    set.trigger_source = 1;
    set.trigger_level = 0;
    qaio__sim_apply(s, &set);
    map_to_scope(s);
    s->running = true;
    return 0;
}

static int h_header(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%d", st(s)->header) : 0;
    int b = bool_arg(s, c);
    if (b >= 0)
        st(s)->header = b;
    return 0;
}

static int h_verbose(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%d", st(s)->verbose) : 0;
    int b = bool_arg(s, c);
    if (b >= 0)
        st(s)->verbose = b;
    return 0;
}

/* --- status and events ----------------------------------------------------- */

static tk_session *ev(session *s) { return s->pstate; }

static unsigned readable(session *s)
{
    return ev(s)->available < s->nerr ? ev(s)->available : s->nerr;
}

static void drop_events(session *s, unsigned n)
{
    memmove(&s->errq[0], &s->errq[n], (s->nerr - n) * sizeof s->errq[0]);
    s->nerr -= n;
}

/* *ESR?: the SESR, read and cleared; the events it summarises become
 * readable, those summarised before and not read are dropped. */
static int h_esr(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    drop_events(s, readable(s));
    ev(s)->available = s->nerr;
    unsigned v = s->esr;
    s->esr = 0;
    return qaio__sim_answer(s, "%u", v);
}

static int no_events(session *s, cmd *c, bool code_only)
{
    bool pending = s->nerr > 0;
    if (code_only)
        return answer(s, c, "%d", pending ? 1 : 0);
    return answer(s, c, pending ? "1,\"No events to report - new events pending *ESR?\""
                                : "0,\"No events to report - queue empty\"");
}

static int event_text(session *s, unsigned i, char *buf, size_t cap)
{
    int code = abs(s->errq[i].num);
    return snprintf(buf, cap, "%d,\"%s\"", code, s->errq[i].msg);
}

static int pop_event(session *s, cmd *c, bool code_only)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    if (!readable(s))
        return no_events(s, c, code_only);
    char buf[160];
    if (code_only)
        snprintf(buf, sizeof buf, "%d", abs(s->errq[0].num));
    else
        event_text(s, 0, buf, sizeof buf);
    drop_events(s, 1);
    ev(s)->available--;
    return answer(s, c, "%s", buf);
}

static int h_event(session *s, cmd *c) { return pop_event(s, c, true); }
static int h_evmsg(session *s, cmd *c) { return pop_event(s, c, false); }

static int h_evqty(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? answer(s, c, "%u", readable(s)) : 0;
}

static int h_allev(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    unsigned n = readable(s);
    if (!n)
        return no_events(s, c, false);
    char buf[QAIO_SCPI_ERROR_QUEUE * 130];
    size_t len = 0;
    for (unsigned i = 0; i < n && len < sizeof buf; i++) {
        if (i)
            buf[len++] = ',';
        len += (size_t)event_text(s, i, buf + len, sizeof buf - len);
    }
    drop_events(s, n);
    ev(s)->available = 0;
    return answer(s, c, "%s", buf);
}

static void session_reset(session *s)
{
    ev(s)->available = 0;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
#define CH_COMMANDS(n)                                                                         \
    {"CH" #n ":SCAle", h_ch_scale, Q | S}, {"CH" #n ":POSition", h_ch_position, Q | S},        \
        {"CH" #n ":OFFSet", h_ch_offset, Q | S}, {"SELect:CH" #n, h_select, Q | S},            \
        {"TRIGger:A:LEVel:CH" #n, h_trig_level, Q | S}

static const qaio__sim_command table[] = {
    {"HEADer", h_header, Q | S},
    {"VERBose", h_verbose, Q | S},
    {"*ESR", h_esr, Q},
    {"EVENT", h_event, Q},
    {"EVMsg", h_evmsg, Q},
    {"EVQty", h_evqty, Q},
    {"ALLEv", h_allev, Q},
    {"AUTOSet", h_autoset, S},
    {"DATa:SOUrce", h_data_source, Q | S},
    {"DATa:ENCdg", h_data_enc, Q | S},
    {"DATa:STARt", h_data_start, Q | S},
    {"DATa:STOP", h_data_stop, Q | S},
    {"DATa:WIDth", h_bytnr, Q | S},
    {"WFMOutpre:BYT_Nr", h_bytnr, Q | S},
    {"WFMOutpre:BIT_Nr", h_bitnr, Q},
    {"WFMOutpre:ENCdg", h_wfm_enc, Q | S},
    {"WFMOutpre:BN_Fmt", h_bnfmt, Q | S},
    {"WFMOutpre:BYT_Or", h_bytor, Q | S},
    {"WFMOutpre:YMUlt", h_ymult, Q},
    {"WFMOutpre:YOFf", h_yoff, Q},
    {"WFMOutpre:YZEro", h_yzero, Q},
    {"WFMOutpre:XINcr", h_xincr, Q},
    {"WFMOutpre:XZEro", h_xzero, Q},
    {"WFMOutpre:PT_Off", h_ptoff, Q},
    {"WFMOutpre:NR_Pt", h_nrpt, Q},
    {"WFMOutpre:PT_Fmt", h_ptfmt, Q},
    {"WFMOutpre:XUNit", h_xunit, Q},
    {"WFMOutpre:YUNit", h_yunit, Q},
    {"WFMOutpre:WFId", h_wfid, Q},
    {"WFMOutpre", h_wfmo, Q},
    {"CURVe", h_curve, Q},
    {"HORizontal[:MAIn]:SCAle", h_hscale, Q | S},
    {"HORizontal:RECOrdlength", h_reclen, Q | S},
    {"HORizontal:POSition", h_hpos, Q | S},
    {"HORizontal:SAMPLERate", h_srate, Q},
    {"HORizontal:MODe", h_hmode, Q | S},
    {"ACQuire:STOPAfter", h_stopafter, Q | S},
    {"ACQuire:STATE", h_acq_state, Q | S},
    {"ACQuire:MODe", h_acq_mode, Q | S},
    {"ACQuire:NUMAVg", h_numavg, Q | S},
    {"ACQuire:NUMACq", h_numacq, Q},
    CH_COMMANDS(1),
    CH_COMMANDS(2),
    CH_COMMANDS(3),
    CH_COMMANDS(4),
    {"TRIGger:A:MODe", h_trig_mode, Q | S},
    {"TRIGger:A:TYPe", h_trig_type, Q | S},
    {"TRIGger:A:EDGE:SOUrce", h_trig_source, Q | S},
    {"TRIGger:A:EDGE:SLOpe", h_trig_slope, Q | S},
    {"TRIGger:STATE", h_trig_state, Q},
    {"TRIGger", h_trigger, S},
};

static const char *pattern_of(const qaio_scpi_command *c)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (qaio_scpi_match(c, table[i].pattern))
            return table[i].pattern;
    return NULL;
}

const qaio__sim_personality qaio__sim_tektronix = {
    .name = "tektronix-mdo",
    .title = "Tektronix MDO3000 (MDO3024)",
    .idn = "TEKTRONIX,MDO3024,C000001,CF:91.1CT FV:v1.30",
    .port = 4000,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(tk_server),
    .session_state_size = sizeof(tk_session),
    .server_reset = server_reset,
    .session_reset = session_reset,
};
