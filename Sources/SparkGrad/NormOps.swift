import SparkEngine

extension Variable {
    /// Layer normalisation over the last axis (`Tensor.layerNorm`). Per row, with x̂ = (x − μ)·r,
    /// r = 1/√(σ² + eps) and ĝ = g ⊙ w: dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)), dw = Σ_rows g ⊙ x̂,
    /// db = Σ_rows g. μ and r are recomputed from the input in the backward.
    public func layerNorm(weight: Variable? = nil, bias: Variable? = nil, eps: Float = 1e-5) -> Variable {
        let x = value, w = weight?.value
        let output = x.layerNorm(weight: w, bias: bias?.value, eps: eps)
        let (xID, wID, bID) = (id, weight?.id, bias?.id)
        let inputs = [self] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
        return tape.record(output, inputs: inputs) { g, tape in
            let width = x.shape[x.rank - 1]
            if let bID, tape.needsGradient(bID) { tape.accumulate(bID, GradientKernels.columnSums(g, width: width)) }
            let wantsX = tape.needsGradient(xID), wantsW = wID.map { tape.needsGradient($0) } ?? false
            if !wantsX && !wantsW { return }
            let weights = w?.scalars ?? [Float](repeating: 1, count: width)
            var normalized = [Float](repeating: 0, count: x.count)
            var dx = [Float](repeating: 0, count: wantsX ? x.count : 0)
            Self.forEachRow(x, g, width: width, &normalized, &dx) { xr, gr, xhat, dxr in
                var mean: Float = 0
                for j in 0..<width { mean += xr[j] }
                mean /= Float(width)
                var variance: Float = 0
                for j in 0..<width { let d = xr[j] - mean; variance += d * d }
                variance /= Float(width)
                let r = 1 / (variance + eps).squareRoot()
                for j in 0..<width { xhat[j] = (xr[j] - mean) * r }
                guard let dxr else { return }
                var meanG: Float = 0, meanGX: Float = 0
                for j in 0..<width {
                    let gh = gr[j] * weights[j]
                    meanG += gh
                    meanGX += gh * xhat[j]
                }
                meanG /= Float(width)
                meanGX /= Float(width)
                for j in 0..<width { dxr[j] = r * (gr[j] * weights[j] - meanG - xhat[j] * meanGX) }
            }
            if wantsX { tape.accumulate(xID, Tensor(shape: x.shape, scalars: dx)) }
            if wantsW, let wID {
                let product = GradientKernels.combine(g, Tensor(shape: x.shape, scalars: normalized), *)
                tape.accumulate(wID, GradientKernels.columnSums(product, width: width))
            }
        }
    }

    /// Each row of `[rows, width]` scaled to unit Euclidean length (cosine similarity's
    /// normalisation): y = x / n, n = max(‖x‖, eps). Per row: dx = (g − y · (g·y)) / n (for a row
    /// whose norm is below eps, n is the constant eps and dx = g / eps).
    public func rowNormalised(eps: Float = 1e-12) -> Variable {
        precondition(value.rank == 2, "rowNormalised expects [rows, width], got \(value.shape)")
        let x = value, rows = x.shape[0], width = x.shape[1], xID = id
        var norms = [Float](repeating: 0, count: rows), y = x.scalars
        for r in 0..<rows {
            var sum: Float = 0
            for c in 0..<width { sum += x.scalars[r * width + c] * x.scalars[r * width + c] }
            norms[r] = Swift.max(sum.squareRoot(), eps)
            for c in 0..<width { y[r * width + c] /= norms[r] }
        }
        return tape.record(Tensor(shape: x.shape, scalars: y), inputs: [self]) { g, tape in
            var dx = [Float](repeating: 0, count: x.count)
            for r in 0..<rows {
                let floored = norms[r] == eps
                var dot: Float = 0
                if !floored { for c in 0..<width { dot += g.scalars[r * width + c] * y[r * width + c] } }
                for c in 0..<width { dx[r * width + c] = (g.scalars[r * width + c] - dot * y[r * width + c]) / norms[r] }
            }
            tape.accumulate(xID, Tensor(shape: x.shape, scalars: dx))
        }
    }

