/** qaio.h - the umbrella header: an asyncio-style scheduler on Qt's event
 * loop, for C. See README.md and docs/.
 * @file
 * @ingroup core
 */
/** @defgroup core qaio: asyncio on the Qt event loop
 * @{ */
#ifndef QAIO_H
#define QAIO_H

#include "qaio/error.h"
#include "qaio/loop.h"
#include "qaio/future.h"
#include "qaio/task.h"
#include "qaio/sync.h"
#include "qaio/executor.h"
#include "qaio/qobject.h"
#include "qaio/io.h"
#include "qaio/stream.h"
#include "qaio/process.h"
#include "qaio/http.h"
#include "qaio/introspect.h"
#include "qaio/version.h" /* generated: QAIO_VERSION_*, qaio_version() */

/** @} */
#endif
