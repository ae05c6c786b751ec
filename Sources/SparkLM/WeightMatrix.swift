import SparkEngine
import SparkFormats

/// A weight matrix `[outputs, inputs]` (PyTorch's Linear layout, ggml's row order) as the decoder
/// multiplies it: quantised blocks read in place from the mapped file, or dense Float32.
///
/// Products are `Y[L, outputs] = X[L, inputs] · Wᵀ`. One or two rows go through the quantised
/// mat-vec kernels (decoding is memory-bound, so reading 4.5-bit weights directly wins), on the
/// matrix's interleaved copy (`InterleavedLayoutCache` says when it is made) where it has one. Longer
/// batches (prefill) with Float activations dequantise W into a reused scratch buffer and call
/// sgemm (compute-bound, where BLAS wins); with int8 activations (llama.cpp-compatible numerics)
/// they take the batched mat-vec kernels, which give every row exactly the single-row result.
public struct WeightMatrix: @unchecked Sendable {
    public enum Storage {
        case quantized(QuantizedMatrix)
        case dense([Float])
    }

    public let name: String
    public let outputs: Int
    public let inputs: Int
    public let storage: Storage
    /// The interleaved copy the mat-vec kernels read (quantised storage only), made on first use.
    let interleavedLayout: InterleavedLayoutCache?

    /// Float activations: rows at or below this count use mat-vec kernels; above it, dequantise + sgemm.
    static let matVecRowLimit = 2

    public init(name: String, outputs: Int, inputs: Int, storage: Storage) {
        self.name = name; self.outputs = outputs; self.inputs = inputs; self.storage = storage
        if case .quantized = storage { interleavedLayout = InterleavedLayoutCache() } else { interleavedLayout = nil }
    }

    /// Whether mat-vec products (decoding, in either numerics) and every int8-activation product
    /// read interleaved copies of the weights (the default) or the GGUF's own layout; the results
    /// are the same bit for bit, only the speed differs.
    public static var readsInterleavedCopies: Bool {
        get { InterleavedLayoutCache.enabled.load(ordering: .relaxed) }
        set { InterleavedLayoutCache.enabled.store(newValue, ordering: .relaxed) }
    }

    /// The quantised matrix with its interleaved copy attached once it is made, for the products
    /// that read it: the integer kernels' and the Float mat-vec kernel's (not dequantisation for
    /// sgemm). `InterleavedLayoutCache` says when it is made.
    func quantizedForProducts(_ q: QuantizedMatrix, _ activations: ActivationPrecision) -> QuantizedMatrix {
        guard let interleavedLayout else { return q }
        return interleavedLayout.matrixWithInterleavedCopy(q, for: activations)
    }

    /// Loads `name` from `gguf`, checking it is `[outputs, inputs]` (row-major) when given.
    public static func load(_ gguf: GGUFFile, _ name: String, outputs: Int? = nil, inputs: Int? = nil) throws -> WeightMatrix {
        guard let info = gguf.tensor(name) else {
            throw LMError.unsupportedModel(file: gguf.path, problem: "missing tensor '\(name)'")
        }
        let shape = info.rowMajorShape
        guard shape.count == 2, outputs.map({ $0 == shape[0] }) ?? true, inputs.map({ $0 == shape[1] }) ?? true else {
            throw LMError.unsupportedModel(file: gguf.path, problem: "tensor '\(name)' has shape \(shape); expected [\(outputs.map(String.init) ?? "?"), \(inputs.map(String.init) ?? "?")]")
        }
        let format: QuantizedFormat?
        switch info.type {
        case .q4_0: format = .q4_0
        case .q4_1: format = .q4_1
        case .q8_0: format = .q8_0
        case .f32, .f16, .bf16: format = nil
        default:
            throw LMError.unsupportedModel(file: gguf.path, problem: "tensor '\(name)' has type \(info.type), which this decoder does not multiply; supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1")
        }
        if let format {
            let raw = gguf.rawData(info)
            let matrix = QuantizedMatrix(format: format, rows: shape[0], columns: shape[1], base: raw.baseAddress!)
            guard raw.count >= matrix.byteCount else {
                throw LMError.unsupportedModel(file: gguf.path, problem: "tensor '\(name)' holds \(raw.count) bytes; \(format) \(shape) needs \(matrix.byteCount)")
            }
            return WeightMatrix(name: name, outputs: shape[0], inputs: shape[1], storage: .quantized(matrix))
        }
        let dense = try gguf.dequantize(info)
        return WeightMatrix(name: name, outputs: shape[0], inputs: shape[1], storage: .dense(dense.scalars))
    }

