/// A seeded pseudo-random generator that gives the same sequence on every machine and Swift version:
/// **xoshiro256\*\*** 1.0 (Blackman and Vigna, 2018), its 256-bit state filled from the 64-bit seed
/// by four outputs of **SplitMix64** (Steele, Lea and Flood, 2014), as the xoshiro authors advise.
///
/// Only integer arithmetic decides the 64-bit stream, so it is exact everywhere. It also conforms
/// to `RandomNumberGenerator`, but the standard library's own algorithms (`shuffled`,
/// `Float.random(in:using:)`) are not promised to stay the same across Swift releases: use the
/// methods documented here (`nextUniform`, `nextNormalPair` …) for anything that must be reproducible.
public struct SeededRandomGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var expander = SplitMix64(state: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
    }

    /// The next 64 bits of the xoshiro256** stream.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64: a 64-bit counter advanced by the golden-ratio increment, then mixed (variant 13 of
/// Stafford's mix). Good enough on its own for seeding; here it only expands seeds.
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
