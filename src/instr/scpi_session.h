/* Internal to the SCPI server: the state shared by scpi_server.c (the
 * transport: lines in, responses out), sim_common.c (IEEE 488.2 commands,
 * dispatch, the handlers' helpers), sim_record.c (records) and the
 * personalities, sim_<family>.c (what each command of that instrument
 * family does). Not installed.
 *
 * A personality answers as one oscilloscope family does, from its
 * programming manual: identity, default port, command set, data formats,
 * scaling and error reporting, over the one simulated two-channel scope
 * every personality serves (srv->scope: settings in samples and Hz,
 * records in volts). It maps its family's model (time/div, memory depth,
 * volts/div, ...) onto that scope and encodes the records the family's
 * way. */
#ifndef QAIO_SRC_INSTR_SCPI_SESSION_H
#define QAIO_SRC_INSTR_SCPI_SESSION_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qaio/instr/scope.h"
#include "qaio/instr/scpi_parser.h"
#include "qaio/instr/scpi_server.h"
#include "qaio/stream.h"
#include "qaio/sync.h"

/* Preamble format codes. */
enum { QAIO__WAV_BYTE = 0, QAIO__WAV_WORD = 1, QAIO__WAV_ASCII = 4, QAIO__WAV_REAL = 8 };

typedef struct qaio__scpi_session qaio__scpi_session;

/* One command of a personality: header pattern (qaio_scpi_match syntax),
 * handler, and whether it is a query (QAIO__SIM_Q), a setting
 * (QAIO__SIM_S) or both. A handler returns 0 (SCPI errors queued with
 * qaio__sim_fail) or a qaio error that ends the session. */
enum { QAIO__SIM_Q = 1, QAIO__SIM_S = 2 };
typedef struct qaio__sim_command {
    const char *pattern;
    int (*fn)(qaio__scpi_session *s, const qaio_scpi_command *c);
    unsigned how;
} qaio__sim_command;

typedef struct qaio__sim_personality {
    const char *name;  /* --personality: "rigol-ds1000z" */
    const char *title; /* "Rigol DS1000Z" */
    const char *idn;   /* the *IDN? answer */
    int port;          /* the family's default TCP port */
    const char *eol;   /* what ends an answer: "\n", or "\r\n" (Red Pitaya) */
    /* The family's commands, looked up before the IEEE 488.2 common ones
     * (sim_common.c), so a family may override those. */
    const qaio__sim_command *commands;
    size_t ncommands;
    size_t server_state_size;  /* srv->pstate bytes, zeroed at start */
    size_t session_state_size; /* s->pstate bytes, zeroed per session */
    /* *RST (and server start, after srv->scope got its reset settings):
     * the family's own defaults. NULL: nothing. */
    void (*server_reset)(qaio_scpi_server *srv);
    /* *RST's part of a session, and a new session. NULL: nothing. */
    void (*session_reset)(qaio__scpi_session *s);
    /* Commands of the family that, like *RST, *CLS, :STOP and :ABORt,
     * interrupt what the session is still doing: seen by the session's
     * reader as the line arrives, they abort the acquisitions of the lines
     * before theirs (scpi_server.c). NULL: only the common ones. */
    bool (*interrupts)(const qaio_scpi_command *c);
} qaio__sim_personality;

/* The personalities, NULL-terminated; "qaio" first. */
extern const qaio__sim_personality *const qaio__sim_personalities[];

/* The personality named name (case-insensitive), or NULL. */
const qaio__sim_personality *qaio__sim_personality_find(const char *name);

/* A record as the server shares it (sim_record.c): immutable once taken,
 * refcounted, referenced by every session that holds it, so a record held
 * by 30 sessions costs one record. */
typedef struct qaio__sim_record qaio__sim_record;

struct qaio_scpi_server {
    qaio_loop *loop;
    const qaio__sim_personality *pers;
    void *pstate;               /* the personality's server-wide state */
    qaio_server *srv;
    qaio_instrument *scope;     /* both channels enabled; owned */
    qaio_lock *acq_lock;        /* unused since acquisitions became jobs (kept for old code) */
    qaio_scope_settings reset;  /* what *RST restores */
    bool average;               /* :ACQuire:TYPE AVERage */
    unsigned count;             /* :ACQuire:COUNt */
    int sessions;
    int background;             /* armed records' tasks still running */
    /* bounds (qaio_scpi_server_options, defaults filled in) */
    double acquire_timeout_s, idle_timeout_s, send_timeout_s;
    int max_sessions;
    size_t max_record_bytes;
    /* the acquisition under way (sim_record.c), shared by every session
     * that wants a record with its settings; one at a time */
    struct qaio__sim_job *job;
    int jobs;                   /* job tasks still running */
    qaio_trace *empty;          /* what s->rec points to when nothing is held */
    qaio__scpi_session *list;   /* the sessions being served */
    /* statistics (qaio_scpi_server_stats) */
    size_t records, record_bytes, acquisitions, shared, refused;
};

