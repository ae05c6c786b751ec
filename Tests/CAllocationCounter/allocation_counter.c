// Counting malloc, calloc, realloc and the aligned allocations for the tests that check a path allocates nothing (a
// decoded token, for one). Defining them in the executable interposes them for every library in
// the process, the Swift runtime included; each forwards to glibc's allocator under its internal
// name, so free() and everything else stay glibc's. Only the test executable links this file.
#include "allocation_counter.h"
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

#if defined(__linux__)
#  include <features.h>   // defines __GLIBC__ on glibc
#endif
#if defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#    define ALLOCATION_COUNTER_OFF 1
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#  define ALLOCATION_COUNTER_OFF 1
#endif

#if !defined(ALLOCATION_COUNTER_OFF) && defined(__GLIBC__)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Atomic unsigned long long total;

void *malloc(size_t size) {
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
    return __libc_realloc(pointer, size);
}

// Swift allocates buffers aligned to more than 16 bytes through these (aligned_alloc, say).
void *memalign(size_t alignment, size_t size) {
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *out = pointer;
    return 0;
}

unsigned long long allocation_counter_total(void) { return atomic_load_explicit(&total, memory_order_relaxed); }
int allocation_counter_available(void) { return 1; }

#else

unsigned long long allocation_counter_total(void) { return 0; }
int allocation_counter_available(void) { return 0; }

#endif
