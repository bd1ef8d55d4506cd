/* Fuzzes the SCPI client's record decoding (src/instr/scpi_decode.h): the
 * input is what follows ":WAV:DATA?" on the wire, "<preamble>;#<d><len>
 * <bytes>", taken apart in the order read_channel() in scope_qaio.c reads
 * it, with the record allocated as the driver allocates it (one float per
 * preamble point) before the samples are converted. scripts/fuzz runs it
 * with -malloc_limit_mb=64: no input this small may make it allocate more.
 *
 * Checks, beyond ASan/UBSan: a decoded REAL record with unit scaling is
 * the block's float32 values (NaN as NaN, -0 as 0); a decoded ASCii record holds, for
 * each comma-separated field, what strtod makes of the whole field. A
 * block shorter than its header says is zero-padded (the driver would
 * wait for the rest). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qaio/instr/scpi.h"
#include "scpi_decode.h"

#define CHECK(c) ((c) ? (void)0 : abort())
#define PREAMBLE_MAX 1024 /* as scope_qaio.c */

/* Equal, NaN as NaN. -0 and +0 count as equal: the scaling adds yorigin,
 * and -0 + 0 is +0. */
static bool same_float(float a, float b) { return (isnan(a) && isnan(b)) || a == b; }

static void check_real(const qaio__scpi_preamble *p, const unsigned char *b, const float *y)
{
    if (p->yinc != 1 || p->yorg != 0 || p->yref != 0)
        return;
    for (size_t i = 0; i < p->points; i++) {
        unsigned char le[4] = {b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]};
        uint32_t u = (uint32_t)le[0] | (uint32_t)le[1] << 8 | (uint32_t)le[2] << 16 |
                     (uint32_t)le[3] << 24;
        float f;
        memcpy(&f, &u, sizeof f);
        CHECK(same_float(y[i], f));
    }
}

static void check_ascii(const qaio__scpi_preamble *p, const unsigned char *b, size_t len,
                        const float *y)
{
    char *text = malloc(len + 1);
    memcpy(text, b, len);
    text[len] = 0; /* a NUL inside a field ends it for strtod, as in the decoder */
    size_t pos = 0;
    for (size_t i = 0; i < p->points; i++) {
        size_t e = pos;
        while (e < len && b[e] != ',')
            e++;
        text[e] = 0;
        double v = strtod(text + pos, NULL);
        CHECK(same_float(y[i], (float)((v - p->yref) * p->yinc + p->yorg)));
        pos = e + 1;
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *semi = memchr(data, ';', size < PREAMBLE_MAX ? size : PREAMBLE_MAX);
    if (!semi)
        return 0; /* the driver: QAIO_EMSGSIZE or waiting */
    char pre[PREAMBLE_MAX + 1];
    size_t n = (size_t)(semi - data);
    memcpy(pre, data, n);
    pre[n] = 0;
    qaio__scpi_preamble p;
    if (qaio__scpi_parse_preamble(pre, &p) != 0)
        return 0;
    CHECK(p.points >= 1 && p.points <= QAIO_SCPI_MAX_BLOCK && p.xinc > 0);
    const uint8_t *q = semi + 1, *end = data + size;
    if (end - q < 2)
        return 0;
    int d = qaio__scpi_block_digits((const char *)q);
    if (d < 0)
        return 0;
    CHECK(d >= 1 && d <= 9);
    q += 2;
    if (end - q < d)
        return 0;
    size_t len;
    int err = qaio__scpi_block_length((const char *)q, d, &len);
    if (err)
        return 0;
    CHECK(len <= QAIO_SCPI_MAX_BLOCK);
    q += d;
    size_t have = (size_t)(end - q);
    if (len > have + 4096)
        return 0; /* keep each run small: padding is all that would differ */
    if (qaio__scpi_check_block(&p, len) != 0)
        return 0; /* the driver: QAIO_EPROTO before it sizes the record */
    unsigned char *blk = calloc(len ? len : 1, 1);
    memcpy(blk, q, have < len ? have : len);
    float *y = malloc(p.points * sizeof *y);
    CHECK(y != NULL);
    if (qaio__scpi_convert(&p, blk, len, y) == 0) {
        if (p.format == 8)
            check_real(&p, blk, y);
        else if (p.format == 4)
            check_ascii(&p, blk, len, y);
    }
    free(y);
    free(blk);
    return 0;
}
