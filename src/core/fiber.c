/* Fibers on Boost.Context's fcontext (see fiber.h for the interface and
 * stack_map.c and its neighbours for the stacks).
 *
 * jump_fcontext(to, data) saves the running context on its own stack,
 * switches to `to` and returns there a transfer holding the context that
 * jumped (the one just saved) and its data. So each side learns the other's
 * context from the transfer it receives: resume() stores the fiber's new
 * context in f->ctx when the fiber suspends, and the fiber stores its
 * resumer's context in f->caller each time it is resumed. Because f->caller
 * is refreshed on every resume, resumes nest and a fiber may be resumed by
 * different resumers over its life; suspend always returns to the latest.
 *
 * `current` is thread-local; resume() saves it, sets it to f and restores
 * it when f switches back, so after a nested resume the outer fiber is
 * current again without the inner one knowing about it.
 *
 * Sanitizers need to hear about every switch. ASan keeps per-stack state:
 * the side that leaves calls __sanitizer_start_switch_fiber with the bounds
 * of the stack it goes to, and the side that arrives calls
 * __sanitizer_finish_switch_fiber, which also tells it the bounds of the
 * stack it came from (kept in f->from_* for the way back). TSan wants its
 * own fiber object per stack and a switch right before each jump. Both are
 * compiled only into sanitized builds, so the release path is just the
 * jump plus a few loads and stores.
 */
#include "fiber.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "stack.h"

#ifdef QAIO__ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef QAIO__TSAN
#include <signal.h>
#include <sanitizer/tsan_interface.h>

/* TSan defers an asynchronous signal that lands outside a blocking call
 * and queues it on the current TSan thread state, and fibers have their
 * own. A signal that lands while TSan creates or destroys a fiber's state
 * (it switches to that state to do so), or while a fiber runs and then
 * switches away for good, is lost: seen as a SIGTERM to
 * qaio-instrument-sim arriving inside __tsan_destroy_fiber and never
 * reaching its handler. So under TSan, asynchronous signals are blocked
 * around those three: the kernel holds them and delivers them to the
 * thread's own state when the mask is restored. Faults and abort() stay
 * deliverable. */
static void tsan_block_signals(sigset_t *old)
{
    sigset_t set;
    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGTRAP);
    sigdelset(&set, SIGABRT);
    pthread_sigmask(SIG_BLOCK, &set, old);
}
#endif

/* The fcontext C ABI exported by libboost_context (Boost declares it in a
 * C++ header only). sp is the top of the stack: it grows down. */
typedef void *qaio__fctx;
typedef struct {
    qaio__fctx fctx;
    void *data;
} qaio__transfer;
qaio__transfer jump_fcontext(qaio__fctx to, void *vp);
qaio__fctx make_fcontext(void *sp, size_t size, void (*fn)(qaio__transfer));

enum { FIBER_NEW, FIBER_SUSPENDED, FIBER_RUNNING, FIBER_DONE };

/* A fiber's record lives at the top of its own stack, above the first
 * frame: the page it shares with the fiber's frames is committed as soon as
 * the fiber runs anyway, so the record costs no RAM of its own (a separate
 * allocation was about a tenth of an idle task's memory). */
struct qaio__fiber {
    qaio__fctx ctx;      /* the fiber's saved context when not running */
    qaio__fctx caller;   /* its resumer's saved context while it runs */
    int state;
    qaio__fiber_fn fn;
    void *arg;
    qaio__stack stack;   /* the stack this record lies on */
#ifdef QAIO__ASAN
    const void *from_bottom; /* the resumer's stack, for switching back */
    size_t from_size;
#endif
#ifdef QAIO__TSAN
    void *tsan;      /* TSan's state for this fiber */
    void *tsan_from; /* TSan's state for the resumer */
#endif
    const char *name; /* borrowed: outlives the fiber (fiber.h) */
};

/* initial-exec: every switch reads it, and the default model makes each
 * read a call. With task.c's `current` and loop.c's `tls_loop` this takes
 * 32 bytes of the static TLS glibc keeps spare for libraries loaded with
 * dlopen() (over a thousand bytes). */
static _Thread_local __attribute__((tls_model("initial-exec"))) struct {
    qaio__fiber *current; /* the running fiber, NULL outside any */
    bool ready;           /* qaio__stack_thread_init() done */
} tls;

_Noreturn static void misuse(const char *what, const qaio__fiber *f)
{
    fprintf(stderr, "qaio: internal error: %s (fiber '%s')\n", what, f ? f->name : "-");
    abort();
}

static void check_canary(qaio__fiber *f)
{
    if (__builtin_expect(!qaio__stack_canary_ok(&f->stack), 0))
        qaio__stack_overflow_abort(f->name, &f->stack);
}

/* The fiber's first frame. It must never return: it has no caller, and the
 * trampoline make_fcontext sets up under it would _exit(0) the whole
 * process. It hands control back to the latest resumer one last time
 * instead. */