    /// RMS normalisation over the last axis (`Tensor.rmsNorm`): y = x · r · w, r = 1/√(mean(x²) + eps).
    /// Per row, with ĝ = g ⊙ w: dx = r · ĝ − x · r³ · mean(ĝ ⊙ x), dw = Σ_rows g ⊙ x · r.
    public func rmsNorm(weight: Variable? = nil, eps: Float = 1e-5) -> Variable {
        let x = value, w = weight?.value
        let output = x.rmsNorm(weight: w, eps: eps)
        let (xID, wID) = (id, weight?.id)
        let inputs = [self] + (weight.map { [$0] } ?? [])
        return tape.record(output, inputs: inputs) { g, tape in
            let width = x.shape[x.rank - 1]
            let wantsX = tape.needsGradient(xID), wantsW = wID.map { tape.needsGradient($0) } ?? false
            if !wantsX && !wantsW { return }
            let weights = w?.scalars ?? [Float](repeating: 1, count: width)
            var normalized = [Float](repeating: 0, count: x.count)  // x · r
            var dx = [Float](repeating: 0, count: wantsX ? x.count : 0)
            Self.forEachRow(x, g, width: width, &normalized, &dx) { xr, gr, xn, dxr in
                var meanSquare: Float = 0
                for j in 0..<width { meanSquare += xr[j] * xr[j] }
                meanSquare /= Float(width)
                let r = 1 / (meanSquare + eps).squareRoot()
                for j in 0..<width { xn[j] = xr[j] * r }
                guard let dxr else { return }
                var dot: Float = 0
                for j in 0..<width { dot += gr[j] * weights[j] * xr[j] }
                let k = r * r * r * dot / Float(width)
                for j in 0..<width { dxr[j] = r * gr[j] * weights[j] - xr[j] * k }
            }
            if wantsX { tape.accumulate(xID, Tensor(shape: x.shape, scalars: dx)) }
            if wantsW, let wID {
                let product = GradientKernels.combine(g, Tensor(shape: x.shape, scalars: normalized), *)
                tape.accumulate(wID, GradientKernels.columnSums(product, width: width))
            }
        }
    }

    /// Runs `body(x row, g row, first output row, second output row or nil)` over the rows of the
    /// last axis, in parallel for large tensors. The second output is skipped when it is empty.
    static func forEachRow(
        _ x: Tensor, _ g: Tensor, width: Int, _ first: inout [Float], _ second: inout [Float],
        _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void
    ) {
        let rows = width == 0 ? 0 : x.count / width
        if rows == 0 { return }
        x.withUnsafeBufferPointer { xb in
            g.withUnsafeBufferPointer { gb in
                first.withUnsafeMutableBufferPointer { fb in
                    second.withUnsafeMutableBufferPointer { sb in
                        let xp = xb.baseAddress!, gp = gb.baseAddress!, fp = fb.baseAddress!, sp = sb.baseAddress
                        let hasSecond = sb.count > 0
                        EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, 8192 / width)) { range in
                            for row in range {
                                let offset = row * width
                                body(xp + offset, gp + offset, fp + offset, hasSecond ? sp! + offset : nil)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Variable {
    /// Batch normalisation with fixed statistics over channel axis 0 of `[C, …]`
    /// (`Tensor.batchNorm`, inference mode): y = (x − μ_c)·r_c·w_c + b_c with r_c = 1/√(σ²_c + eps).
    /// The running mean and variance are constants (training does not update them), so what
    /// learns is the per-channel affine: dx = g·r_c·w_c, dw_c = Σ g·(x − μ_c)·r_c, db_c = Σ g.
    public func batchNorm(runningMean: Tensor, runningVariance: Tensor, weight: Variable, bias: Variable, eps: Float = 1e-5) -> Variable {
        let x = value, w = weight.value
        let output = x.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: w, bias: bias.value,
                                 eps: eps, channelAxis: 0)
        let (xID, wID, bID) = (id, weight.id, bias.id)
        return tape.record(output, inputs: [self, weight, bias]) { g, tape in
            let channels = x.shape[0], inner = x.count / max(1, channels)
            let r = (0..<channels).map { 1 / (runningVariance.scalars[$0] + eps).squareRoot() }
            if tape.needsGradient(xID) {
                tape.accumulate(xID, Tensor(shape: x.shape, scalars: (0..<x.count).map { g.scalars[$0] * r[$0 / inner] * w.scalars[$0 / inner] }))
            }
            if tape.needsGradient(wID) {
                tape.accumulate(wID, Tensor(shape: [channels], scalars: (0..<channels).map { c in
                    var sum: Float = 0
                    for i in (c * inner)..<((c + 1) * inner) { sum += g.scalars[i] * (x.scalars[i] - runningMean.scalars[c]) * r[c] }
                    return sum
                }))
            }
            if tape.needsGradient(bID) {
                tape.accumulate(bID, Tensor(shape: [channels], scalars: (0..<channels).map { c in
                    var sum: Float = 0
                    for i in (c * inner)..<((c + 1) * inner) { sum += g.scalars[i] }
                    return sum
                }))
            }
        }
    }
}
