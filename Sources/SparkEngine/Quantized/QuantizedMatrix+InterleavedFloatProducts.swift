import CQuantKernels

extension QuantizedMatrix {
    /// Float-activation products read from the interleaved copy (`InterleavedCopy`) by
    /// CQuantKernels' float kernel: bit for bit `products`' results on the GGUF's layout, in about
    /// half the time (two blocks per load, four rows' scales per conversion; float_kernels.c).
    /// This is how the reference numerics decode, and so the trained pipeline's generation.
    /// Rows are split over `chunks` jobs on whole groups of four. Returns false, having done
    /// nothing, when `kernel` does not run on this CPU.
    func interleavedFloatProducts(_ interleaved: UnsafeRawPointer, _ batch: PreparedBatch, chunks: Int,
                                  into y: UnsafeMutablePointer<Float>, kernel: IntegerKernel) -> Bool {
        guard kernel.isAvailable else { return false }
        let first = batch.vector(0)
        var job = InterleavedFloatProductsJob(matrix: self, interleaved: interleaved, values: first.values,
                                              sums: first.offsetSums, vectors: batch.rows, y: y, kernel: kernel.code,
                                              perChunk: ((rows + chunks - 1) / chunks + 3) & ~3)
        // A C function over the job, not a closure: the spinning workers then allocate nothing.
        EngineThreads.parallelFor(chunks: chunks, context: &job) { context, c in
            context!.assumingMemoryBound(to: InterleavedFloatProductsJob.self).pointee.run(chunk: c)
        }
        return true
    }
}

/// Rows [c · perChunk, (c + 1) · perChunk) of `interleavedFloatProducts`, a multiple of 4 (an
/// interleaved copy exists only for a row count that is one).
private struct InterleavedFloatProductsJob {
    let matrix: QuantizedMatrix
    let interleaved: UnsafeRawPointer
    let values: UnsafePointer<Float>
    let sums: UnsafePointer<Float>
    let vectors: Int
    let y: UnsafeMutablePointer<Float>
    let kernel: Int32
    let perChunk: Int

    func run(chunk c: Int) {
        let begin = c * perChunk, end = Swift.min(matrix.rows, begin + perChunk)
        guard begin < end else { return }
        _ = allspark_interleaved_float_products(kernel, matrix.formatCode, interleaved, begin, end, values, sums,
                                                matrix.blocksPerRow, vectors, y, matrix.rows)
    }
}
