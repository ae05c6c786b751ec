/// A rough ceiling for Float32 matrix products on this machine:
/// cores × frequency × single-precision FLOPs per cycle of the widest FMA the CPU has.
///
/// Rough on purpose: the frequency is `/proc/cpuinfo`'s nominal "cpu MHz" (turbo can exceed it,
/// so a measured rate slightly above the estimate is possible), and the FMA unit count is an
/// assumption per processor family, stated in `assumption`.
public struct PeakEstimate: Codable, Equatable, Sendable {
    public var cores: Int
    public var megahertz: Double
    public var flopsPerCycle: Int
    /// What `flopsPerCycle` assumes, in words.
    public var assumption: String
    /// cores × GHz × flopsPerCycle (stored so JSON carries it).
    public var gflops: Double

    public init(cores: Int, megahertz: Double, flopsPerCycle: Int, assumption: String) {
        self.cores = cores
        self.megahertz = megahertz
        self.flopsPerCycle = flopsPerCycle
        self.assumption = assumption
        gflops = Double(cores) * megahertz / 1000 * Double(flopsPerCycle)
    }

    /// nil when the frequency or core count is unknown. `cores` defaults to the physical cores;
    /// pass the BLAS thread count when it is smaller, since idle cores add nothing.
    public static func estimate(features: CPUFeatures, cores: Int? = nil) -> PeakEstimate? {
        let coreCount = cores ?? features.physicalCores
        guard coreCount > 0, let megahertz = features.megahertz, megahertz > 0 else { return nil }
        let (flops, assumption) = flopsPerCycle(features)
        return PeakEstimate(cores: coreCount, megahertz: megahertz, flopsPerCycle: flops, assumption: assumption)
    }

    /// Single-precision FLOPs per cycle per core. One FMA on a W-bit vector is 2·W/32 FLOPs.
    static func flopsPerCycle(_ f: CPUFeatures) -> (Int, String) {
        let isAMD = f.vendor == "AuthenticAMD"
        if f.has("avx512f") {
            // Zen 4 (family 25) runs AVX-512 on two 256-bit FMA pipes; Zen 5 (family 26) has
            // full 512-bit pipes in its server parts. Intel's server cores have two 512-bit FMA
            // units (some cheaper parts one: their true peak is half of this).
            if isAMD, let family = f.family, family <= 25 {
                return (32, "AVX-512 on Zen 4: 2 FMA pipes of 256 bits = 2 × 8 lanes × 2 FLOPs")
            }
            return (64, "AVX-512: 2 FMA units of 512 bits = 2 × 16 lanes × 2 FLOPs (assumed 2 units)")
        }
        if f.hasAVX2FMA { return (32, "AVX2: 2 FMA units of 256 bits = 2 × 8 lanes × 2 FLOPs") }
        if f.has("avx") { return (16, "AVX without FMA: one 8-wide add and one 8-wide multiply") }
        return (8, "SSE: one 4-wide add and one 4-wide multiply")
    }
}
