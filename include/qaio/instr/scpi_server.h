/* qaio/instr/scpi_server.h - a SCPI server serving the simulated scope over
 * TCP: what apps/qaio-instrument-sim runs, and what tests start in-process.
 *
 * Personalities: the server answers as one oscilloscope family does
 * (options.personality): identity, default port, commands, data formats,
 * scaling and error reporting follow that family's programming manual,
 * over the same simulated two-channel scope. "qaio", the default, is
 * qaio's own dialect, documented below; the others are listed by
 * qaio_scpi_server_personality_name and described in their source files
 * (src/instr/sim_<family>.c) and the README's table.
 *
 * Protocol: raw socket SCPI (port 5025 by default), one program message per
 * line, '\n' terminated ("\r\n" accepted); responses end with '\n' and the
 * response units of one line are joined by ';' (IEEE 488.2). Grammar: see
 * scpi_parser.h (short/long forms, any case, ';' chains, relative paths).
 *
 * Sessions: every connection is its own session with its own error queue
 * (16 entries; when full the last becomes -350 "Queue overflow"), *ESR and
 * *ESE, and :WAVeform settings, the way an instrument keeps per-interface
 * state; the scope itself -- acquisition settings, trigger, run state and
 * the held record -- is shared by all. Acquisitions of different sessions
 * are serialised. A session runs its commands in order, so *WAI is a no-op
 * and *OPC? answers 1 once every command before it has completed.
 *
 * Commands (mnemonics in their long form; the upper-case part is the short
 * form; "?" marks queries, "/?" both):
 *   *IDN?  *RST  *CLS  *OPC /?  *WAI  *ESR?  *ESE /?  *STB?  *TST?
 *   :SYSTem:ERRor[:NEXT]?  :SYSTem:ERRor:COUNt?
 *   :RUN  :STOP  :SINGle  :DIGitize [CHANnel<n>{,CHANnel<n>}]
 *        RUN (the state after *RST): :WAVeform:DATA? takes a fresh record;
 *        STOP: it returns the held record (-230 if none); SINGle and
 *        DIGitize take one record (ACQuire:COUNt of them, averaged, with
 *        :ACQuire:TYPE AVERage), hold it and stop -- both complete before
 *        the next command runs.
 *   :TRIGger:SWEep /? AUTO|NORMal|SINGle|FORCe   (FORCe: free run)
 *   :TRIGger:EDGE:LEVel /? <volts>   :TRIGger:EDGE:SLOPe /? POSitive|NEGative|EITHer
 *   :TRIGger:EDGE:SOURce /? CHANnel1|CHANnel2    :TRIGger:FORCe
 *   :ACQuire:POINts /? 2..4194304   :ACQuire:SRATe /? <Hz> (setting it is a
 *   qaio extension)   :ACQuire:TYPE /? NORMal|AVERage   :ACQuire:COUNt /? 1..65536
 *   :WAVeform:SOURce /? CHANnel1|CHANnel2
 *   :WAVeform:FORMat /? BYTE|WORD|ASCii|REAL   (default WORD)
 *   :WAVeform:BYTeorder /? MSBFirst|LSBFirst   (default MSBFirst, IEEE 488.2's)
 *   :WAVeform:POINts /? <n>|MAXimum   (0 or MAX: the whole record; else the
 *                                      first n points)
 *   :WAVeform:PREamble?   :WAVeform:DATA?
 *   :SIMulation:SIGNal /? "<description>"   (signal.h; both channels)
 *
 * Preamble: "format,type,points,count,xincrement,xorigin,xreference,
 * yincrement,yorigin,yreference" with format 0 BYTE, 1 WORD, 4 ASCii,
 * 8 REAL; type 0 normal, 2 average; volts = (code - yreference) * yincrement
 * + yorigin, time of point i = (i - xreference) * xincrement + xorigin. It
 * describes the held record when stopped, the next record when running.
 * Data: an IEEE 488.2 definite-length block "#<d><len><bytes>": BYTE as
 * signed 8-bit codes, WORD as signed 16-bit codes, REAL as IEEE float32
 * volts (yincrement 1, yorigin 0), in the :BYTeorder; ASCii as
 * comma-separated volts ("%.9g") inside the block.
 *
 * Bounds: a line over QAIO_SCPI_LINE_MAX bytes is discarded through its
 * '\n' and queues -223 "Too much data"; the connection stays open. Blocks
 * are written in pieces with back-pressure; a client that reads nothing for
 * QAIO_SCPI_SERVER_SEND_TIMEOUT_S seconds is disconnected. A query that
 * fails sends no response unit (SCPI's rule) and queues its error.
 */
#ifndef QAIO_INSTR_SCPI_SERVER_H
#define QAIO_INSTR_SCPI_SERVER_H

