/* Fiber stacks: mapping them in slabs, and the guard-page budget.
 *
 * Slabs. Stacks are mapped many at a time: one anonymous mmap (a slab)
 * holds up to 64 slots, each a page for a guard followed by the stack.
 * Mapping a stack per task cost four system calls over its life (mmap,
 * madvise, and later madvise and munmap) plus the page faults of a fresh
 * mapping, most of a task's spawn time; a slab costs one mmap, one madvise
 * and a guard mprotect per slot once, and its slots are reused for as long
 * as it lives (stack_pool.c). MAP_NORESERVE keeps a 256 KiB stack at the
 * cost of address space: only the pages a fiber touches (usually one) are
 * committed. MAP_STACK and MADV_NOHUGEPAGE keep transparent huge pages off:
 * with THP "always" the first touch of a stack's top page would otherwise
 * commit a whole 2 MiB page shared by many stacks.
 *
 * Guard pages. A guard page below a stack turns an overflow into a fault at
 * the exact spot. Where the kernel has lightweight guard regions (Linux
 * 6.13's MADV_GUARD_INSTALL: a page-table marker, no VMA of its own), every
 * slot gets one, all of a slab's at once with process_madvise(PIDFD_SELF)
 * where that takes them (else one madvise per slot, still once per slot's
 * life), and nothing below applies.
 *
 * Older kernels: guard pages versus vm.max_map_count. A PROT_NONE page
 * splits the mapping, two VMAs per stack, and Linux allows
 * vm.max_map_count (65530 by default) VMAs per process: guarded stacks
 * alone would stop near 32k tasks while qaio must run 100k. So only the
 * first N slots mapped get a PROT_NONE guard. N is 16384, or
 * QAIO_GUARD_PAGES, but at most a quarter of vm.max_map_count (read once
 * at first use) so guards never take more than half of the map count; on
 * a stock kernel that is 16382. Beyond N, slabs have no guard: a slab is
 * one VMA (often merged with its neighbours), and its slots keep their
 * guard page as an untouched gap, so a small overflow lands there rather
 * than in the neighbouring stack. QAIO_GUARD_PAGES=0 also turns the
 * lightweight guards off (tests use it to exercise the canary).
 *
 * Canary. The lowest 8 bytes of an unguarded stack must stay zero, and
 * fiber.c checks them whenever a fiber switches out (suspend and finish):
 * an overflow writes there first (stacks grow down). The value is zero
 * because a page nobody wrote reads as zero without being committed (the
 * read maps the kernel's shared zero page), so the check costs no RAM,
 * where a written pattern committed the stack's lowest page: 4 KiB per
 * task, as much as a typical task's whole used stack. An unguarded overflow
 * is therefore caught at the next switch rather than at the faulting
 * instruction, and a frame that happens to write zero there goes unnoticed.
 * That is the price of the 100k budget on kernels without lightweight
 * guards; the first 16k stacks, which covers most programs, get the precise
 * guard page there. As with thread stacks, a
 * single frame larger than the guard page can jump over it;
 * -fstack-clash-protection closes that hole.
 */
#include "stack_map.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif
#define PIDFD_SELF_PROCESS (-10000) /* process_madvise's "this process" */

#define GUARD_DEFAULT 16384

static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static size_t page_size;
static size_t guard_budget;
static atomic_size_t guarded_live; /* guard pages now mapped */

static long read_max_map_count(void)
{
    char buf[32];
    int fd = open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 65530;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 65530;
    buf[n] = '\0';
    long v = strtol(buf, NULL, 10);
    return v > 0 ? v : 65530;
}

static void configure(void)
{
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    long n = GUARD_DEFAULT;
    const char *env = getenv("QAIO_GUARD_PAGES");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0)
            n = v;
    }
    long cap = read_max_map_count() / 4;
    guard_budget = (size_t)(n < cap ? n : cap);
}

static void config(void)
{
    pthread_once(&config_once, configure);
}

size_t qaio__stack_page(void)
{
    config();
    return page_size;
}

