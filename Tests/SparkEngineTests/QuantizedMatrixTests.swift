import Testing
@testable import SparkEngine

/// Builds quantised rows byte by byte from the block definitions (ggml-common.h) and checks the
/// engine's dequantisation and mat-vec kernels against values computed here independently.
struct QuantizedMatrixTests {
    static func halfBytes(_ v: Float) -> [UInt8] {
        let bits = Float16(v).bitPattern
        return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
    }

    /// A Q4_1 block: d, m, then byte j = low nibble (weight j) | high nibble (weight j+16) << 4.
    static func q4_1Block(d: Float, m: Float, nibbles: [UInt8]) -> [UInt8] {
        var bytes = halfBytes(d) + halfBytes(m)
        for j in 0..<16 { bytes.append(nibbles[j] | (nibbles[j + 16] << 4)) }
        return bytes
    }

    static func q4_0Block(d: Float, nibbles: [UInt8]) -> [UInt8] {
        var bytes = halfBytes(d)
        for j in 0..<16 { bytes.append(nibbles[j] | (nibbles[j + 16] << 4)) }
        return bytes
    }

    static func q8_0Block(d: Float, values: [Int8]) -> [UInt8] {
        halfBytes(d) + values.map { UInt8(bitPattern: $0) }
    }

    /// A small deterministic pseudo-random source for test data (LCG; the kernel must not care).
    struct TestValues {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        mutating func nibble() -> UInt8 { UInt8(next() % 16) }
        mutating func signedByte() -> Int8 { Int8(truncatingIfNeeded: Int(next() % 255) - 127) }
        mutating func unit() -> Float { Float(next() % 20001) / 10000 - 1 }
    }

    @Test func q4_1DequantisesByDefinition() {
        // d = 0.5, m = -1: weight = 0.5 q - 1. Nibbles 0…15 then 15…0.
        let nibbles = (0..<16).map { UInt8($0) } + (0..<16).map { UInt8(15 - $0) }
        let bytes = Self.q4_1Block(d: 0.5, m: -1, nibbles: nibbles)
        #expect(bytes.count == QuantizedFormat.q4_1.bytesPerBlock)
        var out = [Float](repeating: 0, count: 32)
        bytes.withUnsafeBytes { raw in
            let m = QuantizedMatrix(format: .q4_1, rows: 1, columns: 32, base: raw.baseAddress!)
            out.withUnsafeMutableBufferPointer { m.dequantize(rows: 0..<1, into: $0.baseAddress!) }
        }
        #expect(out[0] == -1)      // 0.5·0 − 1
        #expect(out[15] == 6.5)    // 0.5·15 − 1
        #expect(out[16] == 6.5)    // high nibble of byte 0 = 15
        #expect(out[31] == -1)
    }

    @Test func q4_0AndQ8_0DequantiseByDefinition() {
        let nibbles = (0..<32).map { UInt8($0 % 16) }
        let q4 = Self.q4_0Block(d: 2, nibbles: nibbles)
        let q8 = Self.q8_0Block(d: 0.25, values: (0..<32).map { Int8($0 * 8 - 128) })
        var out4 = [Float](repeating: 0, count: 32), out8 = [Float](repeating: 0, count: 32)
        q4.withUnsafeBytes { raw in
            out4.withUnsafeMutableBufferPointer {
                QuantizedMatrix(format: .q4_0, rows: 1, columns: 32, base: raw.baseAddress!).dequantize(rows: 0..<1, into: $0.baseAddress!)
            }
        }
        q8.withUnsafeBytes { raw in
            out8.withUnsafeMutableBufferPointer {
                QuantizedMatrix(format: .q8_0, rows: 1, columns: 32, base: raw.baseAddress!).dequantize(rows: 0..<1, into: $0.baseAddress!)
            }
        }
        #expect(out4[0] == -16)   // 2·(0 − 8)
        #expect(out4[15] == 14)   // 2·(15 − 8)
        #expect(out4[17] == -14)  // weight 17 = high nibble of byte 1 = 1 → 2·(1 − 8)
        #expect(out8[0] == -32)   // 0.25·(−128)
        #expect(out8[31] == 30)   // 0.25·(31·8 − 128) = 0.25·120
    }

