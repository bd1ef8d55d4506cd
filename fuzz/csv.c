/* Fuzzes libqaio-instr's CSV reader (csv.h, qaio_csv_parse) and its round
 * trip with qaio_csv_write.
 *
 * Input: a mode byte. Even: the rest is a file for qaio_csv_parse, which
 * must either refuse it with a named error (a message, a line within the
 * file) or return a trace of 1..4 channels and 1..QAIO_CSV_MAX_POINTS
 * points. Odd: the rest makes a trace (channels, units and domain from its
 * first byte, then float32 values), written with qaio_csv_write and parsed
 * back: same shape, domain and unit, every value the same float (NaN as
 * NaN), the averages line kept. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qaio/instr.h>

#define CHECK(c) ((c) ? (void)0 : abort())

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

static void parse_file(const uint8_t *data, size_t size)
{
    qaio_trace *t = qaio_trace_new(0, 0);
    CHECK(t);
    qaio_csv_error err;
    int rc = qaio_csv_parse((const char *)data, size, t, NULL, &err);
    if (rc) {
        CHECK(rc < 0 && err.message[0] && err.line <= count_lines(data, size));
    } else {
        CHECK(t->nch >= 1 && t->nch <= QAIO_TRACE_MAX_CHANNELS);
        CHECK(t->n >= 1 && t->n <= QAIO_CSV_MAX_POINTS);
    }
    qaio_trace_free(t);
}

static int same_float(float a, float b) { return (isnan(a) && isnan(b)) || a == b; }

static void round_trip(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    size_t nch = data[0] % QAIO_TRACE_MAX_CHANNELS + 1;
    size_t n = (size - 1) / (4 * nch);
    if (n == 0)
        return;
    qaio_trace *t = qaio_trace_new(n, nch);
    CHECK(t);
    static const char *const units[] = {"V", "dBm/Hz", "V/sqrt(Hz)", "V^2/Hz"};
    strcpy(t->y_unit, units[data[0] >> 4 & 3]);
    t->domain = data[0] & 0x40 ? QAIO_DOMAIN_FREQUENCY : QAIO_DOMAIN_TIME;
    strcpy(t->x_unit, t->domain == QAIO_DOMAIN_FREQUENCY ? "Hz" : "s");
    t->averages = data[0];
    t->dx = 1e-6;
    for (size_t c = 0; c < nch; c++)
        for (size_t i = 0; i < n; i++)
            memcpy(&t->y[c][i], data + 1 + 4 * (c * n + i), 4);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f);
    qaio_csv_meta m;
    qaio_csv_meta_init(&m, "fuzz");
    CHECK(qaio_csv_write(f, t, &m) == 0);
    CHECK(fclose(f) == 0);
    qaio_trace *back = qaio_trace_new(0, 0);
    CHECK(back);
    qaio_csv_error err;
    CHECK(qaio_csv_parse(buf, len, back, NULL, &err) == 0);
    CHECK(back->n == n && back->nch == nch && back->domain == t->domain);
    CHECK(strcmp(back->y_unit, t->y_unit) == 0 && back->averages == t->averages);
    for (size_t c = 0; c < nch; c++)
        for (size_t i = 0; i < n; i++)
            CHECK(same_float(t->y[c][i], back->y[c][i]));
    free(buf);
    qaio_trace_free(back);
    qaio_trace_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        round_trip(data + 1, size - 1);
    else
        parse_file(data + 1, size - 1);
    return 0;
}
