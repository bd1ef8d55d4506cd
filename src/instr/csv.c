/* The CSV format of csv.h: the header, the column names, the writer.
 * Numbers go through the C locale whatever the program's (a Qt program
 * runs with the user's, where 0.5 may print as "0,5"). The reader is
 * csv_read.c. */
#include "qaio/instr/csv.h"

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "csv_internal.h"

static void copy_cut(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

void qaio_csv_meta_init(qaio_csv_meta *m, const char *program)
{
    if (!m)
        return;
    memset(m, 0, sizeof *m);
    copy_cut(m->program, sizeof m->program, program);
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(m->time, sizeof m->time, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool qaio__csv_key_ok(const char *key, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = key[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

int qaio_csv_meta_set(qaio_csv_meta *m, qaio_csv_group g, const char *key, const char *value)
{
    if (!m || !key || !value || (unsigned)g >= QAIO_CSV_GROUP_COUNT)
        return QAIO_EINVAL;
    size_t klen = strlen(key), vlen = strlen(value);
    if (!qaio__csv_key_ok(key, klen) || strpbrk(value, "\r\n"))
        return QAIO_EINVAL;
    if (klen >= QAIO_CSV_KEY_MAX || vlen >= QAIO_CSV_VALUE_MAX)
        return QAIO_EMSGSIZE;
    qaio_csv_setting *s = m->settings[g];
    unsigned i = 0;
    while (i < m->count[g] && strcmp(s[i].key, key) != 0)
        i++;
    if (i == QAIO_CSV_MAX_SETTINGS)
        return QAIO_ERANGE;
    memcpy(s[i].key, key, klen + 1);
    memcpy(s[i].value, value, vlen + 1);
    if (i == m->count[g])
        m->count[g]++;
    return 0;
}

const char *qaio_csv_meta_get(const qaio_csv_meta *m, qaio_csv_group g, const char *key)
{
    if (!m || !key || (unsigned)g >= QAIO_CSV_GROUP_COUNT)
        return NULL;
    for (unsigned i = 0; i < m->count[g] && i < QAIO_CSV_MAX_SETTINGS; i++)
        if (strcmp(m->settings[g][i].key, key) == 0)
            return m->settings[g][i].value;
    return NULL;
}

/* --- column names ---------------------------------------------------------- */

void qaio__csv_unit_to_column(const char *unit, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = unit; *p && o + 1 < cap; p++) {
        if (strncmp(p, "/sqrt(Hz)", 9) == 0) {
            for (const char *r = "_rtHz"; *r && o + 1 < cap; r++)
                out[o++] = *r;
            p += 8;
        } else if (*p == '/') {
            out[o++] = '_';
        } else if (*p != '^' && *p != ',' && *p != ' ') {
            out[o++] = *p;
        }
    }
    out[o] = 0;
}

/* The units a column name may stand for, by their column spelling. */
static const char *const known_units[] = {"V",   "Vrms", "Vpk", "dBV", "dBm",   "V/sqrt(Hz)",
                                          "dBm/Hz", "V^2", "V^2/Hz", "dB", "deg", "s", "Hz"};

void qaio__csv_column_to_unit(const char *col, char *out, size_t cap)
{
    char spelled[32];
    for (size_t i = 0; i < sizeof known_units / sizeof *known_units; i++) {
        qaio__csv_unit_to_column(known_units[i], spelled, sizeof spelled);
        if (strcmp(col, spelled) == 0 || strcmp(col, known_units[i]) == 0) {
            copy_cut(out, cap, known_units[i]);
            return;
        }
    }
    copy_cut(out, cap, col); /* a unit this table does not know: as written */
}

/* Channel c's unit: y_unit, or its c-th comma-separated part ("dB,deg"). */
static void channel_unit(const qaio_trace *t, size_t c, char *out, size_t cap)
{
    const char *u = t->y_unit;
    for (size_t i = 0; i < c && strchr(u, ','); i++)
        u = strchr(u, ',') + 1;
    size_t len = strcspn(u, ",");
    if (len >= cap)
        len = cap - 1;
    memcpy(out, u, len);
    out[len] = 0;
}

static const char *x_column(const qaio_trace *t)
{
    switch (t->domain) {
    case QAIO_DOMAIN_TIME: return "time_s";
    case QAIO_DOMAIN_FREQUENCY: return "frequency_Hz";
    default: return NULL;
    }
}

/* --- writer --------------------------------------------------------------- */

static void write_header(FILE *f, const qaio_trace *t, const qaio_csv_meta *m)
{
    fprintf(f, "# format: qaio-csv 1\n# program: %s\n# instrument: %s\n# source: %s\n# time: %s\n",
            m->program, m->instrument, m->source, m->time);
    fprintf(f, "# domain: %s\n# averages: %u\n", qaio_trace_domain_name(t->domain), t->averages);
    if (t->enbw_hz > 0)
        fprintf(f, "# enbw_hz: %.17g\n", t->enbw_hz);
    if (!t->x)
        fprintf(f, "# x_start: %.17g\n# x_step: %.17g\n", t->x0 + 0.0, t->dx); /* + 0.0: -0 prints as 0 */
    static const char *const prefix[QAIO_CSV_GROUP_COUNT] = {"asked", "used"};
    for (int g = 0; g < QAIO_CSV_GROUP_COUNT; g++)
        for (unsigned i = 0; i < m->count[g] && i < QAIO_CSV_MAX_SETTINGS; i++)
            fprintf(f, "# %s.%s: %s\n", prefix[g], m->settings[g][i].key, m->settings[g][i].value);
}

static void write_columns(FILE *f, const qaio_trace *t)
{
    const char *x = x_column(t);
    char col[32];
    if (x) {
        fputs(x, f);
    } else {
        qaio__csv_unit_to_column(t->x_unit, col, sizeof col);
        fprintf(f, "x_%s", col);
    }
    for (size_t c = 0; c < t->nch; c++) {
        char unit[sizeof t->y_unit];
        channel_unit(t, c, unit, sizeof unit);
        qaio__csv_unit_to_column(unit, col, sizeof col);
        fprintf(f, ",ch%d_%s", t->channel[c] > 0 ? t->channel[c] : (int)c + 1, col);
    }
    fputc('\n', f);
}

int qaio_csv_write(FILE *f, const qaio_trace *t, const qaio_csv_meta *m)
{
    if (!f || !t || t->nch == 0)
        return QAIO_EINVAL;
    qaio_csv_meta empty;
    if (!m) {
        qaio_csv_meta_init(&empty, NULL);
        m = &empty;
    }
    locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c_locale)
        return QAIO_ENOMEM;
    locale_t old = uselocale(c_locale);
    write_header(f, t, m);
    write_columns(f, t);
    /* A uniform axis is exact in the header; 12 digits keep rows readable. */
    const char *xfmt = t->x ? "%.17g" : "%.12g";
    for (size_t i = 0; i < t->n; i++) {
        fprintf(f, xfmt, qaio_trace_x(t, i));
        for (size_t c = 0; c < t->nch; c++)
            fprintf(f, ",%.9g", (double)t->y[c][i]);
        fputc('\n', f);
    }
    uselocale(old);
    freelocale(c_locale);
    return ferror(f) ? QAIO_EIO : 0;
}
