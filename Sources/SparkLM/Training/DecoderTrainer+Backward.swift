import SparkEngine

extension DecoderTrainer {
    /// Carries `dFinalHidden` (the loss's gradient with respect to `record.hidden`,
    /// `[rows, width]`) back through the final norm and every layer, in reverse: returns the
    /// gradient with respect to the input embeddings (`[rows, width]`) and, for every adapter the
    /// forward pass ran, the gradients of its parameters. Layer by layer, the mirror of `forward`:
    /// adapter; feed-forward (dA = dY · W_down, SwiGLU', dH = [dG | dU] · W_gateUp, RMSNorm');
    /// attention (dO = dY · W_o, attention', RoPE⁻¹, dH = dQKV · W_qkv, RMSNorm'); the residual
    /// stream's gradient passing straight through both blocks.
    public func backward(_ record: ForwardRecord, dFinalHidden: [Float]) -> (dInputs: [Float], adapterGradients: [Int: LynxAdapterGradient]) {
        let c = configuration
        let width = c.width, kvWidth = c.keyValueWidth, ffWidth = c.feedForwardWidth
        let qkvWidth = width + 2 * kvWidth
        let n = record.rows
        precondition(dFinalHidden.count == n * width, "dFinalHidden holds \(dFinalHidden.count) values; \(n) rows of \(width) expected")

        // The residual stream's gradient, updated in place from the last layer to the first.
        var dx = [Float](repeating: 0, count: n * width)
        rmsNormBackward(record.finalResidual, inverseRMS: record.finalInverseRMS, weight: outputNorm, rows: n,
                        outputGradient: dFinalHidden, accumulate: false, into: &dx)

        var dBranch = [Float](repeating: 0, count: n * width)
        var dActivated = [Float](repeating: 0, count: n * ffWidth)
        var dGateUp = [Float](repeating: 0, count: n * 2 * ffWidth)
        var dQKV = [Float](repeating: 0, count: n * qkvWidth)
        var adapterGradients: [Int: LynxAdapterGradient] = [:]

        for index in stride(from: c.layerCount - 1, through: 0, by: -1) {
            let layer = layers[index], saved = record.layers[index]
            if let adapter = record.adapters[index], let adapterRecord = saved.adapter {
                adapterGradients[index] = adapterBackward(adapter, adapterRecord, rows: n, dx: &dx)
            }

            // Feed-forward block.
            inputGradient(dx, rows: n, weight: layer.down, outputs: width, into: &dActivated)
            saved.gateUp.withUnsafeBufferPointer { g in
                dActivated.withUnsafeBufferPointer { da in
                    dGateUp.withUnsafeMutableBufferPointer { dg in
                        TrainingKernels.swiGLUBackward(g.baseAddress!, rows: n, width: ffWidth, outputGradient: da.baseAddress!,
                                                       into: dg.baseAddress!)
                    }
                }
            }
            inputGradient(dGateUp, rows: n, weight: layer.gateUp, outputs: 2 * ffWidth, into: &dBranch)
            rmsNormBackward(saved.middle, inverseRMS: saved.feedForwardInverseRMS, weight: layer.feedForwardNorm, rows: n,
                            outputGradient: dBranch, accumulate: true, into: &dx)

            // Attention block.
            inputGradient(dx, rows: n, weight: layer.attentionOutput, outputs: width, into: &dBranch)
            attentionBackward(record, layer: index, outputGradient: dBranch, into: &dQKV)
            dQKV.withUnsafeMutableBufferPointer { p in
                for b in 0..<record.batch {
                    let base = p.baseAddress! + b * record.length * qkvWidth
                    rope.rotate(base, rows: record.length, stride: qkvWidth, heads: c.headCount, headWidth: c.headWidth,
                                firstPosition: record.firstPosition, inverse: true)
                    rope.rotate(base + width, rows: record.length, stride: qkvWidth, heads: c.keyValueHeadCount,
                                headWidth: c.headWidth, firstPosition: record.firstPosition, inverse: true)
                }
            }
            inputGradient(dQKV, rows: n, weight: layer.queryKeyValue, outputs: qkvWidth, into: &dBranch)
            rmsNormBackward(saved.input, inverseRMS: saved.attentionInverseRMS, weight: layer.attentionNorm, rows: n,
                            outputGradient: dBranch, accumulate: true, into: &dx)
        }
        return (dx, adapterGradients)
    }

