/** qaio/instr/scpi.h - the SCPI client driver: a remote oscilloscope as a
 * qaio_instrument, so run_single, continuous mode and the spectrum analyzer
 * work on it exactly as on the simulated scope.
 *
 * Families: one driver per oscilloscope family, each speaking that
 * family's own dialect from its programming manual (acquisition sequence,
 * data format, scaling, error reporting): Red Pitaya STEMlab, Rigol
 * DS1000Z/MSO5000, Keysight InfiniiVision, Siglent SDS1000X-E and
 * SDS2000X Plus, Tektronix TBS/MDO/MSO, Rohde & Schwarz RTB2000/RTM3000,
 * and qaio's own simulator (qaio_scpi_driver_name lists them). The family
 * is chosen from the *IDN? answer, or by name (options.driver). An
 * instrument no family claims is driven with qaio's dialect, the
 * Keysight-style SCPI-99 subset of scpi_server.h.
 *
 * Settings map onto the family's own model: where a scope has time/div
 * and no sample-rate command, the driver picks the time/div that gives the
 * requested record and reads back what the scope really uses; a setting
 * the family cannot make is QAIO_EIO with a message naming the instrument
 * and the setting (qaio_scpi_scope_last_error), never a silent mismatch.
 * Records are in volts, with the record length and time axis the
 * instrument returned.
 *
 * Addresses (qaio_scpi_address_parse): "HOST[:PORT]" (the family's default
 * port), VISA raw-socket resources "TCPIP[n]::HOST::PORT::SOCKET", VISA
 * USBTMC resources "USB[n]::VID::PID::SERIAL[::IFACE]::INSTR" (resolved to
 * the matching Linux /dev/usbtmc* device) and "usbtmc:/dev/usbtmcN".
 * VXI-11 and HiSLIP are not supported.
 *
 * Bounds and failures:
 *   - what the instrument sends is bounded: the connection buffers at
 *     most 1 MiB of unread answer (its stream limit); answer lines go to
 *     fixed buffers, and a longer one fails with QAIO_EMSGSIZE
 *     (QAIO_EPROTO while connecting); a block header announcing more than
 *     QAIO_SCPI_MAX_BLOCK bytes fails with QAIO_EMSGSIZE; the block buffer
 *     grows to the largest block received;
 *   - a malformed answer (a short block, a preamble that does not
 *     describe the data, a non-number where a number belongs) fails with
 *     QAIO_EPROTO, the instrument's words in qaio_scpi_scope_last_error;
 *   - every exchange has a deadline: the acquisition's timeout when given,
 *     else the driver's io timeout plus twice the record time;
 *     QAIO_ETIMEDOUT;
 *   - a server that vanished: QAIO_ECONNRESET or QAIO_EPIPE (or
 *     QAIO_ETIMEDOUT if it stopped answering);
 *   - after any failed or cancelled exchange the connection is closed (the
 *     answer may still be on its way, so the stream is out of step). The
 *     next acquire or query reconnects once, re-applying the driver's
 *     settings; qaio_scpi_scope_reconnect does it explicitly.
 * An error reported by the instrument (after setting something) is
 * QAIO_EIO, with the instrument's message in qaio_scpi_scope_last_error.
 *
 * Threads: the loop's thread, as every instrument (QAIO_EWRONGTHREAD).
 * One exchange at a time per instrument: QAIO_EBUSY for a second.
 * @file
 * @ingroup scpi
 */
/** @defgroup scpi SCPI client driver
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_SCPI_H
#define QAIO_INSTR_SCPI_H

#include "qaio/instr/instrument.h"
#include "qaio/instr/scope.h"
#include "qaio/instr/scpi_parser.h"
#include "qaio/instr/scpi_server.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest data block the driver accepts (64 MiB: a 16M-point float
 * record). */
#define QAIO_SCPI_MAX_BLOCK ((size_t)64 << 20)

/** Where an instrument is (qaio_scpi_address_parse). */
typedef struct qaio_scpi_address {
    char host[256];   /**< TCP: host name or address; "" for USBTMC */
    int port;         /**< TCP: 1..65535, or 0: the family's default */
    char device[256]; /**< USBTMC: the character device ("/dev/usbtmc0") */
} qaio_scpi_address;

/** Parses an address (see above) into *out. A VISA USB resource is resolved
 * to its `/dev/usbtmc*` device through sysfs. On error a one-line reason
 * goes to msg (msgcap bytes, may be NULL). Returns 0, QAIO_EINVAL (bad
 * syntax, a port out of 1..65535 or not all digits) or QAIO_ENOENT (no
 * USBTMC device has that vendor, product and serial). Any thread. */
int qaio_scpi_address_parse(const char *text, qaio_scpi_address *out, char *msg, size_t msgcap);

