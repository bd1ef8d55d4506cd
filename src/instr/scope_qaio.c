/* The "qaio" family: qaio-instrument-sim's own dialect (scpi_server.h),
 * the Keysight-style SCPI-99 subset, also used for an instrument no other
 * family claims. It selects :WAVeform:FORMat REAL, LSBFirst (float32
 * volts: lossless, no conversion on x86) and reads each record in one
 * round trip:
 *     ":DIGitize;:WAV:SOUR CHAN1;:WAV:PRE?;:WAV:DATA?[;:WAV:SOUR CHAN2;...]"
 * The answer "<preamble>;#<d><len><bytes>[;...]\n" is converted per the
 * preamble (BYTE, WORD, ASCii and REAL are all understood, so a server
 * that ignores the format request still works). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"
#include "scpi_decode.h"

#define PREAMBLE_MAX 1024

static bool qaio_matches(const char *maker, const char *model)
{
    (void)model;
    return strcasecmp(maker, "qaio") == 0;
}

static int qaio_setup(qaio__scope_drv *d)
{
    return qaio__drv_write(d, ":WAV:FORM REAL;:WAV:BYT LSBF");
}

static int qaio_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    char a[512];
    int n = qaio__drv_query(d, a, sizeof a, qaio__drv_deadline(d, d->timeout),
                            ":ACQ:POIN?;:ACQ:SRAT?;:TRIG:SWE?;:TRIG:EDGE:SLOP?;"
                            ":TRIG:EDGE:SOUR?;:TRIG:EDGE:LEV?");
    if (n < 0)
        return n;
    int err = qaio__scpi_parse_settings(a, out);
    return err ? qaio__drv_fail(d, err, "settings answer '%.80s' is malformed", a) : 0;
}

/* Sends only the settings that differ from the instrument's as last read:
 * a real scope may refuse a command it treats as read-only (many take no
 * :ACQuire:SRATe, a qaio extension), and a caller changing the points
 * should not fail on the rate it left alone. Then reads the error queue. */
static int qaio_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                               const qaio_scope_settings *cur)
{
    qaio__drv_program p = {.len = 0};
    if (s->points != cur->points)
        qaio__drv_add(&p, ":ACQ:POIN %zu", s->points);
    if (s->rate != cur->rate)
        qaio__drv_add(&p, ":ACQ:SRAT %.17g", s->rate);
    if (s->trigger != cur->trigger)
        qaio__drv_add(&p, ":TRIG:SWE %s", qaio__scpi_sweep_words[s->trigger]);
    if (s->slope != cur->slope)
        qaio__drv_add(&p, ":TRIG:EDGE:SLOP %s", qaio__scpi_slope_words[s->slope]);
    if (s->trigger_source != cur->trigger_source)
        qaio__drv_add(&p, ":TRIG:EDGE:SOUR CHAN%u", s->trigger_source);
    if (s->trigger_level != cur->trigger_level)
        qaio__drv_add(&p, ":TRIG:EDGE:LEV %.9g", s->trigger_level);
    if (p.len == 0)
        return 0;
    /* The error queue in the same round trip. */
    char a[200];
    int n = qaio__drv_query(d, a, sizeof a, qaio__drv_deadline(d, d->timeout), "%s:SYST:ERR?",
                            p.text);
    if (n < 0)
        return n;
    return atoi(a) != 0 ? qaio__drv_fail(d, QAIO_EIO, "%s", a) : 0;
}

/* Reads "<preamble>;#<d><len><bytes>" of one channel into rec->y[c]. */
static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned mask,
                        double deadline)
{
    char pre[PREAMBLE_MAX + 1];
    int n = qaio__drv_read_until(d, ';', pre, sizeof pre, deadline);
    if (n < 0)
        return n == QAIO_EMSGSIZE ? qaio__drv_fail(d, n, "preamble over %d bytes", PREAMBLE_MAX)
                                  : n;
    qaio__scpi_preamble p;
    if (qaio__scpi_parse_preamble(pre, &p))
        return qaio__drv_fail(d, QAIO_EPROTO, "preamble '%.80s' is malformed", pre);
    size_t len;
    int err = qaio__drv_read_block(d, 0, &len, deadline);
    if (err)
        return err;
    if (qaio__scpi_check_block(&p, len))
        return qaio__drv_fail(d, QAIO_EPROTO, "a block of %zu bytes for %zu points of format %d",
                              len, p.points, p.format);
    err = qaio__drv_shape_channel(d, rec, c, p.points, mask, p.xorg - p.xref * p.xinc, p.xinc);
    if (err)
        return err;
    err = qaio__scpi_convert(&p, d->blk, len, rec->y[c]);
    return err ? qaio__drv_fail(d, err, "data do not match the preamble") : 0;
}

static int qaio_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    char cmd[200] = ":DIG";
    for (unsigned ch = 1; ch <= 2; ch++)
        if (mask & ch)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd),
                     ";:WAV:SOUR CHAN%u;:WAV:PRE?;:WAV:DATA?", ch);
    int err = qaio__drv_write(d, "%s", cmd);
    return err ? err : qaio__drv_read_parts(d, rec, mask, read_channel, deadline);
}

const qaio__scope_family qaio__family_qaio = {
    .name = "qaio",
    .title = "qaio-instrument-sim (and SCPI-99 scopes no other driver claims)",
    .port = QAIO_SCPI_PORT,
    .matches = qaio_matches,
    .setup = qaio_setup,
    .read_settings = qaio_read_settings,
    .apply_settings = qaio_apply_settings,
    .acquire = qaio_acquire,
};
