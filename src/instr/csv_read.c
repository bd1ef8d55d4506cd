/* The CSV reader (format in csv.h). Two passes over the text: the first
 * reads the header lines and the column row and counts the data rows, so
 * the trace is shaped once; the second parses the numbers. Every line is
 * copied into a bounded buffer before it is looked at, and every refusal
 * names its line. */
#include "qaio/instr/csv.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv_internal.h"

typedef struct reader {
    const char *p, *end;
    size_t line;
    char buf[QAIO_CSV_MAX_LINE + 1];
    qaio_csv_error *err;
    locale_t c_locale;
    qaio_trace *out;
    qaio_csv_meta *meta;
    double x_start, x_step;
    bool have_start, have_step;
    size_t ncol;
} reader;

static int fail(reader *r, int code, size_t line, const char *fmt, ...)
{
    if (r->err) {
        r->err->line = line;
        int n = line ? snprintf(r->err->message, sizeof r->err->message, "line %zu: ", line) : 0;
        if (n < 0)
            n = 0;
        if ((size_t)n < sizeof r->err->message) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->err->message + n, sizeof r->err->message - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

/* The next line into r->buf, without its "\n" or "\r\n". 1 for a line, 0
 * at the end, or an error. */
static int next_line(reader *r)
{
    if (r->p >= r->end)
        return 0;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *stop = nl ? nl : r->end;
    size_t len = (size_t)(stop - r->p);
    r->line++;
    if (len && r->p[len - 1] == '\r')
        len--;
    if (len > QAIO_CSV_MAX_LINE)
        return fail(r, QAIO_EMSGSIZE, r->line, "longer than %d characters", QAIO_CSV_MAX_LINE);
    if (memchr(r->p, 0, len))
        return fail(r, QAIO_EPROTO, r->line, "a NUL byte in the line (not a text file)");
    memcpy(r->buf, r->p, len);
    r->buf[len] = 0;
    r->p = nl ? nl + 1 : r->end;
    return 1;
}

/* A whole cell as a number ("nan" and "inf" included); spaces around it
 * are allowed, nothing else. */
static bool parse_number(const reader *r, const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod_l(s, &end, r->c_locale);
    if (end == s)
        return false;
    while (*end == ' ' || *end == '\t')
        end++;
    return *end == 0;
}

/* --- header lines ------------------------------------------------------------ */

static int header_number(reader *r, const char *key, const char *value, double *out)
{
    if (!parse_number(r, value, out) || !isfinite(*out))
        return fail(r, QAIO_EPROTO, r->line, "%s: '%.40s' is not a finite number", key, value);
    return 0;
}

static int header_line(reader *r, char *text)
{
    char *colon = strstr(text, ": ");
    if (!colon)
        return 0; /* a comment, not a setting */
    *colon = 0;
    const char *key = text, *value = colon + 2;
    qaio_csv_meta *m = r->meta;
    qaio_trace *t = r->out;
    if (!strcmp(key, "averages") || !strcmp(key, "averages_done")) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(value, &end, 10);
        if (end == value || *end || errno || v > UINT_MAX || value[0] == '-')
            return fail(r, QAIO_EPROTO, r->line, "averages: '%.40s' is not a count", value);
        t->averages = (unsigned)v;
    } else if (!strcmp(key, "enbw_hz")) {
        return header_number(r, key, value, &t->enbw_hz);
    } else if (!strcmp(key, "x_start")) {
        r->have_start = true;
        return header_number(r, key, value, &r->x_start);
    } else if (!strcmp(key, "x_step")) {
        r->have_step = true;
        return header_number(r, key, value, &r->x_step);
    } else if (!strcmp(key, "format") || !strcmp(key, "domain")) {
        /* The format has one version; the domain is the x column's. */
    } else if (m && !strcmp(key, "program")) {
        snprintf(m->program, sizeof m->program, "%s", value);
    } else if (m && !strcmp(key, "instrument")) {
        snprintf(m->instrument, sizeof m->instrument, "%s", value);
    } else if (m && !strcmp(key, "source")) {
        snprintf(m->source, sizeof m->source, "%s", value);
    } else if (m && !strcmp(key, "time")) {
        snprintf(m->time, sizeof m->time, "%s", value);
    } else if (m && (!strncmp(key, "asked.", 6) || !strncmp(key, "used.", 5))) {
        qaio_csv_group g = key[0] == 'a' ? QAIO_CSV_ASKED : QAIO_CSV_USED;
        int err = qaio_csv_meta_set(m, g, strchr(key, '.') + 1, value);
        if (err)
            return fail(r, err == QAIO_EINVAL ? QAIO_EPROTO : err, r->line, "setting '%.40s': %s", key,
                        qaio_strerror(err));
    } else if (m) {
        /* Older files: their settings lines were the settings used. */
        qaio_csv_meta_set(m, QAIO_CSV_USED, key, value);
    }
    return 0;
}

/* --- the column row ------------------------------------------------------------ */

static void set_x_domain(qaio_trace *t, const char *name, const char *unit)
{
    if (!strcmp(name, "time")) {
        t->domain = QAIO_DOMAIN_TIME;
        unit = "s";
    } else if (!strcmp(name, "frequency")) {
        t->domain = QAIO_DOMAIN_FREQUENCY;
        unit = "Hz";
    } else {
        t->domain = QAIO_DOMAIN_UNKNOWN;
    }
    size_t len = strnlen(unit, sizeof t->x_unit - 1);
    memcpy(t->x_unit, unit, len);
    t->x_unit[len] = 0;
}

static int column_row(reader *r, char *text)
{
    char *cols[QAIO_TRACE_MAX_CHANNELS + 1];
    size_t n = 0;
    for (char *c = text;; c++) {
        if (n == QAIO_TRACE_MAX_CHANNELS + 1)
            return fail(r, QAIO_ERANGE, r->line, "more than %d channel columns", QAIO_TRACE_MAX_CHANNELS);
        cols[n++] = c;
        c = strchr(c, ',');
        if (!c)
            break;
        *c = 0;
    }
    if (n < 2)
        return fail(r, QAIO_EPROTO, r->line, "a column row needs x and one channel at least");
    r->ncol = n;
    qaio_trace *t = r->out;
    char units[QAIO_TRACE_MAX_CHANNELS][16];
    bool same = true;
    for (size_t i = 0; i < n; i++) {
        char *us = strchr(cols[i], '_');
        const char *unit_col = us ? us + 1 : "";
        if (us)
            *us = 0;
        char unit[16];
        qaio__csv_column_to_unit(unit_col, unit, sizeof unit);
        if (i == 0) {
            set_x_domain(t, cols[0], unit);
            continue;
        }
        size_t c = i - 1;
        char *end = cols[i];
        long ch = !strncmp(cols[i], "ch", 2) ? strtol(cols[i] + 2, &end, 10) : 0;
        t->channel[c] = ch > 0 && ch <= 64 && !*end ? (int)ch : (int)i;
        memcpy(units[c], unit, sizeof unit);
        same = same && !strcmp(units[c], units[0]);
    }
    /* One unit for all, or each channel's in order ("dB,deg"). */
    size_t o = 0;
    t->y_unit[0] = 0;
    for (size_t c = 0; c < (same ? 1 : n - 1); c++) {
        int w = snprintf(t->y_unit + o, sizeof t->y_unit - o, "%s%s", c ? "," : "", units[c]);
        if (w < 0 || (size_t)w >= sizeof t->y_unit - o)
            break;
        o += (size_t)w;
    }
    return 0;
}

/* --- the numbers ------------------------------------------------------------------ */

static int data_row(reader *r, size_t i, double *x)
{
    char *cell = r->buf;
    size_t ncell = 0;
    for (;;) {
        char *comma = strchr(cell, ',');
        if (comma)
            *comma = 0;
        if (ncell == r->ncol)
            return fail(r, QAIO_EPROTO, r->line, "more than the %zu cells of the column row", r->ncol);
        double v;
        if (!parse_number(r, cell, &v))
            return fail(r, QAIO_EPROTO, r->line, "'%.40s' is not a number", cell);
        if (ncell == 0)
            x[i] = v;
        else
            r->out->y[ncell - 1][i] = (float)v;
        ncell++;
        if (!comma)
            break;
        cell = comma + 1;
    }
    if (ncell != r->ncol)
        return fail(r, QAIO_EPROTO, r->line, "%zu cells, the column row has %zu", ncell, r->ncol);
    return 0;
}

/* Uniform (x0 + i dx, from the header when it says so) when every x is
 * within rounding of it; else the values themselves. */
static int set_axis(reader *r, const double *x, size_t n)
{
    qaio_trace *t = r->out;
    double x0 = r->have_start ? r->x_start : x[0];
    double dx = r->have_step ? r->x_step : n > 1 ? (x[n - 1] - x[0]) / (double)(n - 1) : 1;
    bool uniform = isfinite(x0) && isfinite(dx);
    for (size_t i = 0; uniform && i < n; i++) {
        double want = x0 + (double)i * dx;
        uniform = fabs(x[i] - want) <= 1e-9 * (fabs(want) + fabs(dx));
    }
    t->x0 = uniform ? x0 : 0;
    t->dx = uniform ? dx : 1;
    return qaio_trace_set_x(t, uniform ? NULL : x);
}

static int parse(reader *r)
{
    const char *data = NULL;
    size_t rows = 0, data_line = 0;
    int got;
    while ((got = next_line(r)) == 1) {
        if (r->buf[0] == '#') {
            int err = header_line(r, r->buf[1] == ' ' ? r->buf + 2 : r->buf + 1);
            if (err)
                return err;
        } else if (r->buf[0] == 0) {
            continue;
        } else if (!r->ncol) {
            int err = column_row(r, r->buf);
            if (err)
                return err;
            data = r->p;
            data_line = r->line;
        } else if (++rows > QAIO_CSV_MAX_POINTS) {
            return fail(r, QAIO_ERANGE, r->line, "more than %u data rows", QAIO_CSV_MAX_POINTS);
        }
    }
    if (got < 0)
        return got;
    if (!r->ncol)
        return fail(r, QAIO_EPROTO, 0, "no column row (such as time_s,ch1_V)");
    if (!rows)
        return fail(r, QAIO_EPROTO, 0, "no data rows");
    int err = qaio_trace_reshape(r->out, rows, r->ncol - 1);
    double *x = err ? NULL : malloc(rows * sizeof *x);
    if (!x)
        return fail(r, QAIO_ENOMEM, 0, "out of memory for %zu points", rows);
    r->p = data;
    r->line = data_line;
    size_t i = 0;
    while (!err && (got = next_line(r)) == 1)
        if (r->buf[0] != '#' && r->buf[0] != 0)
            err = data_row(r, i++, x);
    if (!err)
        err = set_axis(r, x, rows);
    free(x);
    return err;
}

int qaio_csv_parse(const char *text, size_t len, qaio_trace *out, qaio_csv_meta *meta,
                   qaio_csv_error *err)
{
    if (err)
        *err = (qaio_csv_error){0};
    if (!text || !out)
        return QAIO_EINVAL;
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return QAIO_ENOMEM;
    *r = (reader){.p = text, .end = text + len, .err = err, .out = out, .meta = meta};
    if (meta)
        memset(meta, 0, sizeof *meta);
    out->averages = 0;
    out->enbw_hz = 0;
    r->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    int e = r->c_locale ? parse(r) : QAIO_ENOMEM;
    if (r->c_locale)
        freelocale(r->c_locale);
    free(r);
    return e;
}

int qaio_csv_read_file(const char *path, qaio_trace *out, qaio_csv_meta *meta, qaio_csv_error *err)
{
    if (err)
        *err = (qaio_csv_error){0};
    if (!path || !out)
        return QAIO_EINVAL;
    reader msg = {.err = err};
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno == ENOENT ? QAIO_ENOENT : errno == EACCES ? QAIO_EACCES : QAIO_EIO;
        return fail(&msg, e, 0, "%s: %s", path, qaio_strerror(e));
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    int e = text ? 0 : QAIO_ENOMEM;
    while (!e) {
        if (len == cap) {
            if (cap >= QAIO_CSV_MAX_BYTES) {
                e = fail(&msg, QAIO_ERANGE, 0, "%s: larger than %zu bytes", path, QAIO_CSV_MAX_BYTES);
                break;
            }
            char *bigger = realloc(text, cap * 2);
            if (!bigger) {
                e = QAIO_ENOMEM;
                break;
            }
            text = bigger;
            cap *= 2;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                e = fail(&msg, QAIO_EIO, 0, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (!e)
        e = qaio_csv_parse(text, len, out, meta, err);
    free(text);
    return e;
}
