/* qaio.h - the umbrella header: an asyncio-style scheduler on Qt's event
 * loop, for C. See README.md and docs/. */
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

#define QAIO_VERSION_MAJOR 0
#define QAIO_VERSION_MINOR 1
#define QAIO_VERSION_PATCH 0

#endif