    /// Y[rows, outputs] = X[rows, inputs] · Wᵀ. `scratch` holds a dequantised copy for batches.
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, scratch: ScratchBuffer,
                      activations: ActivationPrecision = .float32) {
        switch storage {
        case .dense(let w):
            w.withUnsafeBufferPointer { wp in
                if rows == 1 {
                    MatrixProduct.gemv(transposeA: false, rows: outputs, cols: inputs, a: wp.baseAddress!, lda: inputs, x: x, y: y)
                } else {
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
                                       a: x, lda: inputs, b: wp.baseAddress!, ldb: inputs, c: y, ldc: outputs)
                }
            }
        case .quantized(let q):
            // int8 activations always take the mat-vec kernels, one vector at a time in effect:
            // llama.cpp computes every token of a batch with the same per-row dot product, so this
            // is what keeps a batched prefill bit-identical to it.
            if activations == .int8Blocks || rows <= Self.matVecRowLimit {
                quantizedForProducts(q, activations).multiply(x, vectors: rows, into: y, activations: activations)
            } else {
                let w = scratch.buffer(count: outputs * inputs)
                let threads = EngineThreads.count
                let perChunk = (outputs + threads - 1) / threads
                EngineThreads.parallelFor(chunks: threads) { c in
                    let start = c * perChunk, end = Swift.min(outputs, start + perChunk)
                    if start < end { q.dequantize(rows: start..<end, into: w + start * inputs) }
                }
                MatrixProduct.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
                                   a: x, lda: inputs, b: w, ldb: inputs, c: y, ldc: outputs)
            }
        }
    }

    /// Whether its interleaved copy has been made (tests).
    var hasInterleavedCopy: Bool { interleavedLayout?.hasCopy ?? false }

    /// One product of `apply(sharing:)`: a matrix and where its result goes.
    public typealias Product = (matrix: WeightMatrix, y: UnsafeMutablePointer<Float>)

    /// Y_i = X · W_iᵀ for two or three matrices that read the same X (a layer's query, key and
    /// value; its gate and up): each result as `apply` gives it, but quantised matrices under
    /// int8 activations share one rounding of X and one parallel job
    /// (`QuantizedMatrix.multiply(sharing:)`), their list on the stack.
    public static func apply(sharing x: UnsafePointer<Float>, rows: Int, _ a: Product, _ b: Product, _ c: Product? = nil,
                             scratch: ScratchBuffer, activations: ActivationPrecision) {
        func quantized(_ p: Product) -> QuantizedMatrix.Product? {
            if case .quantized(let q) = p.matrix.storage { return (p.matrix.quantizedForProducts(q, activations), p.y) }
            return nil
        }
        // Float activations take `apply` one by one: asking for their copies here would count
        // each product twice towards the copy's making.
        let qc = activations == .int8Blocks ? c.flatMap(quantized) : nil
        guard activations == .int8Blocks, let qa = quantized(a), let qb = quantized(b), (c == nil) == (qc == nil) else {
            a.matrix.apply(x, rows: rows, into: a.y, scratch: scratch, activations: activations)
            b.matrix.apply(x, rows: rows, into: b.y, scratch: scratch, activations: activations)
            if let c { c.matrix.apply(x, rows: rows, into: c.y, scratch: scratch, activations: activations) }
            return
        }
        withUnsafeTemporaryAllocation(of: QuantizedMatrix.Product.self, capacity: 3) { buffer in
            buffer.initializeElement(at: 0, to: qa)
            buffer.initializeElement(at: 1, to: qb)
            if let qc { buffer.initializeElement(at: 2, to: qc) }
            let count = qc == nil ? 2 : 3
            QuantizedMatrix.multiply(sharing: x, vectors: rows, UnsafeBufferPointer(rebasing: buffer[0..<count]),
                                     activations: activations)
        }
    }

    /// Row `r` as Floats (embedding lookup).
    public func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        switch storage {
        case .dense(let w):
            w.withUnsafeBufferPointer { wp in out.update(from: wp.baseAddress! + r * inputs, count: inputs) }
        case .quantized(let q):
            q.dequantize(rows: r..<(r + 1), into: out)
        }
    }
}

/// A growable Float buffer reused across calls (one per decoder; not thread-safe).
public final class ScratchBuffer {
    private var pointer: UnsafeMutablePointer<Float>?
    private var capacity = 0

    public init() {}

    public func buffer(count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer?.deallocate()
            pointer = .allocate(capacity: count)
            capacity = count
        }
        return pointer!
    }

    deinit { pointer?.deallocate() }
}

extension WeightMatrix {
    /// The same matrix dequantised to Float32 (itself when it is dense already). Products of many
    /// rows then go straight to sgemm, with no dequantisation per call: worth 4 bytes per weight
    /// for a matrix that many vectors meet at once, like the vocabulary matrix under the lenses.
    public func dequantized() -> WeightMatrix {
        guard case .quantized(let q) = storage else { return self }
        var values = [Float](repeating: 0, count: outputs * inputs)
        values.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            let threads = EngineThreads.count
            let perChunk = (outputs + threads - 1) / threads
            EngineThreads.parallelFor(chunks: threads) { c in
                let start = c * perChunk, end = Swift.min(outputs, start + perChunk)
                if start < end { q.dequantize(rows: start..<end, into: base + start * inputs) }
            }
        }
        return WeightMatrix(name: name, outputs: outputs, inputs: inputs, storage: .dense(values))
    }

    /// Y[rows, outputs] = X[rows, inputs] · Wᵀ on arrays.
    public func apply(_ x: [Float], rows: Int, scratch: ScratchBuffer) -> [Float] {
        precondition(x.count == rows * inputs, "\(name): \(rows) rows need \(rows * inputs) values, got \(x.count)")
        var y = [Float](repeating: 0, count: rows * outputs)
        guard rows > 0 else { return y }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in apply(xp.baseAddress!, rows: rows, into: yp.baseAddress!, scratch: scratch) }
        }
        return y
    }
}
