/* The sample decoders every family's data format reduces to
 * (scope_driver.h): integer and float codes of any width and byte order,
 * scaled linearly to volts, and comma-separated text. Pure functions over
 * memory, apart from the stream code so fuzz/ can drive them. */
#include "scope_driver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t qaio__sample_width(qaio__sample_kind k)
{
    static const unsigned char w[] = {1, 1, 2, 2, 4, 4, 4, 8};
    return (unsigned)k < sizeof w ? w[k] : 0;
}

void qaio__decode_samples(const unsigned char *b, size_t n, qaio__sample_kind k, bool msb_first,
                          double scale, double offset, float *y)
{
    size_t w = qaio__sample_width(k);
    for (size_t i = 0; i < n; i++, b += w) {
        uint64_t u = 0;
        for (size_t j = 0; j < w; j++)
            u |= (uint64_t)b[msb_first ? w - 1 - j : j] << (8 * j);
        double code;
        switch (k) {
        case QAIO__S8: code = (int8_t)u; break;
        case QAIO__U8: code = (uint8_t)u; break;
        case QAIO__S16: code = (int16_t)u; break;
        case QAIO__U16: code = (uint16_t)u; break;
        case QAIO__S32: code = (int32_t)u; break;
        case QAIO__U32: code = (uint32_t)u; break;
        case QAIO__F32: {
            uint32_t v = (uint32_t)u;
            float f;
            memcpy(&f, &v, 4);
            code = f;
            break;
        }
        default: {
            double f;
            memcpy(&f, &u, 8);
            code = f;
            break;
        }
        }
        y[i] = (float)(code * scale + offset);
    }
}

long qaio__decode_ascii(const char *text, size_t len, float *y, size_t n, double scale,
                        double offset)
{
    size_t i = 0, pos = 0;
    while (pos < len && i < n) {
        while (pos < len && (text[pos] == ' ' || text[pos] == '{' || text[pos] == '\t'))
            pos++;
        char num[64];
        size_t k = 0;
        while (pos < len && text[pos] != ',' && text[pos] != '}' && text[pos] != '\n' &&
               text[pos] != '\r') {
            if (k == sizeof num - 1)
                return QAIO_EPROTO; /* no number is this long */
            num[k++] = text[pos++];
        }
        while (k > 0 && num[k - 1] == ' ')
            k--;
        num[k] = 0;
        if (k == 0)
            break;
        char *end;
        double v = strtod(num, &end);
        if (end == num || *end || !isfinite(v))
            return QAIO_EPROTO;
        y[i++] = (float)(v * scale + offset);
        while (pos < len && (text[pos] == ',' || text[pos] == ' '))
            pos++;
        if (pos < len && (text[pos] == '}' || text[pos] == '\n' || text[pos] == '\r'))
            break;
    }
    return (long)i;
}