    /// Mat-vec against a Double reference that decodes every weight from the bytes directly.
    @Test(arguments: QuantizedFormat.allCases)
    func matVecMatchesReference(format: QuantizedFormat) {
        let rows = 37, columns = 96   // 3 blocks per row, odd row count for the thread split
        var values = TestValues(state: 7)
        var bytes: [UInt8] = []
        var reference = [[Double]](repeating: [], count: rows)
        for r in 0..<rows {
            for _ in 0..<(columns / 32) {
                let d = Float(Float16(values.unit() * 0.1)), m = Float(Float16(values.unit()))
                switch format {
                case .q4_1:
                    let n = (0..<32).map { _ in values.nibble() }
                    bytes += Self.q4_1Block(d: d, m: m, nibbles: n)
                    reference[r] += n.map { Double(d) * Double($0) + Double(m) }
                case .q4_0:
                    let n = (0..<32).map { _ in values.nibble() }
                    bytes += Self.q4_0Block(d: d, nibbles: n)
                    reference[r] += n.map { Double(d) * (Double($0) - 8) }
                case .q8_0:
                    let q = (0..<32).map { _ in values.signedByte() }
                    bytes += Self.q8_0Block(d: d, values: q)
                    reference[r] += q.map { Double(d) * Double($0) }
                }
            }
        }
        let x = (0..<columns).map { _ in values.unit() }
        var y = [Float](repeating: .nan, count: rows)
        var dequantised = [Float](repeating: .nan, count: rows * columns)
        bytes.withUnsafeBytes { raw in
            let matrix = QuantizedMatrix(format: format, rows: rows, columns: columns, base: raw.baseAddress!)
            #expect(matrix.byteCount == bytes.count)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { matrix.multiply(xp.baseAddress!, into: $0.baseAddress!) } }
            dequantised.withUnsafeMutableBufferPointer { matrix.dequantize(rows: 0..<rows, into: $0.baseAddress!) }
        }
        for r in 0..<rows {
            let expected = zip(reference[r], x).reduce(0.0) { $0 + $1.0 * Double($1.1) }
            #expect(abs(Double(y[r]) - expected) <= 1e-4 * max(1, abs(expected)), "row \(r): \(y[r]) vs \(expected)")
            for c in 0..<columns {
                // d·q is exact in Float (an 11-bit scale times a ≤ 8-bit integer); + m may round once.
                #expect(abs(Double(dequantised[r * columns + c]) - reference[r][c]) <= 1e-6 * max(1, abs(reference[r][c])))
            }
        }
    }

    /// A random `rows × columns` matrix of `format` and its integer weights, scales and minimums.
    typealias RandomMatrix = (bytes: [UInt8], weights: [[Int]], scales: [[Float]], minimums: [[Float]])

    static func randomMatrix(_ format: QuantizedFormat, rows: Int, columns: Int, seed: UInt64) -> RandomMatrix {
        var values = TestValues(state: seed)
        var bytes: [UInt8] = [], weights: [[Int]] = [], scales: [[Float]] = [], minimums: [[Float]] = []
        for _ in 0..<rows {
            var w: [Int] = [], d: [Float] = [], m: [Float] = []
            for _ in 0..<(columns / 32) {
                let scale = Float(Float16(values.unit() * 0.1)), minimum = Float(Float16(values.unit()))
                d.append(scale); m.append(format == .q4_1 ? minimum : 0)
                switch format {
                case .q4_1:
                    let n = (0..<32).map { _ in values.nibble() }
                    bytes += q4_1Block(d: scale, m: minimum, nibbles: n); w += n.map { Int($0) }
                case .q4_0:
                    let n = (0..<32).map { _ in values.nibble() }
                    bytes += q4_0Block(d: scale, nibbles: n); w += n.map { Int($0) - 8 }
                case .q8_0:
                    let q = (0..<32).map { _ in values.signedByte() }
                    bytes += q8_0Block(d: scale, values: q); w += q.map { Int($0) }
                }
            }
            weights.append(w); scales.append(d); minimums.append(m)
        }
        return (bytes, weights, scales, minimums)
    }