size_t qaio__stack_guard_budget(void)
{
    config();
    return guard_budget;
}

size_t qaio__stack_round(size_t size)
{
    config();
    if (size < QAIO__STACK_MIN)
        size = QAIO__STACK_MIN;
    if (size > SIZE_MAX - 2 * page_size)
        return 0;
    return (size + page_size - 1) & ~(page_size - 1);
}

/* Claims up to want of the guard budget's slots; returns how many. */
static unsigned reserve_guards(unsigned want)
{
    size_t n = atomic_load_explicit(&guarded_live, memory_order_relaxed);
    for (;;) {
        size_t left = n < guard_budget ? guard_budget - n : 0;
        unsigned got = left < want ? (unsigned)left : want;
        if (got == 0 || atomic_compare_exchange_weak(&guarded_live, &n, n + got))
            return got;
    }
}

/* How lightweight guards are installed here; found out at the first slab. */
enum { LIGHT_UNKNOWN, LIGHT_BATCH, LIGHT_EACH, LIGHT_NONE };
static atomic_int light_mode = LIGHT_UNKNOWN;

/* Installs a lightweight guard on the first page of each of count slots;
 * false (nothing installed) where the kernel has none. */
static bool light_guards(char *m, size_t slot, unsigned count)
{
    int mode = atomic_load_explicit(&light_mode, memory_order_relaxed);
    if (mode == LIGHT_NONE || guard_budget == 0)
        return false;
#if defined(SYS_process_madvise)
    if (mode == LIGHT_UNKNOWN || mode == LIGHT_BATCH) {
        struct iovec iov[64];
        for (unsigned i = 0; i < count; i++)
            iov[i] = (struct iovec){m + (size_t)i * slot, page_size};
        long n = syscall(SYS_process_madvise, PIDFD_SELF_PROCESS, iov, (size_t)count,
                         MADV_GUARD_INSTALL, 0u);
        if (n == (long)(count * page_size)) {
            atomic_store_explicit(&light_mode, LIGHT_BATCH, memory_order_relaxed);
            return true;
        }
    }
#endif
    for (unsigned i = 0; i < count; i++)
        if (madvise(m + (size_t)i * slot, page_size, MADV_GUARD_INSTALL) != 0) {
            /* Only the first slot can fail (the kernel has no such thing):
             * later ones use the same call on the same mapping. */
            atomic_store_explicit(&light_mode, LIGHT_NONE, memory_order_relaxed);
            return false;
        }
    atomic_store_explicit(&light_mode, LIGHT_EACH, memory_order_relaxed);
    return true;
}

char *qaio__stack_map_slab(size_t slot, unsigned count, uint64_t *guarded, bool *budgeted)
{
    config();
    size_t bytes = slot * count;
    char *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    *guarded = 0;
    *budgeted = false;
    if (m == MAP_FAILED)
        return NULL;
    /* Fails harmlessly (EINVAL) on kernels without THP. */
    madvise(m, bytes, MADV_NOHUGEPAGE);
    if (light_guards(m, slot, count)) {
        *guarded = count == 64 ? ~UINT64_C(0) : (UINT64_C(1) << count) - 1;
        return m;
    }
    unsigned want = reserve_guards(count), got = 0;
    /* mprotect splits the VMA and fails with ENOMEM if the map count is
     * exhausted after all (other code maps too): the slot then simply goes
     * without its guard, the page left as an untouched gap. */
    for (unsigned i = 0; i < want; i++)
        if (mprotect(m + (size_t)i * slot, page_size, PROT_NONE) == 0) {
            *guarded |= UINT64_C(1) << i;
            got++;
        }
    if (got < want)
        atomic_fetch_sub(&guarded_live, want - got);
    *budgeted = got > 0;
    return m;
}

bool qaio__stack_unmap_slab(char *map, size_t bytes, uint64_t guarded, bool budgeted)
{
    if (munmap(map, bytes) != 0)
        return false;
    if (budgeted)
        atomic_fetch_sub(&guarded_live, (size_t)__builtin_popcountll(guarded));
    return true;
}
