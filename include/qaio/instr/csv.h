/** qaio/instr/csv.h - curves to CSV and back: the one file format of
 * qaio-acquire, qaio-scope's exports and its reference traces.
 *
 * A file is "# key: value" header lines, one header row, then one row per
 * point: x, then one column per channel, comma separated, '.' as decimal
 * point whatever the locale. The header lines, in this order:
 *
 *   # format: qaio-csv 1
 *   # program: qaio-acquire          who wrote it
 *   # instrument: <identity>         *IDN? answer, or the simulation's name
 *   # source: <address>              "sim", or the address connected to
 *   # time: 2026-12-07T00:31:05Z     when the curve was taken (ISO 8601, UTC)
 *   # domain: time | frequency       what x is
 *   # averages: <k>                  records averaged into THIS curve (0: raw)
 *   # enbw_hz: <Hz>                  spectra: one bin's noise bandwidth
 *   # x_start: <x0>  # x_step: <dx>  a uniform axis, exactly (17 digits)
 *   # asked.<key>: <value>           each setting asked of the instrument
 *   # used.<key>: <value>            each setting the instrument reported using
 *
 * The asked number of averages is `asked.averages`; `# averages:` is only
 * ever the count in the curve. Column names are `<name>_<unit>`: x is
 * `time_s` or `frequency_Hz`, a channel `ch<N>_<unit>` with the unit
 * written with '/' as '_', "/sqrt(Hz)" as "_rtHz" and "^" dropped:
 * ch1_V, ch1_dBV, ch1_dBm_Hz, ch1_V_rtHz, ch1_V2_Hz; a network analyzer's
 * ch1_dB, ch2_deg. Values: y with 9 significant digits (a float exactly),
 * an explicit x with 17 (a double exactly), a uniform x with 12.
 *
 * The reader takes any such file, and the older files of qaio-acquire and
 * qaio-scope (their "# key: value" lines become used settings). It never
 * trusts the input: sizes are bounded (QAIO_CSV_MAX_*), and a file it
 * refuses gives a qaio error and a message naming the line.
 *
 * @file
 * @ingroup csv
 */
/** @defgroup csv The CSV format of curves
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_CSV_H
#define QAIO_INSTR_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "qaio/instr/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Settings per group a header may carry. */
#define QAIO_CSV_MAX_SETTINGS 48
/** A setting's key, terminator included ([A-Za-z0-9_.-] only). */
#define QAIO_CSV_KEY_MAX 32
/** A setting's value, terminator included. */
#define QAIO_CSV_VALUE_MAX 256
/** The longest line the reader accepts, terminator excluded. */
#define QAIO_CSV_MAX_LINE 4096
/** The most data rows (points) the reader accepts. */
#define QAIO_CSV_MAX_POINTS (1u << 24)
/** The largest file qaio_csv_read_file reads. */
#define QAIO_CSV_MAX_BYTES ((size_t)1 << 30)

/** Which settings: those asked of the instrument, or those it used. */
typedef enum qaio_csv_group {
    QAIO_CSV_ASKED, /**< what the program asked for */
    QAIO_CSV_USED,  /**< what the instrument reported using */
    QAIO_CSV_GROUP_COUNT /**< the number of groups */
} qaio_csv_group;

/** One "key: value" setting. */
typedef struct qaio_csv_setting {
    char key[QAIO_CSV_KEY_MAX];     /**< e.g. "points" */
    char value[QAIO_CSV_VALUE_MAX]; /**< as text, e.g. "4096" */
} qaio_csv_setting;

/** Everything a file says besides the numbers. Plain memory, about 24 KiB:
 *  any thread may use one nobody else uses. */
typedef struct qaio_csv_meta {
    char program[64];     /**< the writing program */
    char instrument[256]; /**< the instrument's identity */
    char source[320];     /**< its address, or "sim" */
    char time[32];        /**< ISO 8601 UTC, "YYYY-MM-DDThh:mm:ssZ" */
    qaio_csv_setting settings[QAIO_CSV_GROUP_COUNT][QAIO_CSV_MAX_SETTINGS]; /**< by group */
    unsigned count[QAIO_CSV_GROUP_COUNT]; /**< settings used in each group */
} qaio_csv_meta;

/** Why the reader refused a file. */
typedef struct qaio_csv_error {
    size_t line;       /**< 1-based line at fault; 0 for the file as a whole */
    char message[200]; /**< what is wrong, naming the line */
} qaio_csv_error;

/** Empties m, names the program (copied, cut to fit; NULL: none) and sets
 *  the time to now. NULL m is ignored. Any thread. */
void qaio_csv_meta_init(qaio_csv_meta *m, const char *program);

/** Sets key to value in group g (replacing an earlier value of key); both
 *  are copied. @return 0, QAIO_EINVAL (NULL, bad group, a key empty or
 *  with characters other than letters, digits, '_', '.', '-', a value with
 *  a line break), QAIO_EMSGSIZE (key or value too long) or QAIO_ERANGE (the
 *  group is full). Any thread. */
int qaio_csv_meta_set(qaio_csv_meta *m, qaio_csv_group g, const char *key, const char *value);

/** The value of key in group g (borrowed from m), or NULL. Any thread. */
const char *qaio_csv_meta_get(const qaio_csv_meta *m, qaio_csv_group g, const char *key);

/** Writes t with the header of m (NULL: an empty header, time now) to f
 *  (borrowed, left open). The domain and units come from t.
 *  @return 0, QAIO_EINVAL (f or t NULL, t without channels) or QAIO_EIO
 *  (a write failed). Any thread. */
int qaio_csv_write(FILE *f, const qaio_trace *t, const qaio_csv_meta *m);

/** Parses len bytes of text (borrowed; need not be NUL-terminated) into
 *  out (reshaped: values, axis, domain, units, averages, enbw_hz) and, if
 *  not NULL, meta. On an error out and meta are unspecified and, if err is
 *  not NULL, it says where and why.
 *  @return 0, QAIO_EINVAL (text or out NULL), QAIO_EPROTO (not such a
 *  file: no header row, a cell not a number, a row of the wrong width, a
 *  bad header value), QAIO_EMSGSIZE (a line longer than
 *  QAIO_CSV_MAX_LINE), QAIO_ERANGE (more than QAIO_CSV_MAX_POINTS rows or
 *  QAIO_TRACE_MAX_CHANNELS channels) or QAIO_ENOMEM. Any thread. */
int qaio_csv_parse(const char *text, size_t len, qaio_trace *out, qaio_csv_meta *meta,
                   qaio_csv_error *err);

/** Reads the file at path (at most QAIO_CSV_MAX_BYTES) with
 *  qaio_csv_parse. @return its errors, and QAIO_ENOENT, QAIO_EACCES or
 *  QAIO_EIO when the file cannot be read, QAIO_ERANGE when it is too
 *  large (err then has line 0). Any thread; it blocks on the file. */
int qaio_csv_read_file(const char *path, qaio_trace *out, qaio_csv_meta *meta,
                       qaio_csv_error *err);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