    /// llama.cpp's AVX2 path restated in scalar code (quants.c: quantize_row_q8_1/q8_0, then
    /// vec_dot_q4_1_q8_1 / vec_dot_q4_0_q8_0 / vec_dot_q8_0_q8_0): x rounded to int8 blocks; lane
    /// k of an 8-lane accumulator takes, per block, the integer Σ_{e<4} w[4k+e]·q[4k+e] with
    /// acc[k] = fma(d_w·d_x, lane, acc[k]); the lanes are summed as hsum_float_8 does; Q4_1 adds
    /// Σ fma(m, f16(d_x·Σq), ·) after that.
    static func llamaDot(weights: [Int], scales: [Float], minimums: [Float], x: [Float], format: QuantizedFormat) -> Float {
        var acc = [Float](repeating: 0, count: 8)
        var minimumTerm: Float = 0
        for b in 0..<(x.count / 32) {
            let block = Array(x[(b * 32)..<(b * 32 + 32)])
            let maximum = block.map { abs($0) }.max()!
            let d = maximum / 127, inverse: Float = maximum != 0 ? 127 / maximum : 0
            let q = block.map { ($0 * inverse).rounded(.toNearestOrEven) }
            let dx = Float(Float16(d)), s = Float(Float16(d * q.reduce(0, +)))
            for k in 0..<8 {
                var lane = 0
                for e in 0..<4 { lane += weights[b * 32 + 4 * k + e] * Int(q[4 * k + e]) }
                acc[k] = acc[k].addingProduct(scales[b] * dx, Float(lane))
            }
            if format == .q4_1 { minimumTerm = minimumTerm.addingProduct(minimums[b], s) }
        }
        let sum = ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
        return format == .q4_1 ? sum + minimumTerm : sum
    }

    /// With int8 activations every product must be llama.cpp's, bit for bit: that is what makes
    /// greedy generations agree token for token.
    @Test(arguments: QuantizedFormat.allCases)
    func int8ProductsEqualLlamaCppsKernelBitForBit(format: QuantizedFormat) {
        let rows = 37, columns = 160
        let m = Self.randomMatrix(format, rows: rows, columns: columns, seed: 11)
        var values = TestValues(state: 3)
        let x = (0..<columns).map { _ in values.unit() * 3 }
        var y = [Float](repeating: .nan, count: rows)
        m.bytes.withUnsafeBytes { raw in
            let matrix = QuantizedMatrix(format: format, rows: rows, columns: columns, base: raw.baseAddress!)
            y.withUnsafeMutableBufferPointer { matrix.multiply(x, into: $0.baseAddress!, activations: .int8Blocks) }
        }
        for r in 0..<rows {
            let expected = Self.llamaDot(weights: m.weights[r], scales: m.scales[r], minimums: m.minimums[r], x: x, format: format)
            #expect(y[r].bitPattern == expected.bitPattern, "row \(r): \(y[r]) vs \(expected)")
        }
    }

    /// A batch of vectors gives each vector exactly its single-vector product (both precisions),
    /// including a batch size that is not a multiple of the kernel's group of four.
    @Test(arguments: QuantizedFormat.allCases, ActivationPrecision.allCases)
    func batchedProductsEqualSingleProducts(format: QuantizedFormat, precision: ActivationPrecision) {
        let rows = 45, columns = 96, vectors = 7
        let m = Self.randomMatrix(format, rows: rows, columns: columns, seed: 5)
        var values = TestValues(state: 9)
        let x = (0..<(vectors * columns)).map { _ in values.unit() }
        var batched = [Float](repeating: .nan, count: vectors * rows), single = batched
        m.bytes.withUnsafeBytes { raw in
            let matrix = QuantizedMatrix(format: format, rows: rows, columns: columns, base: raw.baseAddress!)
            batched.withUnsafeMutableBufferPointer { matrix.multiply(x, vectors: vectors, into: $0.baseAddress!, activations: precision) }
            x.withUnsafeBufferPointer { xp in
                single.withUnsafeMutableBufferPointer { yp in
                    for v in 0..<vectors {
                        matrix.multiply(xp.baseAddress! + v * columns, into: yp.baseAddress! + v * rows, activations: precision)
                    }
                }
            }
        }
        #expect(batched.map(\.bitPattern) == single.map(\.bitPattern))
    }

    @Test func activationBlocksRoundHalfToEvenAndTransposeLanes() {
        // max |x| = 127 makes d = 1 and q = round(x): 2.5 → 2, 3.5 → 4, −2.5 → −2 (half to even).
        var x = (0..<32).map { Float($0) }
        x[0] = 127; x[1] = 2.5; x[2] = 3.5; x[3] = -2.5
        let batch = PreparedBatch(x, rows: 1, columns: 32, precision: .int8Blocks)
        defer { batch.deallocate() }
        let v = batch.vector(0)
        var q = x.map { $0.rounded(.toNearestOrEven) }
        q[1] = 2; q[2] = 4; q[3] = -2
        for e in 0..<4 { for k in 0..<8 { #expect(v.values[8 * e + k] == q[4 * k + e], "lane \(k), extract \(e)") } }
        #expect(v.scales[0] == 1)
        #expect(v.offsetSums[0] == Float(Float16(q.reduce(0, +))))   // f16(d · Σq), d = 1
    }
}

