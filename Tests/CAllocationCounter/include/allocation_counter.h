#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// How many times this process has called malloc, calloc, realloc, memalign, aligned_alloc or
/// posix_memalign since it started, counted by definitions of those functions that forward to
/// glibc's own (allocation_counter.c). Only the test executable links them: a test reads the
/// count before and after the code it checks.
unsigned long long allocation_counter_total(void);

/// 1 where the counting definitions are built in (glibc, no sanitizer: ASan and TSan define
/// malloc themselves), 0 elsewhere, where the total stays 0.
int allocation_counter_available(void);

#endif
