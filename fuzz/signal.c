/* Fuzzes the signal description parser (signal.h): qaio_signal_parse, then
 * the canonical form and the samples.
 *
 * Input: 12 bytes of sampling parameters (see params), then the
 * description (a NUL ends it early, as it would a C string).
 *
 * Checks, beyond ASan/UBSan: a refused description gives QAIO_EINVAL with a
 * reason and no signal; an accepted one formats to a string whose length
 * format reports, whose truncations are NUL-terminated prefixes, and which
 * parses again to the same canonical form and to the same samples, bit for
 * bit; a copy samples the same; and a range sampled in two calls equals
 * the range sampled in one (signal.h: a sample depends only on its index). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qaio/instr/signal.h"

#define CHECK(c) ((c) ? (void)0 : abort())
#define NMAX 600

static const double rates[8] = {1e6, 1, 48000, 1e-3, 2.5e9, 3, 1e300, 5e-324};

typedef struct params {
    uint64_t first;
    double fs;
    size_t n, split;
    uint64_t stream;
} params;

/* Sample ranges near 0 and near 2^64 (signal.h allows first + n up to
 * 2^64) are both reachable. */
static params read_params(const uint8_t *d)
{
    params p;
    uint64_t off = 0;
    for (int i = 0; i < 6; i++)
        off = off << 8 | d[2 + i];
    p.first = d[0] & 0x80 ? UINT64_MAX - off : off;
    p.fs = rates[d[0] & 7];
    p.stream = d[1];
    p.n = (size_t)(d[8] | d[9] << 8) % (NMAX + 1);
    p.split = p.n ? (size_t)(d[10] | d[11] << 8) % (p.n + 1) : 0;
    return p;
}

static int sample(const qaio_signal *sig, const params *p, float *out)
{
    return qaio_signal_generate(sig, p->stream, p->first, p->fs, out, p->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static float y1[NMAX], y2[NMAX];
    if (size < 12)
        return 0;
    params p = read_params(data);
    char *text = malloc(size - 12 + 1);
    memcpy(text, data + 12, size - 12);
    text[size - 12] = 0;
    static char not_null;
    qaio_signal *sig = (qaio_signal *)&not_null; /* parse must clear it */
    char msg[128];
    int err = qaio_signal_parse(text, &sig, msg, sizeof msg);
    free(text);
    if (err) {
        CHECK(err == QAIO_EINVAL && !sig && msg[0] && memchr(msg, 0, sizeof msg));
        return 0;
    }
    int len = qaio_signal_format(sig, NULL, 0);
    CHECK(len > 0);
    char *canon = malloc((size_t)len + 1);
    CHECK(qaio_signal_format(sig, canon, (size_t)len + 1) == len);
    CHECK(strlen(canon) == (size_t)len);
    char small[16];
    size_t cap = (size_t)data[1] % sizeof small + 1;
    CHECK(qaio_signal_format(sig, small, cap) == len);
    CHECK(strlen(small) == ((size_t)len < cap ? (size_t)len : cap - 1));
    CHECK(strncmp(small, canon, strlen(small)) == 0);

    qaio_signal *again = NULL;
    CHECK(qaio_signal_parse(canon, &again, msg, sizeof msg) == 0);
    char *canon2 = malloc((size_t)len + 1);
    CHECK(qaio_signal_format(again, canon2, (size_t)len + 1) == len);
    CHECK(strcmp(canon, canon2) == 0);
    CHECK(qaio_signal_seed(again) == qaio_signal_seed(sig));

    int r1 = sample(sig, &p, y1);
    CHECK(sample(again, &p, y2) == r1);
    if (r1 == 0) {
        CHECK(memcmp(y1, y2, p.n * sizeof *y1) == 0);
        qaio_signal *copy = qaio_signal_copy(sig);
        CHECK(copy && sample(copy, &p, y2) == 0);
        CHECK(memcmp(y1, y2, p.n * sizeof *y1) == 0);
        qaio_signal_free(copy);
        /* The same range in two calls. */
        CHECK(qaio_signal_generate(sig, p.stream, p.first, p.fs, y2, p.split) == 0);
        CHECK(qaio_signal_generate(sig, p.stream, p.first + p.split, p.fs, y2 + p.split,
                                   p.n - p.split) == 0);
        CHECK(memcmp(y1, y2, p.n * sizeof *y1) == 0);
    } else {
        CHECK(r1 == QAIO_EINVAL && p.n > UINT64_MAX - p.first);
    }
    CHECK(qaio_signal_noise_rms(sig) >= 0);
    free(canon);
    free(canon2);
    qaio_signal_free(again);
    qaio_signal_free(sig);
    return 0;
}
