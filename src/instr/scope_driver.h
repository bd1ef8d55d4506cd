/* Internal to the SCPI scope driver: what one oscilloscope family
 * (scope_<family>.c) implements, and the helpers it gets from the generic
 * driver (scpi_scope.c: the public API, connection, retries) and the link
 * (scope_link.c: lines, blocks and deadlines over one qaio stream).
 *
 * A family file speaks its instrument's own dialect, following the
 * programming manual it cites, and maps qaio_scope_settings onto the
 * instrument's model (time/div, memory depth, decimation, ...). It sees the
 * driver as a qaio__scope_drv and never touches the stream directly, so
 * every exchange is bounded and deadline-checked the same way.
 *
 * Not installed; the qaio__ names are not exported by libqaio-instr.
 */
#ifndef QAIO_SRC_INSTR_SCOPE_DRIVER_H
#define QAIO_SRC_INSTR_SCOPE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qaio/instr/scpi.h"
#include "qaio/stream.h"

typedef struct qaio__scope_drv qaio__scope_drv;

typedef struct qaio__scope_family {
    const char *name;  /* what --driver takes: "rigol-ds1000z" */
    const char *title; /* what a user reads: "Rigol DS1000Z / MSO5000" */
    int port;          /* the family's default TCP port */
    /* Does the *IDN? answer (maker and model fields, as sent) belong to
     * this family? NULL: only chosen by name. */
    bool (*matches)(const char *maker, const char *model);
    size_t priv_size; /* bytes of d->priv, zeroed at open */
    /* After *IDN?, on every (re)connection: select the data format, turn
     * headers off, and the like. NULL: nothing to do. */
    int (*setup)(qaio__scope_drv *d);
    /* Reads what the next record will be: points, rate, trigger mode,
     * slope, source, level. out->channels is the driver's and is kept. */
    int (*read_settings)(qaio__scope_drv *d, qaio_scope_settings *out);
    /* Applies want where it differs from cur (the instrument's, just
     * read). A setting the family cannot make is QAIO_EIO with a message
     * naming the instrument and the setting (qaio__drv_fail); the others
     * are still applied. */
    int (*apply_settings)(qaio__scope_drv *d, const qaio_scope_settings *want,
                          const qaio_scope_settings *cur);
    /* One record of the channels in mask (bit 0 CH1, bit 1 CH2) into rec,
     * in volts, x in seconds (x0 = time of the first point relative to
     * the trigger), channels in ascending order with rec->channel[]
     * filled, record length as the instrument returned it. Every read
     * is bounded by deadline (loop time). */
    int (*acquire)(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline);
    /* Reads one entry of the instrument's error queue into msg: 1 (an
     * error, msg holds it), 0 (queue empty) or a qaio error. NULL: the
     * generic ":SYSTem:ERRor?" ("0,..." when empty). */
    int (*read_error)(qaio__scope_drv *d, char *msg, size_t cap, double deadline);
} qaio__scope_family;

/* The driver as a family sees it. Fields marked "family" are the family's
 * to set; the others are the generic driver's. */
struct qaio__scope_drv {
    qaio_instrument base;
    const qaio__scope_family *family;
    void *priv;             /* family: priv_size bytes, zeroed at open */
    qaio_stream *conn;
    double timeout;         /* io timeout of one exchange (s) */
    char idn[256];          /* the *IDN? answer */
    char maker[64], model[64]; /* its first two fields, trimmed */
    char address[300];      /* what a message names: "host:port" or the device */
    char message[256];      /* the last error reported to the caller */
    qaio_scope_settings set;  /* the instrument's, as last read */
    qaio_scope_settings want; /* the caller's, re-applied on reconnect */
    bool set_by_us;
    bool busy;
    unsigned char *blk;     /* the block buffer (qaio__drv_read_block) */
    size_t blkcap;
    /* transport */
    char host[256];
    int port;
    char device[256];       /* USBTMC character device, or "" for TCP */
};

/* The families, NULL-terminated, auto-detection order. */
extern const qaio__scope_family *const qaio__scope_families[];

/* The family named name (case-insensitive), or NULL. */
const qaio__scope_family *qaio__scope_family_find(const char *name);

/* --- the link: every exchange a family makes -------------------------- */

/* Loop time + seconds: a deadline for the calls below. */
double qaio__drv_deadline(qaio__scope_drv *d, double seconds);

