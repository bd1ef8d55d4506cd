/* Decoding the SCPI instrument's answers (scpi_decode.h): moved out of
 * scpi_scope.c unchanged in behaviour, so the fuzzers reach it. */
#include "scpi_decode.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qaio/instr/scpi.h"

const char *const qaio__scpi_sweep_words[4] = {"AUTO", "NORM", "SING", "FORC"};
const char *const qaio__scpi_slope_words[3] = {"POS", "NEG", "EITH"};

int qaio__scpi_parse_settings(char *text, qaio_scope_settings *out)
{
    char *f[6], *save = NULL;
    int k = 0;
    for (char *t = strtok_r(text, ";", &save); t && k < 6; t = strtok_r(NULL, ";", &save))
        f[k++] = t;
    if (k != 6)
        return QAIO_EPROTO;
    qaio_scope_settings s = *out;
    char *end;
    double pts = strtod(f[0], &end);
    s.rate = strtod(f[1], NULL);
    s.trigger_level = strtod(f[5], NULL);
    /* Range-checked before the conversion to size_t, which is undefined
     * for a value out of range ("1e300") or NaN. No tighter bound: a deep-
     * memory scope may report more points than a record of ours holds. */
    if (!(pts >= 2 && pts <= (double)(SIZE_MAX / 2)) || !(s.rate > 0) || !isfinite(s.rate) ||
        !isfinite(s.trigger_level))
        return QAIO_EPROTO;
    s.points = (size_t)pts;
    for (int i = 0; i < 4; i++)
        if (strncmp(f[2], qaio__scpi_sweep_words[i], 4) == 0)
            s.trigger = (qaio_trigger_mode)i;
    for (int i = 0; i < 3; i++)
        if (strncmp(f[3], qaio__scpi_slope_words[i], 3) == 0)
            s.slope = (qaio_trigger_slope)i;
    s.trigger_source = strstr(f[4], "2") ? 2 : 1;
    *out = s;
    return 0;
}

int qaio__scpi_parse_preamble(const char *text, qaio__scpi_preamble *p)
{
    double v[10];
    const char *s = text;
    for (int i = 0; i < 10; i++) {
        char *end;
        v[i] = strtod(s, &end);
        if (end == s || !isfinite(v[i]) || (i < 9 && *end != ','))
            return QAIO_EPROTO;
        s = end + 1;
    }
    /* Every field converted to an integer is range-checked first: the
     * conversion of an out-of-range double is undefined. */
    if ((v[0] != 0 && v[0] != 1 && v[0] != 4 && v[0] != 8) || v[2] < 1 ||
        v[2] > (double)QAIO_SCPI_MAX_BLOCK || !(v[4] > 0))
        return QAIO_EPROTO;
    *p = (qaio__scpi_preamble){(int)v[0], (size_t)v[2], v[4], v[5], v[6], v[7], v[8], v[9]};
    return 0;
}

int qaio__scpi_block_digits(const char head[2])
{
    if (head[0] != '#' || head[1] < '1' || head[1] > '9')
        return QAIO_EPROTO; /* "#0" (indefinite length) is not accepted */
    return head[1] - '0';
}

int qaio__scpi_block_length(const char *digits, int d, size_t *out)
{
    size_t len = 0;
    for (int i = 0; i < d; i++) {
        if (!isdigit((unsigned char)digits[i]))
            return QAIO_EPROTO;
        len = len * 10 + (size_t)(digits[i] - '0');
    }
    if (len > QAIO_SCPI_MAX_BLOCK)
        return QAIO_EMSGSIZE;
    *out = len;
    return 0;
}

/* Bytes per value of a binary format; 0 for ASCii or an unknown one. */
static int width_of(int format) { return format == 0 ? 1 : format == 1 ? 2 : format == 8 ? 4 : 0; }

int qaio__scpi_check_block(const qaio__scpi_preamble *p, size_t len)
{
    if (p->format == 4) /* "v,v,...,v": two bytes a value but the last */
        return p->points <= len / 2 + 1 ? 0 : QAIO_EPROTO;
    int width = width_of(p->format);
    return width && len / (size_t)width == p->points && len % (size_t)width == 0 ? 0
                                                                              : QAIO_EPROTO;
}

static uint32_t get_le(const unsigned char *b, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

int qaio__scpi_convert(const qaio__scpi_preamble *p, const unsigned char *b, size_t len, float *y)
{
    if (qaio__scpi_check_block(p, len) != 0)
        return QAIO_EPROTO;
    int width = width_of(p->format);
    if (p->format == 4) {
        /* ASCii: comma-separated volts. */
        size_t i = 0, pos = 0;
        while (pos < len && i < p->points) {
            char num[64];
            size_t k = 0;
            while (pos < len && b[pos] != ',') {
                /* No number is this long: refuse the field rather than
                 * read it as two (the rest would become the next value). */
                if (k == sizeof num - 1)
                    return QAIO_EPROTO;
                num[k++] = (char)b[pos++];
            }
            num[k] = 0;
            pos++;
            char *end;
            y[i++] = (float)((strtod(num, &end) - p->yref) * p->yinc + p->yorg);
            if (end == num)
                return QAIO_EPROTO;
        }
        return i == p->points ? 0 : QAIO_EPROTO;
    }
    for (size_t i = 0; i < p->points; i++) {
        uint32_t u = get_le(b + i * (size_t)width, width);
        double code;
        if (width == 4) {
            float f;
            memcpy(&f, &u, 4);
            code = f;
        } else {
            code = width == 2 ? (double)(int16_t)u : (double)(int8_t)u;
        }
        y[i] = (float)((code - p->yref) * p->yinc + p->yorg);
    }
    return 0;
}
