/** qaio/instr/scpi_server.h - a SCPI server serving the simulated scope over
 * TCP: what apps/qaio-instrument-sim runs, and what tests start in-process.
 *
 * Personalities: the server answers as one oscilloscope family does
 * (options.personality): identity, default port, commands, data formats,
 * scaling and error reporting follow that family's programming manual,
 * over the same simulated two-channel scope. "qaio", the default, is
 * qaio's own dialect, documented below; the others are listed by
 * qaio_scpi_server_personality_name and described in their source files
 * (`src/instr/sim_<family>.c`) and the README's table.
 *
 * Protocol: raw socket SCPI (port 5025 by default), one program message per
 * line, '\n' terminated ("\r\n" accepted); responses end with '\n' and the
 * response units of one line are joined by ';' (IEEE 488.2). Grammar: see
 * scpi_parser.h (short/long forms, any case, ';' chains, relative paths).
 *
 * Sessions: every connection is its own session with its own error queue
 * (16 entries; when a 17th error comes the last entry becomes -350 "Queue
 * overflow" and the new one is lost, SCPI-99 21.8.2), *ESR, *ESE, *SRE,
 * :STATus registers, :WAVeform settings, run state (RUN/STOP) and held
 * record, the way an instrument keeps per-interface state. The scope's
 * settings -- :ACQuire, :TRIGger, the signal -- are one set shared by all
 * sessions: what one session sets, the others' next records use.
 *
 * Records: the scope takes one record at a time, each with a deadline
 * (options.acquire_timeout_s, default 10 s; past it the query fails with
 * -240 "Hardware error;acquisition timed out", holds nothing, and the
 * session goes on). A session that wants a record while one is being
 * taken with the current settings shares it; one that wants another
 * (the settings changed meanwhile) waits for it to end -- at most its
 * deadline -- then takes its own. So a session waits at most for the
 * record under way and its own, 2 x acquire_timeout_s. A record nobody
 * waits for any more (its sessions left, timed out or were interrupted)
 * is cancelled at once. Sessions sharing a record are answered those
 * whose clients have read their earlier responses first, then those whose
 * clients lag (a client pipelining queries it never reads costs the
 * others no latency). Records are immutable and shared: 30 sessions
 * holding the same record cost one record. Running, a :WAVeform:DATA?
 * keeps no record once sent; the records alive at once (held, being
 * taken) are bounded by options.max_record_bytes (default 256 MiB, eight
 * records of 4M points on both channels): a record that would go over
 * fails with -225 "Out of memory".
 *
 * Input and interrupts: a session reads its input while its command runs.
 * Up to QAIO_SCPI_SERVER_QUEUED_LINES complete lines wait in its queue;
 * past that the server stops reading the connection, so a client that
 * pipelines queries and never reads fills its own socket buffers, not
 * the server's memory (the response bytes a session buffers are bounded
 * too, see Bounds). A line with *RST, *CLS, :STOP or :ABORt (or a
 * personality's equivalent) aborts, as it arrives, the acquisitions of
 * the lines queued before it -- also the one that line's session is
 * blocked in: that query fails with -410 "Query INTERRUPTED;acquisition
 * aborted", the session's armed record is cancelled, and the line then
 * runs in its turn. (Device clear has no raw-socket form; closing the
 * connection is it.) A connection that ends -- the peer closed or reset
 * it, or half-closed it: its end of stream -- aborts the acquisition its
 * session waits for and those of the lines still queued, which otherwise
 * run (settings sent by "echo ... | nc" still apply). Apart from those
 * aborts a session runs its commands in order, so *WAI is a no-op and
 * *OPC? answers 1 once every command before it has completed.
 *
 * Sessions are capped (options.max_sessions, default 64): a connection
 * over the cap is closed at once, before reading anything (the client
 * reads end of stream). A session that sends nothing for
 * options.idle_timeout_s (default 300 s; negative: never) while it has
 * nothing to do is closed.
 *
 * Commands (mnemonics in their long form; the upper-case part is the short
 * form; "?" marks queries, "/?" both):
 * @verbatim
 *   *IDN?  *RST  *CLS  *OPC /?  *WAI  *ESR?  *ESE /?  *SRE /?  *STB?  *TST?
 *        *STB?: bit 2 error queue not empty, 3 QUEStionable summary,
 *        5 *ESR & *ESE, 7 OPERation summary, 6 (MSS) any of those & *SRE
 *   :SYSTem:ERRor[:NEXT]?  :SYSTem:ERRor:COUNt?  :SYSTem:VERSion? ("1999.0")
 *   :STATus:OPERation[:EVENt]?  :STATus:OPERation:CONDition?
 *   :STATus:OPERation:ENABle /?  (condition bits 4 MEASuring and 5 waiting
 *        for TRIGger while an armed record is pending; the event register
 *        reads and clears)   :STATus:QUEStionable[:EVENt]? | :CONDition? |
 *        :ENABle /? (nothing is questionable: 0)   :STATus:PRESet (enables
 *        to 0)
 *   :RUN  :STOP  :SINGle  :DIGitize [CHANnel<n>{,CHANnel<n>}]
 *        RUN (the state after *RST): :WAVeform:DATA? takes a fresh record;
 *        STOP: it returns the held record (-230 if none); SINGle and
 *        DIGitize take one record (ACQuire:COUNt of them, averaged, with
 *        :ACQuire:TYPE AVERage), hold it and stop -- both complete before
 *        the next command runs.
 *   :TRIGger:SWEep /? AUTO|NORMal|SINGle|FORCe   (FORCe: free run)
 *   :TRIGger:EDGE:LEVel /? <volts>   :TRIGger:EDGE:SLOPe /? POSitive|NEGative|EITHer
 *   :TRIGger:EDGE:SOURce /? CHANnel1|CHANnel2
 *   :TRIGger:FORCe  triggers the record waiting for an edge now; with none
 *        waiting it latches: the next acquisition (any session's, as the
 *        trigger is the scope's) triggers at once, and the latch clears
 *   :ACQuire:POINts /? 2..4194304   :ACQuire:SRATe /? <Hz> (setting it is a
 *   qaio extension)   :ACQuire:TYPE /? NORMal|AVERage   :ACQuire:COUNt /? 1..65536
 *   :WAVeform:SOURce /? CHANnel1|CHANnel2
 *   :WAVeform:FORMat /? BYTE|WORD|ASCii|REAL   (default WORD)
 *   :WAVeform:BYTeorder /? MSBFirst|LSBFirst   (default MSBFirst, IEEE 488.2's)
 *   :WAVeform:POINts /? <n>|MAXimum   (0 or MAX: the whole record; else the
 *                                      first n points)
 *   :WAVeform:PREamble?   :WAVeform:DATA?   (running, a :WAV:PRE? takes
 *        a fresh record and the :WAV:DATA? after it sends that record:
 *        one record per pair; a :WAV:DATA? alone takes a fresh one)
 *   :SIMulation:SIGNal /? "<description>"   (signal.h; both channels)
 *   :SIMulation:ARM   a :SINGle that returns at once: the record is taken
 *        in the background (as families with a non-blocking single do);
 *        *OPC? and *WAI wait for it   :SIMulation:RECord?  IDLE, WAIT
 *        (armed, not taken yet) or HELD
 *   Queries of a numeric setting (:ACQ:POIN? :ACQ:SRAT? :ACQ:COUN?
 *   :TRIG:LEV? :WAV:POIN?) take MINimum|MAXimum and answer the limit;
 *   :WAV:POIN? answers the points :WAV:DATA? would send (never 0).
 *   Numbers take SCPI suffixes: "2MHZ", "100mV", "10US", "5E-3 S"
 *   (qaio_scpi_arg_number: M is milli, but MHZ and MOHM are mega).
 * @endverbatim
 *
 * Preamble: "format,type,points,count,xincrement,xorigin,xreference,
 * yincrement,yorigin,yreference" with format 0 BYTE, 1 WORD, 4 ASCii,
 * 8 REAL; type 0 normal, 2 average; volts = (code - yreference) * yincrement
 * + yorigin, time of point i = (i - xreference) * xincrement + xorigin. It
 * describes the held record when stopped, the record the next :WAV:DATA?
 * sends when running.
 * Data: an IEEE 488.2 definite-length block "#<d><len><bytes>": BYTE as
 * signed 8-bit codes, WORD as signed 16-bit codes, REAL as IEEE float32
 * volts (yincrement 1, yorigin 0), in the :BYTeorder; ASCii as
 * comma-separated volts ("%.9g") inside the block too -- qaio's dialect
 * frames every format alike, and its driver (scope_qaio.c) expects it;
 * the personalities whose manuals send ASCii as a bare list do so.
 *
 * Bounds: a line over QAIO_SCPI_LINE_MAX bytes is discarded through its
 * '\n' and queues -223 "Too much data"; the connection stays open. Blocks
 * are written in pieces with back-pressure (about 256 KiB buffered per
 * session, and a kernel send buffer of QAIO_SCPI_SERVER_SNDBUF: a client
 * that does not read is throttled after a few responses); a client that
 * reads nothing for options.send_timeout_s
 * (default QAIO_SCPI_SERVER_SEND_TIMEOUT_S) seconds while a response waits
 * is disconnected. A query that fails sends no response unit (SCPI's rule)
 * and queues its error. Per session the server keeps at most
 * QAIO_SCPI_SERVER_QUEUED_LINES lines of input, one line being framed, the
 * stream's read buffer (QAIO_STREAM_LIMIT) and a response piece; records
 * are bounded server-wide (above). qaio_scpi_server_stats_get tells what
 * is held.
 * @file
 * @ingroup scpi_server
 */
