/* Which sanitizer this file is compiled under: QAIO__ASAN, QAIO__TSAN.
 * GCC defines __SANITIZE_*__; clang only answers __has_feature. The core
 * tells the sanitizers about fiber switches (fiber.c, stack_pool.c) and
 * lets them see every free (future_cache.c). */
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

#endif
