/* Internal to the SCPI server: the state shared by scpi_server.c (the
 * transport: lines in, responses out) and scpi_commands.c (what each
 * command does). Not installed. */
#ifndef QAIO_SRC_INSTR_SCPI_SESSION_H
#define QAIO_SRC_INSTR_SCPI_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "qaio/instr/scope.h"
#include "qaio/instr/scpi_parser.h"
#include "qaio/instr/scpi_server.h"
#include "qaio/stream.h"
#include "qaio/sync.h"

/* Preamble format codes. */
enum { QAIO__WAV_BYTE = 0, QAIO__WAV_WORD = 1, QAIO__WAV_ASCII = 4, QAIO__WAV_REAL = 8 };

struct qaio_scpi_server {
    qaio_loop *loop;
    qaio_server *srv;
    qaio_instrument *scope;     /* both channels enabled; owned */
    qaio_lock *acq_lock;        /* one acquisition at a time, across sessions */
    qaio_scope_settings reset;  /* what *RST restores */
    bool average;               /* :ACQuire:TYPE AVERage */
    unsigned count;             /* :ACQuire:COUNt */
    int sessions;
};

typedef struct qaio__scpi_session {
    qaio_scpi_server *srv;
    qaio_stream *conn;
    /* status */
    struct {
        int num;
        char msg[112];
    } errq[QAIO_SCPI_ERROR_QUEUE];
    unsigned nerr;
    unsigned esr, ese;
    /* run state and this session's record (both channels) */
    bool running;
    qaio_trace *rec;
    bool rec_valid;
    unsigned rec_count;
    /* :WAVeform settings */
    unsigned source;
    int format;
    bool lsb_first;
    size_t wav_points;          /* 0: the whole record */
    /* the response of the current line */
    char *out;
    size_t outlen, outcap;
    unsigned units;
    /* input framing */
    bool discarding;
    size_t inlen;
    char in[QAIO_SCPI_LINE_MAX + 2];
    qaio_scpi_program prog;
} qaio__scpi_session;

/* Queues a SCPI error (detail may be NULL) and sets the matching *ESR bit. */
void qaio__scpi_push_error(qaio__scpi_session *s, int num, const char *detail);

/* Starts a response unit (a ';' after the first of the line). */
void qaio__scpi_begin_unit(qaio__scpi_session *s);

/* Appends to the response; sends it when large, with back-pressure.
 * 0 or a stream error (the session then ends). */
int qaio__scpi_out(qaio__scpi_session *s, const void *data, size_t n);
int qaio__scpi_printf(qaio__scpi_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* n bytes of room at the end of the response buffer (flushing first if
 * needed); the caller fills them and adds n to s->outlen. NULL: error in
 * *err. */
char *qaio__scpi_reserve(qaio__scpi_session *s, size_t n, int *err);

/* Runs one parsed command. SCPI errors are queued (return 0); a negative
 * return is a qaio error (I/O, cancellation) that ends the session. */
int qaio__scpi_execute(qaio__scpi_session *s, const qaio_scpi_command *c);

/* Session defaults (*RST's part of a session). */
void qaio__scpi_session_reset(qaio__scpi_session *s);

#endif
