/* qaio/instr/scpi.h - the SCPI client driver: a remote oscilloscope as a
 * qaio_instrument, so run_single, continuous mode and the spectrum analyzer
 * work on it exactly as on the simulated scope.
 *
 * Wire protocol: raw-socket SCPI over a qaio stream, the command set of
 * scpi_server.h (qaio-instrument-sim) -- which is the Keysight-style subset
 * most scopes speak. On connecting the driver asks *IDN?, selects
 * :WAVeform:FORMat REAL and :BYTeorder LSBFirst (float32 volts: lossless,
 * no conversion on x86), and reads the acquisition settings. Each record is
 * one round trip:
 *     ":DIGitize;:WAV:SOUR CHAN1;:WAV:PRE?;:WAV:DATA?[;:WAV:SOUR CHAN2;...]"
 * and the answer "<preamble>;#<d><len><bytes>[;...]\n" is read with
 * readuntil / readexactly and converted to volts per the preamble (BYTE,
 * WORD, ASCii and REAL are all understood, so a server that ignores the
 * format request still works). x0 and dx come from the preamble.
 *
 * Bounds and failures:
 *   - what the instrument sends is bounded: the connection buffers at
 *     most 1 MiB of unread answer (its stream limit); the answers to the
 *     driver's own queries go to fixed buffers (*IDN? 256 bytes, the
 *     settings 512, :SYSTem:ERRor? 200), and a longer one fails with
 *     QAIO_EMSGSIZE (QAIO_EPROTO while connecting); a block header
 *     announcing more than QAIO_SCPI_MAX_BLOCK bytes, or a preamble over
 *     1 KiB, fails with QAIO_EMSGSIZE; the block buffer grows to the
 *     largest block received;
 *   - the record is sized from the preamble only once the block length
 *     agrees with it (a binary block holds exactly its points, an ASCii
 *     one at least two bytes a point), so it takes at most 4 bytes per
 *     block byte; a malformed answer fails with QAIO_EPROTO: among others
 *     settings whose points, rate or level are not finite (or the points
 *     not a size_t), a format other than 0, 1, 4, 8, an ASCii value over
 *     63 characters;
 *   - every exchange has a deadline: the acquisition's timeout when given,
 *     else the driver's io timeout (qaio_scpi_scope_open) plus the record
 *     time; QAIO_ETIMEDOUT;
 *   - a server that vanished: QAIO_ECONNRESET or QAIO_EPIPE (or
 *     QAIO_ETIMEDOUT if it stopped answering);
 *   - after any failed or cancelled exchange the connection is closed (the
 *     answer may still be on its way, so the stream is out of step). The
 *     next acquire or query reconnects once, re-applying the driver's
 *     settings; qaio_scpi_scope_reconnect does it explicitly.
 * A SCPI error reported by the instrument (after setting something) is
 * QAIO_EIO, with the instrument's message in qaio_scpi_scope_last_error.
 *
 * Threads: the loop's thread, as every instrument (QAIO_EWRONGTHREAD).
 * One exchange at a time per instrument: QAIO_EBUSY for a second.
 */
#ifndef QAIO_INSTR_SCPI_H
#define QAIO_INSTR_SCPI_H

#include "qaio/instr/instrument.h"
#include "qaio/instr/scope.h"
#include "qaio/instr/scpi_parser.h"
#include "qaio/instr/scpi_server.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest data block the driver accepts (64 MiB: a 16M-point float
 * record). */
#define QAIO_SCPI_MAX_BLOCK ((size_t)64 << 20)

/* Connects to a SCPI scope at host:port (port <= 0: QAIO_SCPI_PORT), with
 * timeout_s (> 0) for the connection and as the io timeout of later
 * exchanges. *out is a new instrument the caller owns
 * (qaio_instrument_free). The record is channel 1 until
 * qaio_scpi_scope_set_settings says otherwise. Waits like every qaio call
 * (suspends in a task, nested loop outside). Returns 0, QAIO_EINVAL,
 * QAIO_EWRONGTHREAD, a qaio_open_connection error (QAIO_ECONNREFUSED,
 * QAIO_ENOENT, QAIO_ETIMEDOUT, ...), QAIO_EPROTO (the peer does not answer
 * *IDN? like a SCPI instrument) or QAIO_ENOMEM. Loop thread. */
int qaio_scpi_scope_open(qaio_loop *loop, const char *host, int port, double timeout_s,
                         qaio_instrument **out);

/* Closes the connection (if any) and opens it again, then re-applies the
 * settings last set through this driver. Same errors as open, plus
 * QAIO_EBUSY while an exchange is under way. */
int qaio_scpi_scope_reconnect(qaio_instrument *inst);

/* Is the connection open? (false after a failed exchange until the next
 * reconnect). */
bool qaio_scpi_scope_connected(const qaio_instrument *inst);

/* Sends one program line (cmd, no terminator needed) and, if it contains a
 * query, reads the answer line into resp (cap bytes, NUL-terminated, the
 * '\n' removed; resp may be NULL when cmd has no query). Returns the
 * answer's length (0 without a query), or QAIO_EMSGSIZE (answer over cap),
 * QAIO_ETIMEDOUT (the io timeout), a connection error, QAIO_EBUSY.
 * Loop thread. */
int qaio_scpi_scope_query(qaio_instrument *inst, const char *cmd, char *resp, size_t cap);

/* Applies settings on the instrument: points, rate, trigger mode, slope,
 * source and level (auto_timeout_s and latency_s are the instrument's own
 * business and are ignored), and which channels each record carries (the
 * mask). Only the values that differ from the instrument's present ones
 * (read first) are sent, so a field left alone is never refused (many
 * scopes take no :ACQuire:SRATe). Then reads :SYSTem:ERRor? -- a refused
 * setting is QAIO_EIO with the instrument's message kept for
 * qaio_scpi_scope_last_error, the connection kept, and the settings it did
 * take readable with qaio_scpi_scope_get_settings. The settings are kept
 * and re-applied on reconnect. QAIO_EINVAL for values qaio_scope_new would
 * refuse. Loop thread. */
int qaio_scpi_scope_set_settings(qaio_instrument *inst, const qaio_scope_settings *s);

/* Reads the instrument's settings (a round trip) into *out; the channel
 * mask is the driver's. Loop thread. */
int qaio_scpi_scope_get_settings(qaio_instrument *inst, qaio_scope_settings *out);

/* The instrument's *IDN? answer (borrowed, valid until the next reconnect
 * or free), or NULL. */
const char *qaio_scpi_scope_idn(const qaio_instrument *inst);

/* The last SCPI error the instrument reported to the driver (e.g.
 * "-222,\"Data out of range\""), or "" (borrowed). */
const char *qaio_scpi_scope_last_error(const qaio_instrument *inst);

/* "host:port" of the instrument (borrowed), or NULL. */
const char *qaio_scpi_scope_address(const qaio_instrument *inst);

#ifdef __cplusplus
}
#endif
#endif
