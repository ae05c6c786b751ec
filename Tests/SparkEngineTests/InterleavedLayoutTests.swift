import CQuantKernels
import Testing
@testable import SparkEngine

/// The interleaved copies the C kernels read (`InterleavedCopy`): the same products as the GGUF's
/// layout and as llama.cpp's arithmetic restated in scalar Swift, bit for bit, for every format
/// and instruction set, an odd block count (the last pair half empty), one vector and a batch,
/// and products split over chunks whose grid a previous matrix has shifted; and under Float
/// activations, the Swift kernel's products bit for bit.
struct InterleavedLayoutTests {
    /// `matrix`'s products with each of `vectors` rows of `x`, through `multiply(sharing:)`'s path.
    static func products(_ matrix: QuantizedMatrix, x: [Float], vectors: Int, kernel: QuantizedMatrix.IntegerKernel) -> [Float] {
        var y = [Float](repeating: .nan, count: vectors * matrix.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                #expect(matrix.integerProducts(xp.baseAddress!, vectors: vectors, into: yp.baseAddress!, kernel: kernel))
            }
        }
        return y
    }

    @Test(arguments: QuantizedFormat.allCases, [1, 7, 9])
    func interleavedProductsEqualLlamaCppBitForBit(format: QuantizedFormat, vectors: Int) throws {
        let rows = 40, columns = 160   // five blocks: the last pair holds one
        try Self.withRandomMatrix(format, rows: rows, columns: columns, vectors: vectors, seed: 29) { m, x, plain, copy in
            // Groups of four rows × pairs of blocks (three, the last half empty) × eight blocks' bytes.
            #expect(copy.byteCount == rows / 4 * 3 * 8 * format.bytesPerBlock)
            let interleaved = copy.attached(to: plain)
            #expect(interleaved.interleaved != nil)
            for kernel in IntegerKernelTests.kernels {
                let y = Self.products(interleaved, x: x, vectors: vectors, kernel: kernel)
                IntegerKernelTests.expectLlamaProducts(y, of: m, format, x: x, vectors: vectors, "interleaved \(kernel)")
                let reference = Self.products(plain, x: x, vectors: vectors, kernel: kernel)
                #expect(y.map(\.bitPattern) == reference.map(\.bitPattern), "\(kernel) \(format): the GGUF layout's products")
            }
        }
    }

    /// Float activations (the reference numerics' decoding): the float kernel on the copy gives
    /// the Swift kernel's products on the GGUF's layout bit for bit, on both instruction sets,
    /// with an odd block count (five: the last pair half empty) and an even one; and both are the
    /// exact dot product, computed in Double from the weights the test made, to Float rounding.
    @Test(arguments: QuantizedFormat.allCases, [1, 2, 3])
    func floatProductsEqualTheSwiftKernelBitForBit(format: QuantizedFormat, vectors: Int) throws {
        for columns in [160, 256] {
            let rows = 24
            try Self.withRandomMatrix(format, rows: rows, columns: columns, vectors: vectors, seed: 31) { m, x, plain, copy in
                let swift = Self.floatProducts(plain, x: x, vectors: vectors, kernel: .best)
                for kernel in IntegerKernelTests.kernels {
                    let y = Self.floatProducts(copy.attached(to: plain), x: x, vectors: vectors, kernel: kernel)
                    #expect(y.map(\.bitPattern) == swift.map(\.bitPattern), "\(kernel) \(format), \(columns) columns")
                }
                for v in 0..<vectors {
                    for r in 0..<rows {
                        var exact = 0.0, magnitude = 0.0
                        for c in 0..<columns {
                            let b = c / 32
                            let w = Double(m.scales[r][b]) * Double(m.weights[r][c]) + Double(m.minimums[r][b])
                            exact += w * Double(x[v * columns + c]); magnitude += abs(w * Double(x[v * columns + c]))
                        }
                        #expect(abs(Double(swift[v * rows + r]) - exact) <= 1e-5 * magnitude, "row \(r), vector \(v)")
                    }
                }
            }
        }
    }

    /// A random `rows × columns` matrix of `format` (GGUF layout), its interleaved copy and
    /// `vectors` rows of x with values in −2…2, for `body`.
    static func withRandomMatrix(_ format: QuantizedFormat, rows: Int, columns: Int, vectors: Int, seed: UInt64,
                                 _ body: (QuantizedMatrixTests.RandomMatrix, [Float], QuantizedMatrix, InterleavedCopy) throws -> Void) throws {
        let m = QuantizedMatrixTests.randomMatrix(format, rows: rows, columns: columns, seed: seed)
        var values = QuantizedMatrixTests.TestValues(state: seed + 14)
        let x = (0..<(vectors * columns)).map { _ in values.unit() * 2 }
        try m.bytes.withUnsafeBytes { raw in
            let plain = QuantizedMatrix(format: format, rows: rows, columns: columns, base: raw.baseAddress!)
            let copy = try #require(InterleavedCopy(of: plain))
            try withExtendedLifetime(copy) { try body(m, x, plain, copy) }
        }
    }

    static func floatProducts(_ matrix: QuantizedMatrix, x: [Float], vectors: Int, kernel: QuantizedMatrix.IntegerKernel) -> [Float] {
        var y = [Float](repeating: .nan, count: vectors * matrix.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                matrix.multiply(xp.baseAddress!, vectors: vectors, into: yp.baseAddress!, activations: .float32, kernel: kernel)
            }
        }
        return y
    }

    @Test func rowCountsNotAMultipleOfFourHaveNoInterleavedForm() {
        let m = QuantizedMatrixTests.randomMatrix(.q4_1, rows: 6, columns: 64, seed: 3)
        m.bytes.withUnsafeBytes { raw in
            #expect(InterleavedCopy(of: QuantizedMatrix(format: .q4_1, rows: 6, columns: 64, base: raw.baseAddress!)) == nil)
        }
        #expect(allspark_interleaved_bytes(Int32(ALLSPARK_Q4_1), 6, 2) == -1)
        #expect(allspark_interleaved_bytes(Int32(ALLSPARK_Q4_1), 4, Int.max) == -1)
        #expect(allspark_interleaved_bytes(7, 4, 2) == -1)
    }

    /// A 101-row matrix (GGUF layout) then a 100-row one (interleaved) in one shared job of three
    /// chunks of 68 rows, on one thread or two: the second matrix starts at row 101, so a chunk
    /// boundary falls inside its ninth group, and every group of four rows must still be computed
    /// exactly once.
    @Test func sharedJobsSplitInterleavedMatricesOnWholeGroups() throws {
        let columns = 256, vectors = 7
        let a = QuantizedMatrixTests.randomMatrix(.q4_1, rows: 101, columns: columns, seed: 5)
        let b = QuantizedMatrixTests.randomMatrix(.q4_1, rows: 100, columns: columns, seed: 6)
        var values = QuantizedMatrixTests.TestValues(state: 47)
        let x = (0..<(vectors * columns)).map { _ in values.unit() }
        try a.bytes.withUnsafeBytes { ra in
            try b.bytes.withUnsafeBytes { rb in
                let first = QuantizedMatrix(format: .q4_1, rows: 101, columns: columns, base: ra.baseAddress!)
                let plainSecond = QuantizedMatrix(format: .q4_1, rows: 100, columns: columns, base: rb.baseAddress!)
                let copy = try #require(InterleavedCopy(of: plainSecond))
                let second = copy.attached(to: plainSecond)
                var ya = [Float](repeating: .nan, count: vectors * 101), yb = [Float](repeating: .nan, count: vectors * 100)
                ya.withUnsafeMutableBufferPointer { pa in
                    yb.withUnsafeMutableBufferPointer { pb in
                        let list: [QuantizedMatrix.Product] = [(first, pa.baseAddress!), (second, pb.baseAddress!)]
                        x.withUnsafeBufferPointer { xp in
                            list.withUnsafeBufferPointer { QuantizedMatrix.multiply(sharing: xp.baseAddress!, vectors: vectors, $0, activations: .int8Blocks) }
                        }
                    }
                }
                let expectedA = Self.products(first, x: x, vectors: vectors, kernel: .best)
                let expectedB = Self.products(plainSecond, x: x, vectors: vectors, kernel: .best)
                #expect(ya.map(\.bitPattern) == expectedA.map(\.bitPattern))
                #expect(yb.map(\.bitPattern) == expectedB.map(\.bitPattern))
            }
        }
    }
}
