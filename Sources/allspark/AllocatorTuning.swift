import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed memory in the process instead of handing it back to the kernel.
///
/// Why: a training step allocates a few hundred megabytes of activation buffers (each 1–8 MB) and
/// frees them at its end. With glibc's defaults most of them are served by fresh `mmap`s or from
/// heap top that was trimmed back, so every step page-faults and zero-fills the same memory again:
/// `perf` showed 11 % of `allspark bench train` in the kernel's `clear_page`, and the step took
/// 267–326 ms per sample at batch 4 against 241 ms with these settings (AMD EPYC Zen 4, 2 cores,
/// measured side by side). Buffers up to 32 MB (glibc's largest allowed threshold) now come from
/// the heap, and the heap is never trimmed. Peak resident memory is unchanged; memory that a step
/// freed stays resident until the process ends, which is what a long run wants anyway.
/// An environment that sets `MALLOC_MMAP_THRESHOLD_` or `MALLOC_TRIM_THRESHOLD_` itself is obeyed.
enum AllocatorTuning {
    static func prepare() {
        #if canImport(Glibc)
        let environment = ProcessInfo.processInfo.environment
        guard environment["MALLOC_MMAP_THRESHOLD_"] == nil,
              environment["MALLOC_TRIM_THRESHOLD_"] == nil else { return }
        _ = glibcMallopt(glibcMmapThreshold, 32 << 20)
        _ = glibcMallopt(glibcTrimThreshold, Int32.max)
        #endif
    }

    // <malloc.h> is not part of Swift's Glibc module; mallopt's C signature and the two parameter
    // numbers (M_TRIM_THRESHOLD −1, M_MMAP_THRESHOLD −3) are glibc's stable ABI.
    private static let glibcTrimThreshold: Int32 = -1
    private static let glibcMmapThreshold: Int32 = -3
}

#if canImport(Glibc)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