    /// Adds the adapter branch's input gradient to `dx` (the gradient of the adapter's output,
    /// which the identity path passes on unchanged) and returns its parameter gradients.
    func adapterBackward(_ adapter: LynxAdapter, _ saved: AdapterRecord, rows n: Int, dx: inout [Float]) -> LynxAdapterGradient {
        let d = adapter.width, b = adapter.bottleneck
        var gradient = LynxAdapterGradient(width: d)
        var dDelta = [Float](repeating: 0, count: n * d)
        var dHidden = [Float](repeating: 0, count: n * b)
        var dNormed = [Float](repeating: 0, count: n * d)
        dx.withUnsafeBufferPointer { gp in
            saved.delta.withUnsafeBufferPointer { dl in
                dDelta.withUnsafeMutableBufferPointer { dd in
                    let g = gp.baseAddress!, out = dd.baseAddress!, scale = adapter.scale
                    gradient.scale = TrainingKernels.dot(g, dl.baseAddress!, count: n * d)
                    for i in 0..<(n * d) { out[i] = scale * g[i] }
                }
            }
        }
        // Up: delta = hidden · Upᵀ + upBias.
        gradient.upBias.withUnsafeMutableBufferPointer { ub in
            dDelta.withUnsafeBufferPointer { TrainingKernels.addColumnSums($0.baseAddress!, rows: n, columns: d, into: ub.baseAddress!) }
        }
        Self.weightGradient(dDelta, saved.hidden, rows: n, outputs: d, inputs: b, into: &gradient.upWeight)
        inputGradient(dDelta, rows: n, weight: adapter.upWeight, outputs: d, into: &dHidden)
        // SiLU, then Down: pre = normed · Downᵀ + downBias.
        saved.downPreActivation.withUnsafeBufferPointer { pp in
            dHidden.withUnsafeMutableBufferPointer { TrainingKernels.siluBackward(pp.baseAddress!, count: n * b, gradient: $0.baseAddress!) }
        }
        gradient.downBias.withUnsafeMutableBufferPointer { db in
            dHidden.withUnsafeBufferPointer { TrainingKernels.addColumnSums($0.baseAddress!, rows: n, columns: b, into: db.baseAddress!) }
        }
        Self.weightGradient(dHidden, saved.normed, rows: n, outputs: b, inputs: d, into: &gradient.downWeight)
        inputGradient(dHidden, rows: n, weight: adapter.downWeight, outputs: b, into: &dNormed)
        // LayerNorm: normed = x̂ · normWeight + normBias.
        dNormed.withUnsafeBufferPointer { gn in
            let g = gn.baseAddress!
            gradient.normBias.withUnsafeMutableBufferPointer { TrainingKernels.addColumnSums(g, rows: n, columns: d, into: $0.baseAddress!) }
            saved.normalized.withUnsafeBufferPointer { xn in
                gradient.normWeight.withUnsafeMutableBufferPointer {
                    TrainingKernels.addColumnProductSums(g, xn.baseAddress!, rows: n, columns: d, into: $0.baseAddress!)
                }
                saved.inverseDeviation.withUnsafeBufferPointer { s in
                    adapter.normWeight.withUnsafeBufferPointer { w in
                        dx.withUnsafeMutableBufferPointer { dp in
                            TrainingKernels.layerNormBackward(normalized: xn.baseAddress!, inverseDeviation: s.baseAddress!, rows: n,
                                                              width: d, weight: w.baseAddress!, outputGradient: g,
                                                              accumulateInto: dp.baseAddress!)
                        }
                    }
                }
            }
        }
        return gradient
    }

    /// dW[outputs, inputs] = dYᵀ · X, the weight gradient of y = x · Wᵀ over `rows` rows.
    static func weightGradient(_ dy: [Float], _ x: [Float], rows: Int, outputs: Int, inputs: Int, into dw: inout [Float]) {
        dy.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                dw.withUnsafeMutableBufferPointer { wp in
                    MatrixProduct.gemm(transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows,
                                       a: gp.baseAddress!, lda: outputs, b: xp.baseAddress!, ldb: inputs,
                                       c: wp.baseAddress!, ldc: inputs)
                }
            }
        }
    }

    func rmsNormBackward(_ x: [Float], inverseRMS: [Float], weight: [Float], rows: Int, outputGradient: [Float],
                         accumulate: Bool, into dx: inout [Float]) {
        let width = configuration.width
        x.withUnsafeBufferPointer { xp in
            inverseRMS.withUnsafeBufferPointer { r in
                weight.withUnsafeBufferPointer { w in
                    outputGradient.withUnsafeBufferPointer { g in
                        dx.withUnsafeMutableBufferPointer { d in
                            TrainingKernels.rmsNormBackward(xp.baseAddress!, inverseRMS: r.baseAddress!, rows: rows, width: width,
                                                            weight: w.baseAddress!, outputGradient: g.baseAddress!,
                                                            accumulate: accumulate, into: d.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}