/* Seconds left before deadline (>= 0). */
double qaio__drv_left(qaio__scope_drv *d, double deadline);

/* Sends one program line (cmd, printf-style; '\n' is added). 0 or a
 * stream error. */
int qaio__drv_write(qaio__scope_drv *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads one answer line into resp (cap bytes, NUL-terminated, trailing
 * "\r\n" / "\n" removed). Its length, QAIO_EMSGSIZE (longer than cap - 1:
 * the rest is unread and the connection will be dropped), QAIO_EPIPE
 * (closed before the line ended), QAIO_ETIMEDOUT, a stream error. */
int qaio__drv_read_line(qaio__scope_drv *d, char *resp, size_t cap, double deadline);

/* write + read_line. */
int qaio__drv_query(qaio__scope_drv *d, char *resp, size_t cap, double deadline,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A query whose answer is one number (an optional header word before it
 * is skipped, a unit after it ignored: "C1:VDIV 5.00E-01V"). QAIO_EPROTO
 * for an answer with no finite number, the instrument's words kept in
 * d->message. */
int qaio__drv_query_number(qaio__scope_drv *d, double *v, double deadline, const char *fmt,
                           ...) __attribute__((format(printf, 4, 5)));

/* Reads exactly n bytes. */
int qaio__drv_read_exact(qaio__scope_drv *d, void *buf, size_t n, double deadline);

/* Reads up to and including delim (one byte) into buf (cap bytes, NUL-
 * terminated, delim removed). Length, or as read_line. */
int qaio__drv_read_until(qaio__scope_drv *d, char delim, char *buf, size_t cap, double deadline);

/* Reads an IEEE 488.2 definite-length block "#<d><len><bytes>" (skipping
 * blanks before the '#') into d->blk; *len is its byte count. The
 * terminator after it is not read (qaio__drv_read_eol). QAIO_EPROTO (not a
 * block, or "#0"), QAIO_EMSGSIZE (over max bytes, or over
 * QAIO_SCPI_MAX_BLOCK when max is 0), QAIO_ENOMEM, a read error. */
int qaio__drv_read_block(qaio__scope_drv *d, size_t max, size_t *len, double deadline);

/* Reads the end of an answer: "\n" or "\r\n". QAIO_EPROTO otherwise. */
int qaio__drv_read_eol(qaio__scope_drv *d, double deadline);

/* Waits seconds (a poll interval), cancellable. */
int qaio__drv_sleep(qaio__scope_drv *d, double seconds);

/* Sets d->message to "<model>: <text>" and returns err. */
int qaio__drv_fail(qaio__scope_drv *d, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads the instrument's error queue once (family->read_error or
 * ":SYSTem:ERRor?"): 0 when empty, else QAIO_EIO with the instrument's
 * words in d->message (prefixed by what, when not NULL: the command that
 * failed). */
int qaio__drv_check_error(qaio__scope_drv *d, const char *what, double deadline);

/* Shapes rec for n points of nch channels, x0/dx, units "s" and "V", no
 * averaging, channel numbers from mask. QAIO_ENOMEM. */
int qaio__drv_shape_record(qaio_trace *rec, size_t n, unsigned mask, double x0, double dx);

/* --- what several families do alike ------------------------------------ */

/* Reads the instrument's words. words[0..n-1] are a family's words for
 * the values of one setting, in the order of its enum (slopes: rising,
 * falling, either; sweeps: AUTO, NORMal), as its commands write them. The
 * index of the one answer starts with, matched by its short form (the
 * capitals: "NEGative" -> "NEG") case-insensitively after any blanks;
 * dflt when none does. */
int qaio__drv_word_index(const char *answer, const char *const *words, int n, int dflt);

/* Does the answer's first word (up to a blank or the line end) match the
 * SCPI pattern ("NORMal": NORM or NORMAL)? */
bool qaio__drv_word_is(const char *answer, const char *pattern);

/* Does s contain w, case-insensitively? (*IDN? model names: "Plus".) */
bool qaio__drv_contains(const char *s, const char *w);

/* The number at the start of t (finite) into *v. */
bool qaio__drv_number(const char *t, double *v);

/* Splits text in place at each sep into at most n fields (leading blanks
 * skipped) in f; their count. */
int qaio__drv_split(char *text, char sep, char **f, int n);

/* A program line of several commands, each added with a ';' after it
 * (text stays NUL-terminated). */
typedef struct qaio__drv_program {
    char text[QAIO_SCPI_LINE_MAX];
    size_t len;
} qaio__drv_program;

/* Appends one command (printf-style) to p. */
void qaio__drv_add(qaio__drv_program *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sends p's commands in one line (nothing when there are none), then
 * reads the error queue (qaio__drv_check_error). */
int qaio__drv_send_program(qaio__scope_drv *d, const qaio__drv_program *p);

/* The trigger sweep to keep between records on a scope that has AUTO and
 * NORMal sweeps and takes every record as a single one: mode, but FORCE
 * (free run, which such a scope does not have) runs as AUTO and is
 * refused by name (*refused = QAIO_EIO, the message set). */
qaio_trigger_mode qaio__drv_sweep_for(qaio__scope_drv *d, qaio_trigger_mode mode, int *refused);

/* Sets the record of a scope whose only knob is a 1-2-5 time/div over
 * divs divisions: writes cmd with the time/div that gives s->points at
 * s->rate (cmd: printf format taking the time/div, e.g. "TDIV %.2E"), then
 * reads back the rate and points it uses (rate_query, points_query). 0
 * when they are s's (points exactly, rate within 1e-6), QAIO_EIO when not
 * -- the message is "<why>; at <t> s/div it uses <n> points at <r> Sa/s"
 * -- or a query's error. */
int qaio__drv_set_timebase(qaio__scope_drv *d, const qaio_scope_settings *s, double divs,
                           const char *cmd, const char *rate_query, const char *points_query,
                           const char *why);

/* The record part of read_settings: rate, points and trigger level as
 * read (rate_name and points_name: what the message calls them) into
 * out; QAIO_EPROTO when they are no record. */
int qaio__drv_put_record(qaio__scope_drv *d, qaio_scope_settings *out, double rate, double points,
                         double level, const char *rate_name, const char *points_name);

/* The end of apply_settings: err (an exchange's error) wins; else the
 * error queue is read, and an instrument error wins over refused (a
 * refusal, whose message is kept). */
int qaio__drv_apply_done(qaio__scope_drv *d, int err, int refused);

/* Polls query (backing off from 0.5 ms to 20 ms) until done(answer).
 * 0, QAIO_ETIMEDOUT at deadline, or an exchange's error. */
int qaio__drv_poll(qaio__scope_drv *d, const char *query, bool (*done)(const char *answer),
                   double deadline);

/* Channel c (0: the first) of a record of n points: the first shapes rec
 * (qaio__drv_shape_record), a later one must have rec->n points
 * (QAIO_EPROTO otherwise). */
int qaio__drv_shape_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, size_t n, unsigned mask,
                            double x0, double dx);

/* Reads one reply that holds a part per channel of mask, ';' between
 * them, then the line's end: read_part reads the part of record channel c
 * (0: the first). */
typedef int qaio__drv_read_part(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned mask,
                                double deadline);
int qaio__drv_read_parts(qaio__scope_drv *d, qaio_trace *rec, unsigned mask,
                         qaio__drv_read_part *read_part, double deadline);

/* --- samples ------------------------------------------------------------ */

typedef enum qaio__sample_kind {
    QAIO__S8, QAIO__U8, QAIO__S16, QAIO__U16, QAIO__S32, QAIO__U32, QAIO__F32, QAIO__F64
} qaio__sample_kind;

/* Bytes of one sample of kind k. */
size_t qaio__sample_width(qaio__sample_kind k);

/* Converts n samples of kind k (msb_first: big-endian) from b to volts:
 * y[i] = code * scale + offset. */
void qaio__decode_samples(const unsigned char *b, size_t n, qaio__sample_kind k, bool msb_first,
                          double scale, double offset, float *y);

/* Parses up to n comma-separated numbers from text (len bytes; blanks,
 * "{" "}" and a trailing "\r\n" around them allowed) into y, scaled:
 * y[i] = v * scale + offset. Returns the count, or QAIO_EPROTO (a field
 * that is not a number, or one over 63 bytes). */
long qaio__decode_ascii(const char *text, size_t len, float *y, size_t n, double scale,
                        double offset);

#endif
