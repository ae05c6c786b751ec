import Foundation

/// OpenBLAS's kernel ("core") names and which of them are generic fallbacks.
public enum OpenBLASCore {
    /// Kernels older than Haswell: SSE-only or AVX without FMA. A DYNAMIC_ARCH OpenBLAS picks one
    /// of them when it does not recognise a newer processor (0.3.21 runs "Prescott" on Intel
    /// family 6 model 207), which leaves 4–8× of the machine's Float32 speed unused on any CPU
    /// with AVX2 or AVX-512. The names are those of OpenBLAS's `driver/others/dynamic.c`.
    public static let genericFallbacks: Set<String> = [
        "unknown", "generic", "katmai", "coppermine", "northwood", "prescott", "banias", "atom",
        "core2", "penryn", "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3",
        "barcelona", "nano", "bobcat", "sandybridge",
    ]

    /// Kernels for AVX-512 processors (used to describe the peak a kernel can reach).
    static let avx512Kernels: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// Whether `coreName` (as `openblas_get_corename()` spells it, any case) is a generic fallback.
    /// An empty name counts as one: the library did not say what it chose.
    public static func isGenericFallback(_ coreName: String) -> Bool {
        let name = coreName.trimmingCharacters(in: .whitespaces).lowercased()
        return name.isEmpty || genericFallbacks.contains(name)
    }

    /// Whether a CPU with `features` is being served by a generic fallback: the condition for the
    /// warning and for choosing a better kernel.
    public static func isFallbackOnModernCPU(coreName: String, features: CPUFeatures) -> Bool {
        isGenericFallback(coreName) && (features.hasAVX2FMA || features.has("avx512f"))
    }
}
