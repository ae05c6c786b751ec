import CQuantKernels

extension QuantizedMatrix {
    /// y = W · x, split over the engine's threads by rows.
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                         activations: ActivationPrecision = .float32) {
        multiply(x, vectors: 1, into: y, activations: activations)
    }

    /// Y[v, r] = Σ_c W[r, c] · X[v, c] for `vectors` rows of X `[vectors, columns]` (Y is
    /// `[vectors, rows]`), each product computed exactly as the single-vector `multiply` computes
    /// it: the same kernel, the same rounding, whatever the batch size. That is what batched
    /// prefill needs to agree with llama.cpp, whose CPU backend runs the same per-row dot product
    /// for every token of a batch on these formats.
    public func multiply(_ x: UnsafePointer<Float>, vectors: Int, into y: UnsafeMutablePointer<Float>,
                         activations: ActivationPrecision = .float32) {
        multiply(x, vectors: vectors, into: y, activations: activations, kernel: .best)
    }

    /// `multiply` with the C kernels' instruction set chosen (tests run each one this CPU has).
    func multiply(_ x: UnsafePointer<Float>, vectors: Int, into y: UnsafeMutablePointer<Float>,
                  activations: ActivationPrecision, kernel: IntegerKernel) {
        guard vectors > 0, rows > 0 else { return }
        if activations == .int8Blocks, integerProducts(x, vectors: vectors, into: y, kernel: kernel) { return }
        // The prepared vectors go to this thread's scratch (a decoded token allocates nothing),
        // or to memory of their own if that cannot grow.
        let scratch = allspark_thread_scratch(PreparedBatch.byteCount(rows: vectors, columns: columns))
        let batch = PreparedBatch(x, rows: vectors, columns: columns, precision: activations, scratch: scratch)
        defer { batch.deallocate() }
        let threads = EngineThreads.count
        // Below ~128 K weight-vector products the dispatch costs more than it saves.
        let chunks = rows * columns * vectors < 131_072 ? 1 : threads
        if activations == .float32, let interleaved,
           interleavedFloatProducts(interleaved, batch, chunks: chunks, into: y, kernel: kernel) { return }
        withUnsafePointer(to: batch) { batchPointer in
            var job = FloatProductsJob(matrix: self, batch: batchPointer, y: y, perChunk: (rows + chunks - 1) / chunks)
            // A C function over the job, not a closure: the spinning workers then allocate nothing.
            EngineThreads.parallelFor(chunks: chunks, context: &job) { context, c in
                context!.assumingMemoryBound(to: FloatProductsJob.self).pointee.run(chunk: c)
            }
        }
    }

    /// Rows [c · perChunk, (c + 1) · perChunk) of `multiply`'s products.
    fileprivate func products(chunk c: Int, perChunk: Int, _ batch: PreparedBatch, _ y: UnsafeMutablePointer<Float>) {
        let start = c * perChunk
        let end = Swift.min(rows, start + perChunk)
        guard start < end else { return }
        switch format {
        case .q4_1: products(.q4_1, start..<end, batch, y)
        case .q4_0: products(.q4_0, start..<end, batch, y)
        case .q8_0: products(.q8_0, start..<end, batch, y)
        }
    }

    /// Rows `rowRange` of W with every vector of the batch. Tiled so that a tile of weight rows
    /// (a few KB) and a group of four vectors stay in L1 while they meet; `format` is a literal at
    /// the call sites, so each instance is specialised.
    @inline(__always)
    private func products(_ format: QuantizedFormat, _ rowRange: Range<Int>, _ batch: PreparedBatch,
                          _ y: UnsafeMutablePointer<Float>) {
        let blocks = blocksPerRow, n = batch.rows
        let tile = 16
        var tileStart = rowRange.lowerBound
        while tileStart < rowRange.upperBound {
            let tileEnd = Swift.min(rowRange.upperBound, tileStart + tile)
            var v = 0
            while v + 4 <= n {
                let x = (batch.vector(v), batch.vector(v + 1), batch.vector(v + 2), batch.vector(v + 3))
                for r in tileStart..<tileEnd {
                    let s = QuantizedDot.dot4(format, row(r), x, blocks: blocks)
                    y[v * rows + r] = s[0]; y[(v + 1) * rows + r] = s[1]
                    y[(v + 2) * rows + r] = s[2]; y[(v + 3) * rows + r] = s[3]
                }
                v += 4
            }
            while v < n {
                let x = batch.vector(v)
                for r in tileStart..<tileEnd { y[v * rows + r] = QuantizedDot.dot(format, row(r), x, blocks: blocks) }
                v += 1
            }
            tileStart = tileEnd
        }
    }

    /// Dequantises rows `rowRange` into `out` (row-major, `columns` floats per row, natural order).
    /// Batched prefill dequantises every layer's matrices on each call, so this is on its critical
    /// path: the format is chosen once per row and each block is a plain loop over typed bytes,
    /// which the compiler turns into SIMD code. Each value is `q · d + m` (or `(q − 8) · d`, `q · d`),
    /// multiply then add, as the formats define.
    public func dequantize(rows rowRange: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let blocks = blocksPerRow
        for (i, r) in rowRange.enumerated() {
            let src = row(r)
            let dst = out + i * columns
            switch format {
            case .q4_1:
                for b in 0..<blocks {
                    let p = src + b &* 20, o = dst + b &* 32
                    let d = QuantizedDot.half(p, 0), m = QuantizedDot.half(p, 2)
                    let q = (p + 4).assumingMemoryBound(to: UInt8.self)
                    for j in 0..<16 {
                        o[j] = Float(q[j] & 0x0F) * d + m
                        o[j &+ 16] = Float(q[j] &>> 4) * d + m
                    }
                }
            case .q4_0:
                for b in 0..<blocks {
                    let p = src + b &* 18, o = dst + b &* 32
                    let d = QuantizedDot.half(p, 0)
                    let q = (p + 2).assumingMemoryBound(to: UInt8.self)
                    for j in 0..<16 {
                        o[j] = Float(Int32(q[j] & 0x0F) &- 8) * d
                        o[j &+ 16] = Float(Int32(q[j] &>> 4) &- 8) * d
                    }
                }
            case .q8_0:
                for b in 0..<blocks {
                    let p = src + b &* 34, o = dst + b &* 32
                    let d = QuantizedDot.half(p, 0)
                    let q = (p + 2).assumingMemoryBound(to: Int8.self)
                    for j in 0..<32 { o[j] = Float(q[j]) * d }
                }
            }
        }
    }
}

/// What one chunk of `QuantizedMatrix.multiply`'s Float-activation products reads.
private struct FloatProductsJob {
    let matrix: QuantizedMatrix
    let batch: UnsafePointer<PreparedBatch>
    let y: UnsafeMutablePointer<Float>
    let perChunk: Int

    func run(chunk c: Int) { matrix.products(chunk: c, perChunk: perChunk, batch.pointee, y) }
}