/** How to reach a remote oscilloscope (qaio_scpi_scope_options_default). */
typedef struct qaio_scpi_scope_options {
    const char *address; /**< qaio_scpi_address_parse's syntax */
    const char *driver;  /**< a family name (qaio_scpi_driver_name), or NULL / "auto": from *IDN? */
    double timeout_s;    /**< connection and io timeout, > 0 (default 5) */
} qaio_scpi_scope_options;

/** Fills o with the defaults (address NULL, driver NULL, timeout 5 s). */
void qaio_scpi_scope_options_default(qaio_scpi_scope_options *o);

/** Connects to the instrument at o->address with o's driver. With no port
 * in the address: the family's default port when the driver is named,
 * else the default ports of the families in turn (5025, 4000, 5000, 5555) until
 * one accepts. *out is a new instrument the caller owns
 * (qaio_instrument_free). On error a one-line reason naming the address
 * goes to msg ("127.0.0.1:5025: no answer to *IDN? within 3 s"; msgcap
 * bytes, may be NULL). Waits like every qaio call. Returns 0, QAIO_EINVAL
 * (bad options or address), QAIO_ENOENT (no such driver or device),
 * QAIO_EWRONGTHREAD, a connection error (QAIO_ECONNREFUSED, QAIO_ETIMEDOUT,
 * ...), QAIO_EPROTO (no *IDN? answer like a SCPI instrument's) or
 * QAIO_ENOMEM. Loop thread. */
int qaio_scpi_scope_connect(qaio_loop *loop, const qaio_scpi_scope_options *o,
                            qaio_instrument **out, char *msg, size_t msgcap);

/** @{ */
/** The drivers: name of the i-th family ("rigol-ds1000z"), NULL past the
 * last; its title ("Rigol DS1000Z / MSO5000") and default TCP port.
 * Any thread. */
const char *qaio_scpi_driver_name(size_t i);
const char *qaio_scpi_driver_title(size_t i);
int qaio_scpi_driver_port(size_t i);
/** @} */

/** The driver family an instrument was opened with (static), or NULL. */
const char *qaio_scpi_scope_driver(const qaio_instrument *inst);

/** The short form of qaio_scpi_scope_connect: the instrument at host:port
 * (port <= 0: QAIO_SCPI_PORT), driver chosen from *IDN?, timeout_s (> 0)
 * for the connection and as the io timeout of later exchanges. *out is a new instrument the caller owns
 * (qaio_instrument_free). The record is channel 1 until
 * qaio_scpi_scope_set_settings says otherwise. Waits like every qaio call
 * (suspends in a task, nested loop outside). Returns 0, QAIO_EINVAL,
 * QAIO_EWRONGTHREAD, a qaio_open_connection error (QAIO_ECONNREFUSED,
 * QAIO_ENOENT, QAIO_ETIMEDOUT, ...), QAIO_EPROTO (the peer does not answer
 * *IDN? like a SCPI instrument) or QAIO_ENOMEM. Loop thread. */
int qaio_scpi_scope_open(qaio_loop *loop, const char *host, int port, double timeout_s,
                         qaio_instrument **out);

/** Closes the connection (if any) and opens it again, then re-applies the
 * settings last set through this driver. Same errors as open, plus
 * QAIO_EBUSY while an exchange is under way. */
int qaio_scpi_scope_reconnect(qaio_instrument *inst);

/** Is the connection open? (false after a failed exchange until the next
 * reconnect). */
bool qaio_scpi_scope_connected(const qaio_instrument *inst);

/** Sends one program line (cmd, no terminator needed) and, if it contains a
 * query, reads the answer line into resp (cap bytes, NUL-terminated, the
 * '\n' removed; resp may be NULL when cmd has no query). Returns the
 * answer's length (0 without a query), or QAIO_EMSGSIZE (answer over cap),
 * QAIO_ETIMEDOUT (the io timeout), a connection error, QAIO_EBUSY.
 * Loop thread. */
int qaio_scpi_scope_query(qaio_instrument *inst, const char *cmd, char *resp, size_t cap);

/** Applies settings on the instrument: points, rate, trigger mode, slope,
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

/** Reads the instrument's settings (a round trip) into *out; the channel
 * mask is the driver's. Loop thread. */
int qaio_scpi_scope_get_settings(qaio_instrument *inst, qaio_scope_settings *out);

/** The instrument's *IDN? answer (borrowed, valid until the next reconnect
 * or free), or NULL. */
const char *qaio_scpi_scope_idn(const qaio_instrument *inst);

/** What went wrong last, naming the instrument: an error it reported
 * ("DS1104Z: :TIM:SCAL 1e-9: -222,\"Data out of range\""), a setting its
 * family cannot make, a malformed answer. "" if nothing did (borrowed). */
const char *qaio_scpi_scope_last_error(const qaio_instrument *inst);

/** "host:port" or the USBTMC device of the instrument (borrowed), or
 * NULL. */
const char *qaio_scpi_scope_address(const qaio_instrument *inst);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
