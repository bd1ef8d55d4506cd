/* Fiber stacks: diagnosing an overflow.
 *
 * Diagnosis. A SIGSEGV/SIGBUS handler, on a per-thread alternate signal
 * stack since the faulting stack is full, recognises a fault in the current
 * fiber's guard page, prints "qaio: task 'NAME' overflowed its N KiB stack"
 * with write(2) and lets the fault happen again with the default action.
 * Other faults go to the handler that was installed before ours. Under ASan
 * none of this is installed: ASan reports stack overflows itself.
 */
#include "stack_map.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALTSTACK_SIZE ((size_t)64 << 10)

static size_t append(char *buf, size_t at, size_t cap, const char *s)
{
    while (*s && at < cap)
        buf[at++] = *s++;
    return at;
}

/* Async-signal-safe: no stdio, no allocation. */
static void report(const char *name, const qaio__stack *st)
{
    char digits[24], *d = digits + sizeof digits;
    *--d = '\0';
    size_t kib = st->size / 1024;
    do
        *--d = (char)('0' + kib % 10);
    while ((kib /= 10) != 0);
    char buf[192];
    size_t at = 0;
    at = append(buf, at, sizeof buf, "qaio: task '");
    at = append(buf, at, sizeof buf, name ? name : "?");
    at = append(buf, at, sizeof buf, "' overflowed its ");
    at = append(buf, at, sizeof buf, d);
    at = append(buf, at, sizeof buf, " KiB stack\n");
    for (size_t off = 0; off < at;) {
        ssize_t w = write(STDERR_FILENO, buf + off, at - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
}

_Noreturn void qaio__stack_overflow_abort(const char *name, const qaio__stack *st)
{
    report(name, st);
    abort();
}

#ifndef QAIO__ASAN
static pthread_once_t handler_once = PTHREAD_ONCE_INIT;
static pthread_key_t altstack_key;
static bool altstack_key_ok;
static struct sigaction prev_segv, prev_bus;
static _Thread_local bool thread_ready;
#endif
static _Atomic(qaio__stack_current_fn) current_hook;

void qaio__stack_set_current_hook(qaio__stack_current_fn fn)
{
    atomic_store_explicit(&current_hook, fn, memory_order_relaxed);
}
#ifndef QAIO__ASAN

static void reset_default(int sig)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    int saved_errno = errno;
    const char *name = NULL;
    qaio__stack_current_fn current = atomic_load_explicit(&current_hook, memory_order_relaxed);
    const qaio__stack *st = current ? current(&name) : NULL;
    const char *addr = si->si_addr;
    if (st && st->guarded && addr >= (const char *)st->map && addr < (const char *)st->bottom) {
        report(name, st);
        /* Returning re-executes the faulting access, which now kills the
         * process with the default action: the exit status and any core
         * dump show the real SIGSEGV. */
        reset_default(sig);
    } else {
        const struct sigaction *prev = sig == SIGBUS ? &prev_bus : &prev_segv;
        if (prev->sa_flags & SA_SIGINFO) {
            prev->sa_sigaction(sig, si, uc);
        } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
            prev->sa_handler(sig);
        } else {
            reset_default(sig);
            /* A signal sent with kill() has no faulting instruction to
             * repeat; raise it again (it is delivered once we return). */
            if (si->si_code <= 0)
                raise(sig);
        }
    }
    errno = saved_errno;
}

static void free_altstack(void *mem)
{
    stack_t cur;
    size_t page = qaio__stack_page();
    if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == (char *)mem + page) {
        stack_t off = {.ss_flags = SS_DISABLE};
        if (sigaltstack(&off, NULL) != 0)
            return; /* still in use (we are on it): leak rather than crash */
    }
    munmap(mem, ALTSTACK_SIZE + page);
}

static void install_handler(void)
{
    altstack_key_ok = pthread_key_create(&altstack_key, free_altstack) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &prev_segv);
    sigaction(SIGBUS, &sa, &prev_bus);
}
#endif

void qaio__stack_thread_init(void)
{
#ifndef QAIO__ASAN
    if (thread_ready)
        return;
    thread_ready = true;
    size_t page_size = qaio__stack_page();
    pthread_once(&handler_once, install_handler);
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
        return; /* the thread already has one (someone else's): keep it */
    /* Without a key the stack could never be freed at thread exit. Without
     * an alternate stack an overflow is still fatal, just undiagnosed. */
    if (!altstack_key_ok)
        return;
    /* A guard page here too: a handler chained after ours that overflows
     * the alternate stack should fault, not corrupt memory. */
    char *m = mmap(NULL, ALTSTACK_SIZE + page_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return;
    mprotect(m, page_size, PROT_NONE);
    stack_t ss = {.ss_sp = m + page_size, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0 || pthread_setspecific(altstack_key, m) != 0) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        munmap(m, ALTSTACK_SIZE + page_size);
    }
#endif
}
