import CQuantKernels

extension QuantizedMatrix {
    /// The instruction sets of the int8-activation products (CQuantKernels); `best` is the one used.
    public enum IntegerKernel: String, CaseIterable, Sendable {
        case avx2 = "avx2"
        case avx512VNNI = "avx512-vnni"

        var code: Int32 { self == .avx2 ? Int32(ALLSPARK_KERNEL_AVX2) : Int32(ALLSPARK_KERNEL_AVX512_VNNI) }
        public var isAvailable: Bool { allspark_quantized_kernel_available(code) != 0 }
        /// The fastest this CPU runs.
        public static var best: IntegerKernel { avx512VNNI.isAvailable ? .avx512VNNI : .avx2 }
    }

    var formatCode: Int32 {
        switch format {
        case .q4_0: Int32(ALLSPARK_Q4_0)
        case .q4_1: Int32(ALLSPARK_Q4_1)
        case .q8_0: Int32(ALLSPARK_Q8_0)
        }
    }

    /// One product of `multiply(sharing:)`: a matrix and where its result goes.
    public typealias Product = (matrix: QuantizedMatrix, y: UnsafeMutablePointer<Float>)

    /// Y_i = X · W_iᵀ for several matrices that read the same X (a layer's query, key and value
    /// projections; its gate and up projections): `multiply` of each, with the same results, but
    /// under int8 activations X is rounded once and all products run as one parallel job — one
    /// hand-off to the workers instead of one per matrix. Matrices of another format or width
    /// than the first, and Float activations, take `multiply` one by one. The products come in a
    /// buffer (the caller's stack, say) so that a decoded token allocates nothing for the list.
    public static func multiply(sharing x: UnsafePointer<Float>, vectors: Int, _ products: UnsafeBufferPointer<Product>,
                                activations: ActivationPrecision) {
        guard let first = products.first, vectors > 0 else { return }
        let grouped = activations == .int8Blocks
            && products.allSatisfy { $0.matrix.format == first.matrix.format && $0.matrix.columns == first.matrix.columns }
        if grouped, integerProducts(products, x: x, vectors: vectors) { return }
        for p in products { p.matrix.multiply(x, vectors: vectors, into: p.y, activations: activations) }
    }

    /// This matrix's int8-activation products through the integer kernels.
    func integerProducts(_ x: UnsafePointer<Float>, vectors: Int, into y: UnsafeMutablePointer<Float>,
                         kernel: IntegerKernel = .best) -> Bool {
        withUnsafePointer(to: (self, y)) { product in
            Self.integerProducts(UnsafeBufferPointer(start: product, count: 1), x: x, vectors: vectors, kernel: kernel)
        }
    }

    /// int8-activation products of matrices of one format and width through CQuantKernels'
    /// integer kernels (AVX2 or AVX-512 VNNI), bit for bit the results of `products`. X's blocks
    /// go to this thread's reused scratch buffer, so a decoded token allocates none; the rows of
    /// all matrices, end to end, are split over the threads. Returns false, having done nothing,
    /// when `kernel` does not run here or that buffer cannot grow.
    static func integerProducts(_ products: UnsafeBufferPointer<Product>,
                                x: UnsafePointer<Float>, vectors: Int, kernel: IntegerKernel = .best) -> Bool {
        guard kernel.isAvailable, let first = products.first?.matrix else { return false }
        let blocks = first.blocksPerRow, batchBlocks = vectors * blocks
        // Per block: 32 int8 values, then a Float scale and a Float sum, in three runs.
        guard let scratch = allspark_thread_scratch(batchBlocks * (32 + 8)) else { return false }
        let values = scratch.bindMemory(to: Int8.self, capacity: batchBlocks * 32)
        let scales = (scratch + batchBlocks * 32).bindMemory(to: Float.self, capacity: 2 * batchBlocks)
        let sums = scales + batchBlocks
        allspark_quantize_q8_blocks(x, batchBlocks, values, scales, sums)
        var batch = allspark_q8_batch(values: values, scales: scales, sums: sums, blocks: blocks)
        let totalRows = products.reduce(0) { $0 + $1.matrix.rows }
        // Below ~64 K weight-vector products a hand-off costs more than it saves. Above, up to four
        // chunks per thread, taken in turn, so that a thread slowed down takes fewer; each holds
        // a multiple of 4 rows (the kernels take rows in pairs, or in groups of four from the
        // interleaved copy) and at least 64.
        let threads = EngineThreads.count
        let chunks = totalRows * first.columns * vectors < 65_536 ? 1 : Swift.max(threads, Swift.min(4 * threads, totalRows / 64))
        let perChunk = ((totalRows + chunks - 1) / chunks + 3) & ~3
        withUnsafePointer(to: &batch) { batchPointer in
            var job = ProductsJob(products: products, batch: batchPointer, kernel: kernel.code, vectors: vectors,
                                  perChunk: perChunk, totalRows: totalRows)
            // A C function over the job, not a closure: the spinning workers then allocate nothing.
            EngineThreads.parallelFor(chunks: chunks, context: &job) { context, c in
                context!.assumingMemoryBound(to: ProductsJob.self).pointee.run(chunk: c)
            }
        }
        return true
    }
}

/// What one chunk of `integerProducts` reads: global rows [c · perChunk, (c + 1) · perChunk) of
/// the matrices laid end to end, each with the whole batch.
private struct ProductsJob {
    let products: UnsafeBufferPointer<QuantizedMatrix.Product>
    let batch: UnsafePointer<allspark_q8_batch>
    let kernel: Int32
    let vectors: Int
    let perChunk: Int
    let totalRows: Int

    func run(chunk c: Int) {
        let begin = c * perChunk, end = Swift.min(totalRows, begin + perChunk)
        var offset = 0
        for (matrix, y) in products {
            var from = Swift.max(begin, offset) - offset, to = Swift.min(end, offset + matrix.rows) - offset
            if let interleaved = matrix.interleaved {
                // Whole groups of four rows: this chunk takes the groups whose first row it holds
                // (a matrix after one whose rows are not a multiple of 4 starts off the chunks' grid).
                from = (from + 3) & ~3
                to = to == matrix.rows ? to : (to + 3) & ~3
                if from < to {
                    _ = allspark_interleaved_products(kernel, matrix.formatCode, interleaved, from, to, batch, vectors,
                                                      y, matrix.rows)
                }
            } else if from < to {
                _ = allspark_quantized_products(kernel, matrix.formatCode, matrix.base, matrix.bytesPerRow,
                                                from, to, batch, vectors, y, matrix.rows)
            }
            offset += matrix.rows
        }
    }
}
