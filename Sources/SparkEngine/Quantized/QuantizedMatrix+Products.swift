extension QuantizedMatrix {
    /// y[r] = Σ_c W[r, c] · x[c] for rows `rowRange`, x prepared (see `PreparedVector`).
    @inline(__always)
    func rowProducts(_ rowRange: Range<Int>, x: PreparedVector, y: UnsafeMutablePointer<Float>) {
        let blocks = blocksPerRow
        switch format {
        case .q4_1:
            for r in rowRange { y[r] = QuantizedDot.q4_1(row(r), x, blocks: blocks) }
        case .q4_0:
            for r in rowRange { y[r] = QuantizedDot.q4_0(row(r), x, blocks: blocks) }
        case .q8_0:
            for r in rowRange { y[r] = QuantizedDot.q8_0(row(r), x, blocks: blocks) }
        }
    }

    /// y = W · x, split over the engine's threads by rows.
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                         activations: ActivationPrecision = .float32) {
        let permuted = PreparedVector(x, count: columns, precision: activations)
        defer { permuted.deallocate() }
        let threads = EngineThreads.count
        // Below ~128 K weights the dispatch costs more than it saves.
        let chunks = rows * columns < 131_072 ? 1 : threads
        let perChunk = (rows + chunks - 1) / chunks
        EngineThreads.parallelFor(chunks: chunks) { c in
            let start = c * perChunk
            let end = Swift.min(rows, start + perChunk)
            if start < end { rowProducts(start..<end, x: permuted, y: y) }
        }
    }

    /// Y[rows, self.rows] += E · Mᵀ, where E[rows, blocks] are the per-block offset errors of a
    /// round-tripped batch (`ActivationPrecision.round(_:count:offsetErrors:)`) and M the blocks'
    /// minimums: this makes a dequantise-and-sgemm product of a Q4_1 matrix equal to llama.cpp's
    /// integer product, whose offset term uses an f16-rounded block sum. No-op for other formats.
    public func addOffsetCorrections(_ errors: UnsafePointer<Float>, rows batch: Int, into y: UnsafeMutablePointer<Float>) {
        guard format == .q4_1 else { return }
        let blocks = blocksPerRow
        let minimums = UnsafeMutablePointer<Float>.allocate(capacity: rows * blocks)
        defer { minimums.deallocate() }
        for r in 0..<rows {
            let p = row(r)
            for b in 0..<blocks { minimums[r * blocks + b] = QuantizedDot.half(p + b &* 20, 2) }
        }
        MatrixProduct.gemm(transposeA: false, transposeB: true, m: batch, n: rows, k: blocks,
                           a: errors, lda: blocks, b: minimums, ldb: blocks, beta: 1, c: y, ldc: rows)
    }

    /// Dequantises rows `rowRange` into `out` (row-major, `columns` floats per row, natural order).
    public func dequantize(rows rowRange: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let blocks = blocksPerRow
        for (i, r) in rowRange.enumerated() {
            let src = row(r)
            let dst = out + i * columns
            for b in 0..<blocks {
                let o = dst + b &* 32
                switch format {
                case .q4_1:
                    let p = src + b &* 20
                    let d = QuantizedDot.half(p, 0), m = QuantizedDot.half(p, 2)
                    for j in 0..<16 {
                        let q = p.load(fromByteOffset: 4 + j, as: UInt8.self)
                        o[j] = Float(q & 0x0F) * d + m
                        o[j + 16] = Float(q >> 4) * d + m
                    }
                case .q4_0:
                    let p = src + b &* 18
                    let d = QuantizedDot.half(p, 0)
                    for j in 0..<16 {
                        let q = p.load(fromByteOffset: 2 + j, as: UInt8.self)
                        o[j] = Float(Int(q & 0x0F) - 8) * d
                        o[j + 16] = Float(Int(q >> 4) - 8) * d
                    }
                case .q8_0:
                    let p = src + b &* 34
                    let d = QuantizedDot.half(p, 0)
                    for j in 0..<32 { o[j] = Float(p.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
                }
            }
        }
    }
}
