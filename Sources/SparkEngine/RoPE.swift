import Foundation

/// Which dimensions of a head rotary position embedding rotates together.
public enum RoPEPairing: String, Sendable, Codable {
    /// Dimension i with i + ropeDims/2 (GPT-NeoX; Hugging Face's `rotate_half`; llama.cpp's
    /// "NEOX" type, used by Qwen, Phi, GPT-NeoX GGUFs).
    case neox
    /// Dimension 2i with 2i + 1 (GPT-J; Meta's original LLaMA; llama.cpp's "NORM" type, which LLaMA
    /// GGUFs such as SmolLM2 use because the converter undoes Hugging Face's weight permutation).
    case gptj
}

/// Rotary position embedding settings for one attention layer.
public struct RoPEConfiguration: Sendable, Equatable {
    /// Size of one head.
    public var headDim: Int
    /// Leading dimensions of each head that rotate (even, ≤ headDim); the rest pass through.
    public var ropeDims: Int
    /// θ_i = position · base^(-2i / ropeDims) for pair i.
    public var base: Double
    public var pairing: RoPEPairing

    public init(headDim: Int, ropeDims: Int? = nil, base: Double = 10_000, pairing: RoPEPairing) {
        let dims = ropeDims ?? headDim
        precondition(headDim > 0 && dims > 0 && dims % 2 == 0 && dims <= headDim,
                     "RoPE needs an even ropeDims in 2...headDim, got ropeDims \(dims) with headDim \(headDim)")
        precondition(base > 0, "RoPE base must be positive, got \(base)")
        self.headDim = headDim
        self.ropeDims = dims
        self.base = base
        self.pairing = pairing
    }
}

extension Tensor {
    /// Rotary position embedding of `[L, heads · headDim]` rows at `positions` (one per row).
    public func applyingRoPE(positions: [Int], configuration: RoPEConfiguration) -> Tensor {
        var result = self
        result.applyRoPE(positions: positions, configuration: configuration)
        return result
    }

    /// In-place form of `applyingRoPE`.
    ///
    /// Angles are computed in Double (position · frequency, then cos and sin) and rounded to Float,
    /// so positions in the thousands keep their precision; the rotation itself is in Float.
    public mutating func applyRoPE(positions: [Int], configuration: RoPEConfiguration) {
        precondition(rank == 2, "RoPE expects [L, heads · headDim], got shape \(shape)")
        let rows = shape[0], width = shape[1], headDim = configuration.headDim
        precondition(positions.count == rows, "RoPE needs one position per row: \(rows) rows, \(positions.count) positions")
        precondition(width % headDim == 0, "RoPE width \(width) is not a multiple of headDim \(headDim)")
        if count == 0 { return }
        let heads = width / headDim
        let pairs = configuration.ropeDims / 2
        // cos/sin table [rows, pairs], shared by every head of a row.
        var cosines = [Float](repeating: 0, count: rows * pairs), sines = cosines
        for pair in 0..<pairs {
            let frequency = Foundation.pow(configuration.base, -2 * Double(pair) / Double(configuration.ropeDims))
            for (row, position) in positions.enumerated() {
                let angle = Double(position) * frequency
                cosines[row * pairs + pair] = Float(Foundation.cos(angle))
                sines[row * pairs + pair] = Float(Foundation.sin(angle))
            }
        }
        // Offsets of the two members of pair i inside a head.
        let (firstStride, partnerOffset) = configuration.pairing == .neox ? (1, pairs) : (2, 1)
        cosines.withUnsafeBufferPointer { cosBuffer in
            sines.withUnsafeBufferPointer { sinBuffer in
                scalars.withUnsafeMutableBufferPointer { buffer in
                    let base = buffer.baseAddress!
                    for row in 0..<rows {
                        let c = cosBuffer.baseAddress! + row * pairs, s = sinBuffer.baseAddress! + row * pairs
                        for head in 0..<heads {
                            let x = base + row * width + head * headDim
                            for i in 0..<pairs {
                                let a = x + i * firstStride, b = a + partnerOffset
                                let (x0, x1) = (a.pointee, b.pointee)
                                a.pointee = x0 * c[i] - x1 * s[i]
                                b.pointee = x0 * s[i] + x1 * c[i]
                            }
                        }
                    }
                }
            }
        }
    }
}
