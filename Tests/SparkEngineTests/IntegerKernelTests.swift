import Testing
@testable import SparkEngine

/// The C integer kernels (CQuantKernels), each instruction set this CPU has, against llama.cpp's
/// AVX2 arithmetic restated in scalar Swift (`QuantizedMatrixTests.llamaDot`): bit for bit, for
/// one vector (two-row unrolled path, odd row count), batches (groups of four plus a remainder,
/// more rows than a 16-row tile) and the extremes where a 16-bit pair sum could saturate.
struct IntegerKernelTests {
    static var kernels: [QuantizedMatrix.IntegerKernel] { QuantizedMatrix.IntegerKernel.allCases.filter(\.isAvailable) }

    /// Runs `kernel` on `bytes` as a `rows × columns` matrix of `format` with `vectors` rows of x.
    static func products(_ kernel: QuantizedMatrix.IntegerKernel, _ format: QuantizedFormat, bytes: [UInt8],
                         rows: Int, columns: Int, x: [Float], vectors: Int) -> [Float] {
        var y = [Float](repeating: .nan, count: vectors * rows)
        bytes.withUnsafeBytes { raw in
            let matrix = QuantizedMatrix(format: format, rows: rows, columns: columns, base: raw.baseAddress!)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    let ran = matrix.integerProducts(xp.baseAddress!, vectors: vectors, into: yp.baseAddress!, kernel: kernel)
                    #expect(ran, "\(kernel) did not run")
                }
            }
        }
        return y
    }

    @Test func avx2IsAlwaysAvailable() {
        #expect(QuantizedMatrix.IntegerKernel.avx2.isAvailable)
        #expect(Self.kernels.contains(QuantizedMatrix.IntegerKernel.best))
    }

    @Test(arguments: QuantizedFormat.allCases, [1, 7])
    func everyKernelEqualsLlamaCppBitForBit(format: QuantizedFormat, vectors: Int) {
        let rows = 37, columns = 160
        let m = QuantizedMatrixTests.randomMatrix(format, rows: rows, columns: columns, seed: 23)
        var values = QuantizedMatrixTests.TestValues(state: 41)
        let x = (0..<(vectors * columns)).map { _ in values.unit() * 2 }
        for kernel in Self.kernels {
            let y = Self.products(kernel, format, bytes: m.bytes, rows: rows, columns: columns, x: x, vectors: vectors)
            Self.expectLlamaProducts(y, of: m, format, x: x, vectors: vectors, "\(kernel)")
        }
    }

    /// Expects `y` (`vectors × rows`) to be llama.cpp's product of each row of `m` with each
    /// vector of `x`, bit for bit.
    static func expectLlamaProducts(_ y: [Float], of m: QuantizedMatrixTests.RandomMatrix, _ format: QuantizedFormat,
                                    x: [Float], vectors: Int, _ label: String) {
        let rows = m.weights.count, columns = x.count / vectors
        for v in 0..<vectors {
            let xv = Array(x[(v * columns)..<((v + 1) * columns)])
            for r in 0..<rows {
                let expected = QuantizedMatrixTests.llamaDot(weights: m.weights[r], scales: m.scales[r],
                                                             minimums: m.minimums[r], x: xv, format: format)
                #expect(y[v * rows + r].bitPattern == expected.bitPattern, "\(label) \(format) vector \(v) row \(r)")
            }
        }
    }

    /// Q8_0 weights of −128 and 127 against activations that round to ±127: the largest pair
    /// sums (2 · 128 · 127) a 16-bit lane must hold.
    @Test func extremeQ8WeightsDoNotSaturate() {
        let columns = 64
        let weightValues: [Int8] = (0..<columns).map { $0 % 3 == 0 ? 127 : -128 }
        var bytes: [UInt8] = []
        for b in 0..<(columns / 32) {
            bytes += QuantizedMatrixTests.q8_0Block(d: 0.5, values: Array(weightValues[(b * 32)..<(b * 32 + 32)]))
        }
        let x: [Float] = (0..<columns).map { $0 % 2 == 0 ? -1 : 1 }
        let expected = QuantizedMatrixTests.llamaDot(weights: weightValues.map { Int($0) }, scales: [0.5, 0.5],
                                                     minimums: [0, 0], x: x, format: .q8_0)
        for kernel in Self.kernels {
            let y = Self.products(kernel, .q8_0, bytes: bytes, rows: 1, columns: columns, x: x, vectors: 1)
            #expect(y[0].bitPattern == expected.bitPattern, "\(kernel): \(y[0]) vs \(expected)")
        }
    }
}
