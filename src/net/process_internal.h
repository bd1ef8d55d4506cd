/* What the process files share: the process, and the calls between
 * spawning, child watching and the waits. Not installed. */
#ifndef QAIO_PROCESS_INTERNAL_H
#define QAIO_PROCESS_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>
#include "qaio/process.h"
#include "io_internal.h"

enum { RUNNING, EXITED, LOST };

struct qaio_process {
    qaio_loop *loop;
    pid_t pid;
    int state;
    int wstatus, returncode;
    int pidfd;           /* -1: watched by an executor job instead */
    qaio_future *job;    /* the executor's waitid job, while it runs */
    qaio_stream *stdio[3];
    qaio__waitq waiters; /* the qaio_process_wait calls in progress */
    bool communicating;
    bool freed;          /* the owner let go; reap() frees */
    qaio__orphan orphan; /* while freed: abandoned if the loop closes */
};

/* --- child watching (process_watch.c) --- */

/* Starts watching for the child's exit, by the best mechanism there is: a
 * pidfd in the loop, else an executor job blocked in waitid(WNOWAIT). Its
 * end is reaped on the loop thread, which completes the waits (or frees a
 * process its owner let go). 0 or a negative error (then nothing
 * watches). */
int qaio__child_watch(qaio_process *p);

/* Stops the watch (closes the pidfd; drops the job, which ends with the
 * child). */
void qaio__child_unwatch(qaio_process *p);

/* The last resort when nothing can watch: kill the child and collect it
 * now, blocking. */
void qaio__child_collect_now(qaio_process *p);

/* The third mechanism, for a process whose loop is closed: a detached
 * thread blocked in waitpid collects the child. Frees p. */
void qaio__child_abandon(qaio_process *p);

/* The orphan hook of a freed process whose child still runs (the loop
 * closes first): qaio__child_abandon. */
void qaio__child_abandoned(qaio__orphan *o);

/* --- the waits (process.c) --- */

/* Completes every qaio_process_wait in progress: with err, or (0) with the
 * child's outcome. */
void qaio__process_wake_waiters(qaio_process *p, int err);

/* Closes and forgets the process's three streams. */
void qaio__process_close_streams(qaio_process *p);

#endif