/** @defgroup scpi_server SCPI server
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_SCPI_SERVER_H
#define QAIO_INSTR_SCPI_SERVER_H

#include <stddef.h>
#include "qaio/loop.h"
#include "qaio/instr/instrument.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QAIO_SCPI_PORT 5025 /**< the default TCP port of raw-socket SCPI */
/** the longest record a client may ask for */
#define QAIO_SCPI_SERVER_MAX_POINTS ((size_t)1 << 22)
#define QAIO_SCPI_SERVER_SEND_TIMEOUT_S 30.0 /**< default options.send_timeout_s */
#define QAIO_SCPI_SERVER_ACQUIRE_TIMEOUT_S 10.0 /**< default options.acquire_timeout_s */
#define QAIO_SCPI_SERVER_MAX_SESSIONS 64 /**< default options.max_sessions */
#define QAIO_SCPI_SERVER_IDLE_TIMEOUT_S 300.0 /**< default options.idle_timeout_s */
/** default bound of the bytes of records held server-wide */
#define QAIO_SCPI_SERVER_RECORD_BYTES ((size_t)256 << 20)
#define QAIO_SCPI_SERVER_QUEUED_LINES 8 /**< input lines a session keeps before it stops reading */
#define QAIO_SCPI_SERVER_SNDBUF (128 * 1024) /**< SO_SNDBUF of a session's socket */
#define QAIO_SCPI_ERROR_QUEUE 16 /**< entries of a session's error queue */

