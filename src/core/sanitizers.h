/* Which sanitizer this file is compiled under (QAIO__ASAN, QAIO__TSAN),
 * and valgrind's client requests (no-ops where valgrind's header is
 * missing). GCC defines __SANITIZE_*__; clang only answers __has_feature.
 * The core tells these tools about fiber stacks and switches (fiber.c,
 * stack_pool.c) and lets them see every free (future_cache.c). */
#ifndef QAIO_SANITIZERS_H
#define QAIO_SANITIZERS_H

#if defined(__SANITIZE_ADDRESS__)
#define QAIO__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QAIO__ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define QAIO__TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define QAIO__TSAN 1
#endif
#endif

/* A hand-over through code TSan cannot see (Qt's queues, locked with
 * futexes inside uninstrumented libQt5Core): the side that hands obj over
 * releases it, the side that takes it acquires it, which gives TSan the
 * happens-before edge the queue's lock really provides. No-ops elsewhere. */
#ifdef QAIO__TSAN
#include <sanitizer/tsan_interface.h>
static inline void qaio__tsan_release(const void *obj) { __tsan_release((void *)obj); }
static inline void qaio__tsan_acquire(const void *obj) { __tsan_acquire((void *)obj); }
#else
static inline void qaio__tsan_release(const void *obj) { (void)obj; }
static inline void qaio__tsan_acquire(const void *obj) { (void)obj; }
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

#endif