static void entry(qaio__transfer t)
{
    qaio__fiber *f = t.data;
    f->caller = t.fctx;
#ifdef QAIO__ASAN
    __sanitizer_finish_switch_fiber(NULL, &f->from_bottom, &f->from_size);
#endif
    f->fn(f->arg);
    check_canary(f);
    f->state = FIBER_DONE;
#ifdef QAIO__ASAN
    /* A NULL fake-stack slot tells ASan this stack is dying. */
    __sanitizer_start_switch_fiber(NULL, f->from_bottom, f->from_size);
#endif
#ifdef QAIO__TSAN
    __tsan_switch_to_fiber(f->tsan_from, 0);
#endif
    jump_fcontext(f->caller, NULL);
    abort(); /* a finished fiber is never resumed (checked in resume) */
}

size_t qaio__fiber_stack_bytes(size_t stack_size)
{
    return qaio__stack_round(stack_size ? stack_size : QAIO__FIBER_DEFAULT_STACK);
}

qaio__fiber *qaio__fiber_new(size_t stack_size, const char *name, qaio__fiber_fn fn, void *arg)
{
    size_t size = qaio__fiber_stack_bytes(stack_size);
    if (!fn || size == 0) {
        errno = EINVAL;
        return NULL;
    }
    qaio__stack st;
    if (qaio__stack_acquire(&st, size) != 0) {
        errno = ENOMEM;
        return NULL;
    }
    /* The record at the top, cache-line aligned; the first frame below it. */
    char *top = (char *)st.bottom + st.size;
    qaio__fiber *f = (qaio__fiber *)(((uintptr_t)top - sizeof *f) & ~(uintptr_t)63);
    f->stack = st;
    f->fn = fn;
    f->arg = arg;
    f->state = FIBER_NEW;
    f->caller = NULL;
    f->name = name ? name : "?";
    f->ctx = make_fcontext(f, (size_t)((char *)f - (char *)st.bottom), entry);
#ifdef QAIO__ASAN
    f->from_bottom = NULL;
    f->from_size = 0;
#endif
#ifdef QAIO__TSAN
    sigset_t mask;
    tsan_block_signals(&mask);
    f->tsan = __tsan_create_fiber(0);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    __tsan_set_fiber_name(f->tsan, f->name);
    f->tsan_from = NULL;
#endif
    return f;
}

bool qaio__fiber_resume(qaio__fiber *f)
{
    if (__builtin_expect(!tls.ready, 0)) {
        qaio__stack_set_current_hook(qaio__fiber_current_stack);
        qaio__stack_thread_init();
        tls.ready = true;
    }
    if (__builtin_expect(f->state != FIBER_NEW && f->state != FIBER_SUSPENDED, 0))
        misuse(f->state == FIBER_DONE ? "resume of a finished fiber"
                                      : "resume of a running fiber", f);
    qaio__fiber *prev = tls.current;
    tls.current = f;
    f->state = FIBER_RUNNING;
#ifdef QAIO__ASAN
    void *fake_stack;
    __sanitizer_start_switch_fiber(&fake_stack, f->stack.bottom, f->stack.size);
#endif
#ifdef QAIO__TSAN
    sigset_t mask;
    tsan_block_signals(&mask);
    f->tsan_from = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(f->tsan, 0);
#endif
    qaio__transfer back = jump_fcontext(f->ctx, f);
#ifdef QAIO__TSAN
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
#endif
#ifdef QAIO__ASAN
    __sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
    f->ctx = back.fctx;
    tls.current = prev;
    return f->state == FIBER_DONE;
}

void qaio__fiber_suspend(void)
{
    qaio__fiber *f = tls.current;
    if (__builtin_expect(!f, 0))
        misuse("suspend outside any fiber", NULL);
    check_canary(f);
    f->state = FIBER_SUSPENDED;
#ifdef QAIO__ASAN
    void *fake_stack;
    __sanitizer_start_switch_fiber(&fake_stack, f->from_bottom, f->from_size);
#endif
#ifdef QAIO__TSAN
    __tsan_switch_to_fiber(f->tsan_from, 0);
#endif
    qaio__transfer t = jump_fcontext(f->caller, NULL);
    /* Resumed, possibly by someone else than last time. */
    f->caller = t.fctx;
#ifdef QAIO__ASAN
    __sanitizer_finish_switch_fiber(fake_stack, &f->from_bottom, &f->from_size);
#endif
}

qaio__fiber *qaio__fiber_current(void)
{
    return tls.current;
}

void qaio__fiber_free(qaio__fiber *f)
{
    if (!f)
        return;
    if (f->state == FIBER_RUNNING)
        misuse("free of a running fiber", f);
#ifdef QAIO__TSAN
    sigset_t mask;
    tsan_block_signals(&mask);
    __tsan_destroy_fiber(f->tsan);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
#endif
    qaio__stack st = f->stack; /* f lies on it: read before it goes */
    qaio__stack_release(&st, f->ctx);
}

const qaio__stack *qaio__fiber_current_stack(const char **name)
{
    qaio__fiber *f = tls.current;
    if (f && name)
        *name = f->name;
    return f ? &f->stack : NULL;
}

size_t qaio__fiber_stack_size(const qaio__fiber *f)
{
    return f->stack.size;
}
