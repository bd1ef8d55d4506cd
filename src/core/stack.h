/* Fiber stacks: allocation, pooling, overflow protection and diagnosis.
 * Internal to the core; fiber.c is the only user (and tests/fiber_unit.c,
 * which compiles these files directly). stack_map.c (mapping and the guard
 * budget), stack_pool.c (reuse) and stack_fault.c (diagnosis) say how. */
#ifndef QAIO_STACK_H
#define QAIO_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sanitizers.h"

/* Stacks smaller than this are rounded up: the dynamic linker's lazy
 * binding and a signal frame with a full AVX-512 xsave area each need a few
 * KiB, so a one-page stack would crash on its first library call. */
#define QAIO__STACK_MIN (16 * 1024)

typedef struct {
    void *map;       /* start of the slot: the guard page (or its gap) */
    size_t map_size; /* bytes of the slot, guard page included */
    void *bottom;    /* lowest usable byte; the canary lives here */
    size_t size;     /* usable bytes: the stack runs from bottom to bottom+size */
    void *slab;      /* the slab the slot belongs to (stack_pool.c) */
    unsigned vg_id;  /* valgrind's id for the registered stack */
    bool guarded;    /* a PROT_NONE page lies right below bottom */
} qaio__stack;

/* Rounds a requested size up to whole pages (and to QAIO__STACK_MIN);
 * 0 if the rounding overflows. */
size_t qaio__stack_round(size_t size);

/* Gives st a stack of exactly size bytes (already rounded): a free slot of
 * a slab, the most recently freed first, or one of a new slab. 0, or
 * ENOMEM. */
int qaio__stack_acquire(qaio__stack *st, size_t size);

/* Gives the stack's slot back for reuse; its pages stay committed up to a
 * retained budget. sp is the fiber's last stack pointer (its saved
 * context): nothing below it holds frames, which lets ASan builds clear the
 * redzones of abandoned frames without touching the shadow of the whole
 * stack. */
void qaio__stack_release(qaio__stack *st, const void *sp);

/* True unless an unguarded stack's lowest 8 bytes, which stay zero until
 * an overflow writes there, were overwritten (stack_map.c: Canary). */
static inline bool qaio__stack_canary_ok(const qaio__stack *st)
{
    return st->guarded || *(const volatile uint64_t *)st->bottom == 0;
}

/* Prints "qaio: task 'NAME' overflowed its N KiB stack" with write(2) only
 * (it runs in the fault handler too) and aborts. */
_Noreturn void qaio__stack_overflow_abort(const char *name, const qaio__stack *st);

/* Makes the calling thread ready to run fibers: installs the process-wide
 * SIGSEGV/SIGBUS handler once and this thread's alternate signal stack,
 * which is freed when the thread exits. Nothing to do under ASan, which
 * diagnoses stack overflows itself. Idempotent; fiber.c calls it on the
 * first resume in each thread. */
void qaio__stack_thread_init(void);

/* How many stacks may have a guard page at once (QAIO_GUARD_PAGES, capped
 * by vm.max_map_count); for tests and diagnostics. */
size_t qaio__stack_guard_budget(void);

/* How the fault handler learns the stack and name of the fiber running on
 * this thread (NULL outside any fiber). The fiber layer above registers it
 * before its first resume; it must be async-signal-safe. */
typedef const qaio__stack *(*qaio__stack_current_fn)(const char **name);
void qaio__stack_set_current_hook(qaio__stack_current_fn fn);

#endif
