import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "rope" (float64, the
/// definition written out pair by pair).
@Suite struct RoPETests {
    static let rope_neox: [Float] = [-1.75, -0.5, 0.75, 2, -1, 0.25, 1.5, -1.5, -0.25, 1, -2, -0.75, 0.5, 1.75, -1.25, 0, 2.27242628, -1.05634394, -0.511869923, 0.742490656, -0.631330972, -1.71657725, 0.22469798, 1.50373123, -1.14468648, -0.45910841, 0.911286714, -1.99372503, 1.22563977, 0.318934896, 1.79779212, -1.25998433, -0.620159655, 2.09062987, 0.924354065, -0.480518899, 0.421784307, 1.09168069, 1.79110847, -0.285659916, 2.4973277, -1.67325254, 0.481778438, -0.932271918, 0.115561158, 0.112809307, -0.283530487, 1.78700002]
    static let rope_gptj: [Float] = [-1.75, -0.5, 0.75, 2, -1, 0.25, 1.5, -1.5, -0.25, 1, -2, -0.75, 0.5, 1.75, -1.25, 0, -1.32353975, -1.69506417, -0.798360435, 0.418474152, 2.04747969, -0.898791922, 0.242496906, 1.50123124, -0.665224347, 1.36747087, 1.83643364, -1.27573959, -0.77405228, 0.461890753, 1.7562281, -1.24123441, -1.03359943, 0.702973845, -1.76224085, 0.454980436, 0.458738575, -2.08615889, -0.750670052, -0.706395408, 2.08388793, 0.396750696, 0.290785923, 0.988910283, 1.27012722, 1.71734587, -1.20242307, 1.36626453]
    static let rope_neox_partial: [Float] = [-1.75, -0.5, 0.75, 2, -1, 0.25, 1.5, -1.5, -0.25, 1, -2, -0.75, 0.5, 1.75, -1.25, 0, -0.124884406, -1.78529733, -1.34048644, 0.661599149, 2, -1, 0.25, 1.5, 0.533430996, -0.149729227, 1.7220486, -2.00999531, -0.75, 0.5, 1.75, -1.25, 1.4470392, -1.32084997, -0.984163384, -0.260490624, 0.75, 2, -1, 0.25, 1.0502885, 1.8026284, 1.09972454, -0.0230398627, -2, -0.75, 0.5, 1.75]
    static let rope_gptj_partial_base1e5: [Float] = [-1.75, -0.5, 0.75, 2, -1, 0.25, 1.5, -1.5, -0.25, 1, -2, -0.75, 0.5, 1.75, -1.25, 0, -1.32353975, -1.69506417, -0.511795548, 0.742000887, 2, -1, 0.25, 1.5, -0.665224347, 1.36747087, 1.03149646, -1.98393928, -0.75, 0.5, 1.75, -1.25, -1.03359943, 0.702973845, 1.73928386, 0.536089217, 0.75, 2, -1, 0.25, 2.08388793, 0.396750696, 0.27063005, -0.99461519, -2, -0.75, 0.5, 1.75]

    // Three rows of two heads of 8, at positions 0, 5 and 1000.
    let x = Pattern.tensor([3, 16], 5, 1, 17, 0.25)
    let positions = [0, 5, 1000]

    @Test func neoxPairing() {
        let rope = RoPEConfiguration(headDim: 8, pairing: .neox)
        expectClose(x.applyingRoPE(positions: positions, configuration: rope), shape: [3, 16], Self.rope_neox, relative: 2e-6, absolute: 2e-6)
    }

    @Test func gptjPairing() {
        let rope = RoPEConfiguration(headDim: 8, pairing: .gptj)
        expectClose(x.applyingRoPE(positions: positions, configuration: rope), shape: [3, 16], Self.rope_gptj, relative: 2e-6, absolute: 2e-6)
    }

    @Test func partialRotationLeavesTheRestOfEachHead() {
        let neox = RoPEConfiguration(headDim: 8, ropeDims: 4, pairing: .neox)
        expectClose(x.applyingRoPE(positions: positions, configuration: neox), shape: [3, 16], Self.rope_neox_partial,
                    relative: 2e-6, absolute: 2e-6)
        let gptj = RoPEConfiguration(headDim: 8, ropeDims: 4, base: 100_000, pairing: .gptj)
        var y = x
        y.applyRoPE(positions: positions, configuration: gptj)
        expectClose(y, shape: [3, 16], Self.rope_gptj_partial_base1e5, relative: 2e-6, absolute: 2e-6)
        // Dimensions 4..<8 of every head are untouched.
        for row in 0..<3 { for head in 0..<2 { for d in 4..<8 {
            #expect(y[row, head * 8 + d] == x[row, head * 8 + d])
        } } }
    }

    @Test func positionZeroIsIdentityAndNormsArePreserved() {
        let rope = RoPEConfiguration(headDim: 8, pairing: .gptj)
        let y = x.applyingRoPE(positions: [0, 0, 0], configuration: rope)
        #expect(y == x)
        // A rotation keeps the length of every pair.
        let z = x.applyingRoPE(positions: [7, 123, 4096], configuration: rope)
        for i in stride(from: 0, to: 48, by: 2) {
            let before = x.scalars[i] * x.scalars[i] + x.scalars[i + 1] * x.scalars[i + 1]
            let after = z.scalars[i] * z.scalars[i] + z.scalars[i + 1] * z.scalars[i + 1]
            #expect(abs(before - after) <= 1e-5 * Swift.max(1, before))
        }
    }
}