struct qaio__scpi_session {
    qaio_scpi_server *srv;
    qaio_stream *conn;
    void *pstate;               /* the personality's per-session state */
    /* status */
    struct {
        int num;
        char msg[112];
    } errq[QAIO_SCPI_ERROR_QUEUE];
    unsigned nerr;
    unsigned esr, ese;
    unsigned sre;               /* *SRE */
    unsigned oper_event, oper_enable, ques_event, ques_enable; /* :STATus */
    /* run state and this session's record (both channels) */
    bool running;
    /* The held record's trace: shared and immutable (never write through
     * it), valid while rec_valid, until the session's next record call.
     * Points to an empty trace when nothing is held. */
    qaio_trace *rec;
    bool rec_valid;
    struct qaio__sim_armed *armed; /* the background acquisition, or NULL */
    unsigned rec_count;
    qaio__sim_record *held;     /* the reference behind rec */
    bool pre_pending;           /* RUN: a :WAV:PRE? took the record the next :WAV:DATA? sends */
    /* :WAVeform settings */
    unsigned source;
    int format;
    bool lsb_first;
    size_t wav_points;          /* 0: the whole record */
    /* the response of the current line */
    char *out;
    size_t outlen, outcap;
    unsigned units;
    /* input framing (the reader task's) */
    bool discarding;
    size_t inlen;
    char in[QAIO_SCPI_LINE_MAX + 2];
    qaio_scpi_program prog;     /* the executor's parse */
    qaio_scpi_program scan;     /* the reader's look for interrupting commands */
    /* reader / executor (scpi_server.c) */
    qaio_queue *lines;          /* complete lines, bounded */
    uint64_t line_no;           /* the line being executed (1, 2, ...) */
    uint64_t lines_read;        /* lines the reader framed */
    uint64_t abort_before;      /* abort the acquisitions of lines under this */
    qaio_future *interrupt;     /* resolved by the reader to wake a waiting acquisition */
    bool busy;                  /* the executor is running a line */
    bool gone;                  /* the peer closed, or the session is ending */
    qaio__scpi_session *next, *prev; /* srv->list */
};

/* True when what the session's current line waits for should stop: an
 * interrupting command (*RST, *CLS, :STOP, ...) arrived after it, or the
 * peer went away. */
bool qaio__scpi_interrupted(const qaio__scpi_session *s);

/* True when the session's peer lags: responses it has not read are
 * waiting (half the socket's send buffer or more). */
bool qaio__scpi_lagging(const qaio__scpi_session *s);

/* Queues a SCPI error (detail may be NULL) and sets the matching *ESR bit. */
void qaio__scpi_push_error(qaio__scpi_session *s, int num, const char *detail);

/* Starts a response unit (a ';' after the first of the line). */
void qaio__scpi_begin_unit(qaio__scpi_session *s);

/* Appends to the response; sends it when large, with back-pressure.
 * 0 or a stream error (the session then ends). */