#include <stddef.h>
#include "qaio/loop.h"
#include "qaio/instr/instrument.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QAIO_SCPI_PORT 5025
#define QAIO_SCPI_SERVER_MAX_POINTS ((size_t)1 << 22)
#define QAIO_SCPI_SERVER_SEND_TIMEOUT_S 30.0
#define QAIO_SCPI_SERVER_ACQUIRE_TIMEOUT_S 10.0
#define QAIO_SCPI_SERVER_MAX_SESSIONS 64
#define QAIO_SCPI_SERVER_IDLE_TIMEOUT_S 300.0
#define QAIO_SCPI_SERVER_RECORD_BYTES ((size_t)512 << 20)
#define QAIO_SCPI_SERVER_QUEUED_LINES 8
#define QAIO_SCPI_ERROR_QUEUE 16

typedef struct qaio_scpi_server qaio_scpi_server;

typedef struct qaio_scpi_server_options {
    const char *host;   /* NULL: "127.0.0.1" (loopback unless asked) */
    int port;           /* 0: any free port (see qaio_scpi_server_port) */
    const char *signal; /* both channels' input (signal.h); NULL: QAIO_SIGNAL_DEFAULT */
    double rate;        /* sample rate, Hz (default 1e6) */
    size_t points;      /* record length (default 1024) */
    double latency_s;   /* added to every acquisition (default 0) */
    const char *personality; /* the family to answer as; NULL: "qaio" */
    /* Bounds (0: the default in brackets; see "Bounds" above). */
    double acquire_timeout_s; /* one record's deadline [QAIO_SCPI_SERVER_ACQUIRE_TIMEOUT_S] */
    int max_sessions;         /* connections served at once [QAIO_SCPI_SERVER_MAX_SESSIONS] */
    double idle_timeout_s;    /* a silent session ends [QAIO_SCPI_SERVER_IDLE_TIMEOUT_S]; < 0: never */
    double send_timeout_s;    /* a peer reading nothing ends [QAIO_SCPI_SERVER_SEND_TIMEOUT_S] */
    size_t max_record_bytes;  /* all records alive at once [QAIO_SCPI_SERVER_RECORD_BYTES] */
} qaio_scpi_server_options;

/* What a server holds now (qaio_scpi_server_stats). */
typedef struct qaio_scpi_server_stats {
    int sessions;            /* connections being served */
    size_t records;          /* distinct records alive (held by sessions or being taken) */
    size_t record_bytes;     /* their samples' bytes */
    size_t acquisitions;     /* records taken since the start */
    size_t shared;           /* record requests served by an acquisition already under way */
    size_t refused;          /* connections refused over max_sessions */
    size_t queued_lines;     /* input lines waiting in the sessions' queues */
    size_t output_bytes;     /* response bytes buffered and not yet sent */
} qaio_scpi_server_stats;

/* Fills o with the defaults above (port QAIO_SCPI_PORT). NULL is ignored. */
void qaio_scpi_server_options_default(qaio_scpi_server_options *o);

/* Starts a server on loop with options o (copied; NULL: defaults). *out
 * is the caller's (qaio_scpi_server_close). On error a one-line reason goes
 * to msg (msgcap bytes, may be NULL). Returns 0, QAIO_EINVAL (bad options
 * or signal), QAIO_EADDRINUSE, QAIO_EADDRNOTAVAIL, QAIO_ENOENT, QAIO_ENOMEM,
 * QAIO_EPERM (not loop's thread) or another qaio_start_server error. */
int qaio_scpi_server_start(qaio_loop *loop, const qaio_scpi_server_options *o,
                           qaio_scpi_server **out, char *msg, size_t msgcap);

/* The bound TCP port, or QAIO_EINVAL. Any thread. */
int qaio_scpi_server_port(const qaio_scpi_server *srv);

/* Sessions connected now, or QAIO_EINVAL. Loop thread. */
int qaio_scpi_server_sessions(const qaio_scpi_server *srv);

/* Fills *out with what srv holds now. 0 or QAIO_EINVAL. Loop thread. */
int qaio_scpi_server_stats_get(const qaio_scpi_server *srv, qaio_scpi_server_stats *out);

/* The served scope (borrowed; the server owns it). Settings changed through
 * it apply to the next acquisition. NULL for NULL. Loop thread. */
qaio_instrument *qaio_scpi_server_scope(const qaio_scpi_server *srv);

/* The personalities: the name of the i-th ("rigol-ds1000z"), NULL past
 * the last. Any thread. */
const char *qaio_scpi_server_personality_name(size_t i);

/* The default TCP port of the personality named name, or QAIO_EINVAL for
 * no such personality. Any thread. */
int qaio_scpi_server_personality_port(const char *name);

/* The personality srv answers as (static), or NULL. Any thread. */
const char *qaio_scpi_server_personality(const qaio_scpi_server *srv);

/* Stops accepting, ends every session (cancelling what it waits for) and
 * waits for them, then frees srv. NULL returns 0. QAIO_EPERM off the loop's
 * thread (nothing happens). */
int qaio_scpi_server_close(qaio_scpi_server *srv);

#ifdef __cplusplus
}
#endif
#endif