/** A running SCPI server (opaque; qaio_scpi_server_close). */
typedef struct qaio_scpi_server qaio_scpi_server;

/** What the server serves, where, and its bounds. */
typedef struct qaio_scpi_server_options {
    const char *host;   /**< NULL: "127.0.0.1" (loopback unless asked) */
    int port;           /**< 0: any free port (see qaio_scpi_server_port) */
    const char *signal; /**< both channels' input (signal.h); NULL: QAIO_SIGNAL_DEFAULT */
    double rate;        /**< sample rate, Hz (default 1e6) */
    size_t points;      /**< record length (default 1024) */
    double latency_s;   /**< added to every acquisition (default 0) */
    const char *personality; /**< the family to answer as; NULL: "qaio" */
    /** Bounds (0: the default in brackets; see "Bounds" above). */
    double acquire_timeout_s; /**< one record's deadline [QAIO_SCPI_SERVER_ACQUIRE_TIMEOUT_S] */
    int max_sessions;         /**< connections served at once [QAIO_SCPI_SERVER_MAX_SESSIONS] */
    double idle_timeout_s;    /**< a silent session ends [QAIO_SCPI_SERVER_IDLE_TIMEOUT_S];
                               * < 0: never */
    double send_timeout_s;    /**< a peer reading nothing ends [QAIO_SCPI_SERVER_SEND_TIMEOUT_S] */
    size_t max_record_bytes;  /**< all records alive at once [QAIO_SCPI_SERVER_RECORD_BYTES] */
} qaio_scpi_server_options;

