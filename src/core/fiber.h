/* Fibers: a stack plus a saved machine context, switched with Boost.Context's
 * fcontext (make_fcontext / jump_fcontext, C ABI in libboost_context).
 *
 * The task layer (task.c) is the only user. A fiber runs fn(arg) on its own
 * stack; resume() switches into it until it suspends or fn returns.
 * Resumes nest: a fiber may resume another one (a task that runs a nested
 * Qt loop, which resumes another task); suspend always returns to whoever
 * resumed the current fiber. Thread-confined: a fiber is resumed only on the
 * thread that created it.
 *
 * Stacks are mmap'd, lazily committed, pooled for reuse, with a guard page
 * below (up to a budget of mappings, then a canary checked at every switch:
 * see stack_map.c). A stack overflow prints "qaio: task 'NAME' overflowed its
 * N KiB stack" before the process dies (SIGSEGV from a guard page, SIGABRT
 * from a canary), instead of a bare SIGSEGV. The first resume in a thread
 * installs that thread's alternate signal stack for the diagnosis.
 *
 * Misuse (resuming a running or finished fiber, suspending outside any
 * fiber, freeing a running one) is a bug in the caller: it prints a message
 * and aborts.
 */
#ifndef QAIO_FIBER_H
#define QAIO_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include "stack.h"

typedef struct qaio__fiber qaio__fiber;
typedef void (*qaio__fiber_fn)(void *arg);

#define QAIO__FIBER_DEFAULT_STACK (256 * 1024)

/* The stack a fiber asked for stack_size bytes gets (0:
 * QAIO__FIBER_DEFAULT_STACK; rounded up to pages, and to 16 KiB at least),
 * or 0 for an absurd size. */
size_t qaio__fiber_stack_bytes(size_t stack_size);

/* Creates a fiber that will run fn(arg) on a stack of
 * qaio__fiber_stack_bytes(stack_size) bytes, taken now (a pooled one if
 * any) with the fiber's record on its top page; a task creates its fiber
 * when it first runs, so a spawned task commits no stack page before then.
 * name is borrowed for diagnostics: it must stay readable until the fiber
 * is freed (a task passes its own name). It does not start until resumed.
 * NULL with errno on failure: ENOMEM, or EINVAL for a NULL fn or an absurd
 * size. */
qaio__fiber *qaio__fiber_new(size_t stack_size, const char *name, qaio__fiber_fn fn, void *arg);

/* Switches into f until it calls qaio__fiber_suspend() or fn returns.
 * Returns true once fn has returned (f must not be resumed again). May be
 * called from inside another fiber: that fiber is current again when this
 * returns. */
bool qaio__fiber_resume(qaio__fiber *f);

/* Inside a fiber: switches back to the context that resumed it (the latest
 * resumer, which may differ from one suspension to the next). Returns when
 * the fiber is resumed again. */
void qaio__fiber_suspend(void);

/* The fiber running on this thread, or NULL outside any fiber. */
qaio__fiber *qaio__fiber_current(void);

/* Frees a fiber that finished or never started, and its stack (the record
 * lies on it), which goes back to the pool. Freeing a suspended fiber discards its stack without unwinding (the
 * task layer never does that: it cancels and resumes until fn returns). */
void qaio__fiber_free(qaio__fiber *f);

/* The stack and name of the fiber running on this thread, or NULL outside
 * any fiber: what the stack layer's fault handler asks. Async-signal-safe
 * (it only reads a thread-local pointer). */
const qaio__stack *qaio__fiber_current_stack(const char **name);

/* The stack size actually given (for messages). */
size_t qaio__fiber_stack_size(const qaio__fiber *f);

#endif
