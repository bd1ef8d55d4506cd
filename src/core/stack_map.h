/* What the stack files share among themselves (stack_map.c maps slabs of
 * stacks and keeps the guard budget; stack_pool.c hands out and takes back
 * their slots; stack_fault.c diagnoses overflows). fiber.c uses stack.h
 * only. */
#ifndef QAIO_STACK_MAP_H
#define QAIO_STACK_MAP_H

#include "stack.h"

/* The page size (reads the configuration once). */
size_t qaio__stack_page(void);

/* Maps a slab of count (1..64) slots of slot bytes each: a page for the
 * guard, then the stack. *guarded gets bit i set for each slot whose first
 * page is a guard: all of them with lightweight guards, else those the
 * guard budget's PROT_NONE pages covered (*budgeted then true). NULL when
 * the mapping fails. */
char *qaio__stack_map_slab(size_t slot, unsigned count, uint64_t *guarded, bool *budgeted);

/* Unmaps a slab (giving back its guard budget if budgeted); false if
 * munmap failed (the slab is then still mapped). */
bool qaio__stack_unmap_slab(char *map, size_t bytes, uint64_t guarded, bool budgeted);

#endif
