// The stack limit compiled recursive functions compare their stack pointer
// with (see docs/semantics.md, "Recursion and the native stack").
//
// Compiled into the native engine, which hands its address to jitted code as
// an absolute symbol, and into every ahead-of-time addon (aot.ts compiles
// this file with cc), so addons stay loadable without LLVM. Depends on libc
// only.
#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

// Room left below the limit for what runs after a guard passed: the frames
// of non-recursive callees, libc and libm, and N-API calls into V8 (an
// allocation may run a garbage collection on this stack).
#define RVSDG_STACK_MARGIN ((uintptr_t)128 * 1024)

// When the thread's bounds are unknown: this much below the first caller's
// frame, a size every thread Node starts has (workers get 4 MiB).
#define RVSDG_STACK_FALLBACK ((uintptr_t)1024 * 1024)

// With an unlimited RLIMIT_STACK glibc reports the whole gap down to the next
// mapping, and the kernel keeps a guard gap above that mapping; use no more
// than this.
#define RVSDG_STACK_MAX ((uintptr_t)1024 * 1024 * 1024)

// glibc reads /proc/self/maps to find the main thread's stack, so the limit
// is computed once per thread.
static __thread uintptr_t rvsdg_thread_stack_limit;

uintptr_t rvsdg_stack_limit(void) {
  uintptr_t limit = rvsdg_thread_stack_limit;
  if (limit != 0) return limit;
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  uintptr_t low = 0;
#if defined(__GLIBC__) || defined(__linux__)
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void *address = NULL;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &address, &size) == 0 && (uintptr_t)address < here) low = (uintptr_t)address;
    pthread_attr_destroy(&attr);
  }
#endif
  if (low == 0 || here - low > RVSDG_STACK_MAX) low = here - (low == 0 ? RVSDG_STACK_FALLBACK : RVSDG_STACK_MAX);
  limit = low + RVSDG_STACK_MARGIN;
  rvsdg_thread_stack_limit = limit;
  return limit;
}
