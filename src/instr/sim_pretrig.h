/* Internal to the simulator's personalities (sim_redpitaya.c,
 * sim_rigol_ds1000z.c): records with samples from before the trigger.
 *
 * The shared simulated scope (scope.h) starts every record at its trigger
 * sample, but a Red Pitaya or a Rigol returns a buffer with the trigger
 * inside it (the middle, by default). The signal is a deterministic
 * function of the stream position, so the held record is regenerated over
 * the window the instrument would have kept: its first sample `pre`
 * samples before the trigger the scope found (pre < 0: after it). Not
 * installed. */
#ifndef QAIO_SRC_INSTR_SIM_PRETRIG_H
#define QAIO_SRC_INSTR_SIM_PRETRIG_H

#include "scpi_session.h"

/* Rewrites the session's held record (both channels, its length kept) to
 * start pre samples before its trigger, and sets its x0 to -pre / fs. The
 * session gets a private copy (qaio__sim_own): the record other sessions
 * share is left alone. Returns 1 when done, 0 when the trigger came less
 * than pre samples after the simulation started (no such samples exist:
 * the caller takes another record, as the instrument keeps waiting until
 * its pre-trigger buffer is full), QAIO_EINVAL when no record is held,
 * QAIO_ENOMEM when no copy could be made (-225 queued). */
int qaio__sim_pretrigger(qaio__scpi_session *s, long pre);

/* Takes a record now (qaio__sim_take) and moves its window as above,
 * taking another while the first came too early. 0 (held, or a SCPI
 * error queued) or a fatal error. */
int qaio__sim_take_pretrigger(qaio__scpi_session *s, long pre);

#endif
