/* What the stack files share among themselves (stack_map.c maps stacks and
 * keeps the guard budget; stack_pool.c reuses them; stack_fault.c diagnoses
 * overflows). fiber.c uses stack.h only. */
#ifndef QAIO_STACK_MAP_H
#define QAIO_STACK_MAP_H

#include "stack.h"

/* The page size (reads the configuration once). */
size_t qaio__stack_page(void);

/* Maps a new stack of size bytes (already rounded) into st, with a guard
 * page below it while the guard budget lasts. 0, or ENOMEM. */
int qaio__stack_map(qaio__stack *st, size_t size);

/* Unmaps st (and gives back its guard budget slot); false if munmap
 * failed, st is then still mapped. */
bool qaio__stack_unmap(qaio__stack *st);

#endif