/** What a server holds now (qaio_scpi_server_stats). */
typedef struct qaio_scpi_server_stats {
    int sessions;            /**< connections being served */
    size_t records;          /**< distinct records alive (held by sessions or being taken) */
    size_t record_bytes;     /**< their samples' bytes */
    size_t acquisitions;     /**< records taken since the start */
    size_t shared;           /**< record requests served by an acquisition already under way */
    size_t refused;          /**< connections refused over max_sessions */
    size_t queued_lines;     /**< input lines waiting in the sessions' queues */
    size_t output_bytes;     /**< response bytes buffered and not yet sent */
} qaio_scpi_server_stats;

/** Fills o with the defaults above (port QAIO_SCPI_PORT). NULL is ignored. */
void qaio_scpi_server_options_default(qaio_scpi_server_options *o);

/** Starts a server on loop with options o (copied; NULL: defaults). *out
 * is the caller's (qaio_scpi_server_close). On error a one-line reason goes
 * to msg (msgcap bytes, may be NULL). Returns 0, QAIO_EINVAL (bad options
 * or signal), QAIO_EADDRINUSE, QAIO_EADDRNOTAVAIL, QAIO_ENOENT, QAIO_ENOMEM,
 * QAIO_EWRONGTHREAD (not loop's thread) or another qaio_start_server error. */
int qaio_scpi_server_start(qaio_loop *loop, const qaio_scpi_server_options *o,
                           qaio_scpi_server **out, char *msg, size_t msgcap);

/** The bound TCP port, or QAIO_EINVAL. Any thread. */
int qaio_scpi_server_port(const qaio_scpi_server *srv);

/** Sessions connected now, or QAIO_EINVAL. Loop thread. */
int qaio_scpi_server_sessions(const qaio_scpi_server *srv);

/** Fills *out with what srv holds now. 0 or QAIO_EINVAL. Loop thread. */
int qaio_scpi_server_stats_get(const qaio_scpi_server *srv, qaio_scpi_server_stats *out);

/** The served scope (borrowed; the server owns it). Settings changed through
 * it apply to the next acquisition. NULL for NULL. Loop thread. */
qaio_instrument *qaio_scpi_server_scope(const qaio_scpi_server *srv);

/** The personalities: the name of the i-th ("rigol-ds1000z"), NULL past
 * the last. Any thread. */
const char *qaio_scpi_server_personality_name(size_t i);

/** The default TCP port of the personality named name, or QAIO_EINVAL for
 * no such personality. Any thread. */
int qaio_scpi_server_personality_port(const char *name);

/** The personality srv answers as (static), or NULL. Any thread. */
const char *qaio_scpi_server_personality(const qaio_scpi_server *srv);

/** Stops accepting, ends every session (cancelling what it waits for) and
 * waits for them, then frees srv. NULL returns 0. QAIO_EWRONGTHREAD off the loop's
 * thread (nothing happens). */
int qaio_scpi_server_close(qaio_scpi_server *srv);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