int qaio__scpi_out(qaio__scpi_session *s, const void *data, size_t n);
int qaio__scpi_printf(qaio__scpi_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int qaio__scpi_vprintf(qaio__scpi_session *s, const char *fmt, va_list ap);
/* n bytes of room at the end of the response buffer (flushing first if
 * needed); the caller fills them and adds n to s->outlen. NULL: error in
 * *err. */
char *qaio__scpi_reserve(qaio__scpi_session *s, size_t n, int *err);

/* Runs one parsed command: the personality's table, then the common
 * commands. SCPI errors are queued (return 0); a negative return is a
 * qaio error (I/O, cancellation) that ends the session. */
int qaio__scpi_execute(qaio__scpi_session *s, const qaio_scpi_command *c);

/* Session defaults (*RST's part of a session): the generic fields, then
 * the personality's session_reset. */
void qaio__scpi_session_reset(qaio__scpi_session *s);

/* *RST of the instrument: srv->scope back to the start settings,
 * averaging off, then the personality's server_reset. */
void qaio__scpi_server_reset(qaio_scpi_server *srv);

/* --- helpers for handlers (sim_common.c) -------------------------------- */

/* Queues a SCPI error; a handler returns what this returns (0). */
int qaio__sim_fail(qaio__scpi_session *s, int num, const char *detail);

/* Exactly n arguments, else the matching error (queued): true if fine. */
bool qaio__sim_nargs(qaio__scpi_session *s, const qaio_scpi_command *c, unsigned n);

/* Argument 0 as one of the words (short/long form patterns, NULL-
 * terminated): its index, or -1 with the error queued. */
int qaio__sim_choice(qaio__scpi_session *s, const qaio_scpi_command *c,
                     const char *const *words);

/* Argument 0 as a number in [min, max] (MIN/MAX/DEF understood, def for
 * DEFault); false with the error queued. */
bool qaio__sim_number(qaio__scpi_session *s, const qaio_scpi_command *c, double min, double max,
                      double def, double *v);

/* A query with MINimum or MAXimum as its one argument (":ACQ:POIN? MAX",
 * SCPI-99 7.2.1.1): true with *v = min or max, which the handler answers
 * instead of the setting. false for anything else. */
bool qaio__sim_query_limit(qaio__scpi_session *s, const qaio_scpi_command *c, double min,
                           double max, double *v);

/* One response unit: printf-style. */
int qaio__sim_answer(qaio__scpi_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One response unit: the short form of words[i], upper case. */
int qaio__sim_answer_word(qaio__scpi_session *s, const char *const *words, int i);

/* The shared scope's settings, and setting them (-221 queued when the
 * scope refuses). */
qaio_scope_settings qaio__sim_settings(qaio__scpi_session *s);
void qaio__sim_apply(qaio__scpi_session *s, const qaio_scope_settings *set);

/* An IEEE 488.2 definite-length block header "#<d><len>" for len bytes,
 * appended to the response (the caller appends the bytes). */
int qaio__sim_block_header(qaio__scpi_session *s, size_t len);

/* Appends n samples of y (volts) as integer codes, code =
 * round((y - offset) / scale) clamped to [lo, hi], width bytes each
 * (1, 2 or 4), big-endian when msb_first: the encoders of every
 * personality's binary formats. */
int qaio__sim_put_codes(qaio__scpi_session *s, const float *y, size_t n, double scale,
                        double offset, long lo, long hi, int width, bool msb_first);

/* Appends n samples of y as float32 (msb_first: big-endian). */
int qaio__sim_put_floats(qaio__scpi_session *s, const float *y, size_t n, bool msb_first);

/* Appends n samples of y as comma-separated text with printf format fmt
 * (one double argument), e.g. "%.6e". */
int qaio__sim_put_ascii(qaio__scpi_session *s, const float *y, size_t n, const char *fmt);

/* --- records (sim_record.c) ---------------------------------------------- */

/* Takes a record now (the shared scope's settings, ACQ:COUNt averaged
 * with ACQ:TYPE AVER) and holds it for the session. Returns 0 -- with
 * the record held, or a SCPI error queued and none held -- or a fatal
 * qaio error (the session is ending). */
int qaio__sim_take(qaio__scpi_session *s);

/* Starts a record in the background (:SINGle on a family whose single
 * returns at once); qaio__sim_status tells when it is held. Replaces a
 * pending one. 0 or a fatal error. */
int qaio__sim_arm(qaio__scpi_session *s);

enum { QAIO__SIM_IDLE, QAIO__SIM_WAITING, QAIO__SIM_HELD };
/* Where the session's record is: none asked for (IDLE), armed and not
 * yet taken (WAITING), held (HELD). */
int qaio__sim_status(qaio__scpi_session *s);

/* Waits for an armed record (returns at once when none is armed). 0 (held
 * or SCPI error queued) or a fatal error. */
int qaio__sim_wait(qaio__scpi_session *s);

/* Stops an armed record (:STOP, *RST, *CLS, device clear). */
void qaio__sim_abort(qaio__scpi_session *s);

/* The held record (channels 1 and 2, volts), or NULL. Valid until the
 * session's next record call. */
const qaio_trace *qaio__sim_held(const qaio__scpi_session *s);

/* The stream index (sample of the simulated scope) of the held record's
 * first sample: its trigger. 0 when none is held. */
uint64_t qaio__sim_held_start(const qaio__scpi_session *s);

/* The held record as a private copy the session may change (a family
 * that reshapes what it holds, such as a pre-trigger window): the shared
 * record stays as it was for the other sessions. The copy counts against
 * the record bound. NULL when none is held or on a failure (-225
 * queued). */
qaio_trace *qaio__sim_own(qaio__scpi_session *s);

/* Lets go of the held record (the session's end, *RST). */
void qaio__sim_release(qaio__scpi_session *s);

/* Deadlines and sharing. The scope takes one record at a time, each with
 * a deadline srv->acquire_timeout_s from its start: past it the record
 * call queues -240 "Hardware error;acquisition timed out" and holds
 * nothing (the session goes on). A record call shares the record being
 * taken when its settings are the scope's current ones; otherwise it
 * waits for that one to end (at most its deadline), then takes its own:
 * a call waits at most about 2 x acquire_timeout_s. qaio__sim_take and
 * qaio__sim_wait also stop when an interrupting command (*RST, *CLS,
 * :STOP, :ABORt, the personality's interrupts()) arrives after the line
 * they run for, or the peer leaves: take queues -410 "Query
 * INTERRUPTED;acquisition aborted" and holds nothing; wait returns 0 with
 * the armed record cancelled (check qaio__scpi_interrupted to skip an
 * answer, as *OPC? does). An armed record has its own deadline. A record
 * nobody waits for any more (every asker left, timed out or was
 * interrupted) is cancelled at once.
 *
 * Records are immutable and refcounted: s->rec (and qaio__sim_held) may
 * be the very record other sessions hold: read it, never write through
 * it. Held records count against srv->max_record_bytes; a take that
 * would go over queues -225 "Out of memory". A personality that, running,
 * has sent a record and needs it no more may qaio__sim_release it (the
 * qaio personality does after :WAV:DATA?), so idle sessions hold none. */

#endif
