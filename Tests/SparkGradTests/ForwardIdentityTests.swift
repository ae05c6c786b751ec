import Testing
import SparkEngine
import SparkGrad

/// A training forward on the tape gives the same scalars, bit for bit, as inference on tensors.
@Suite struct ForwardIdentityTests {
    @Test func everyOperationMatchesItsTensorFunction() throws {
        var random = TestRandom(seed: 71)
        let tape = Tape()
        let xt = random.tensor([2, 17, 48], -3, 3), wt = random.tensor([40, 48]), bt = random.tensor([40])
        let x = tape.parameter(xt), w = tape.parameter(wt), b = tape.parameter(bt)
        var pairs: [(String, Tensor, Tensor)] = []
        func check(_ name: String, _ v: Variable, _ t: Tensor) { pairs.append((name, v.value, t)) }

        check("linear", x.linear(weight: w, bias: b), xt.linear(weight: wt, bias: bt))
        check("linear no bias", x.linear(weight: w), xt.linear(weight: wt))
        let mt = random.tensor([2, 48, 9]), m = tape.constant(mt)
        check("matmul", x.matmul(m), xt.matmul(mt))
        check("matmul ᵀ", w.matmul(x[row: 0], transposeOther: true), wt.matmul(xt[row: 0], transposeOther: true))
        let yt = random.tensor([2, 17, 48]), y = tape.parameter(yt)
        check("+", x + y, xt + yt)
        check("-", x - y, xt - yt)
        check("*", x * y, xt * yt)
        let rowt = random.tensor([48]), row = tape.parameter(rowt)
        check("+ row", x + row, xt + rowt)
        check("scaled", x.scaled(by: 0.3), xt.scaled(by: 0.3))
        let gt = random.tensor([48]), g = tape.parameter(gt)
        check("layerNorm", x.layerNorm(weight: g, bias: row), xt.layerNorm(weight: gt, bias: rowt))
        check("rmsNorm", x.rmsNorm(weight: g, eps: 1e-6), xt.rmsNorm(weight: gt, eps: 1e-6))
        for activation in Activation.allCases {
            check("\(activation)", x.applying(activation), xt.applying(activation))
        }
        check("softmax", x.softmax(), xt.softmax())
        check("softmax causal", x.softmax(mask: .causal(offset: 2)), xt.softmax(mask: .causal(offset: 2)))
        let qt = random.tensor([17, 48]), kt = random.tensor([23, 16]), vt = random.tensor([23, 40])  // 6 query heads of 8, 2 key heads of 8
        let (q, k, v) = (tape.parameter(qt), tape.parameter(kt), tape.parameter(vt))
        check("attention", Variable.multiHeadAttention(query: q, key: k, value: v, queryHeads: 6, keyValueHeads: 2, mask: .causal(offset: 6)),
              multiHeadAttention(query: qt, key: kt, value: vt, queryHeads: 6, keyValueHeads: 2, mask: .causal(offset: 6)).output)
        let rope = RoPEConfiguration(headDim: 8, base: 100_000, pairing: .gptj)
        let positions = Array(100..<117)
        check("rope", q.applyingRoPE(positions: positions, configuration: rope), qt.applyingRoPE(positions: positions, configuration: rope))
        let ids: [Int32] = [3, 0, 39, 3]
        check("embedding", Variable.embeddingRows(table: w, ids: ids), try wt.embeddingRows(ids))
        let imaget = random.tensor([3, 16, 16]), kernelt = random.tensor([8, 3, 4, 4]), kernelBiast = random.tensor([8])
        let (image, kernel, kernelBias) = (tape.parameter(imaget), tape.parameter(kernelt), tape.parameter(kernelBiast))
        check("conv2d", image.conv2d(weight: kernel, bias: kernelBias, stride: 2, padding: 1),
              imaget.conv2d(weight: kernelt, bias: kernelBiast, stride: 2, padding: 1))
        check("patch embedding", image.conv2d(weight: kernel, stride: 4), imaget.conv2d(weight: kernelt, stride: 4))
        let signalt = random.tensor([4, 30]), filtert = random.tensor([6, 4, 5])
        check("conv1d", tape.parameter(signalt).conv1d(weight: tape.parameter(filtert), padding: 2, dilation: 2),
              signalt.conv1d(weight: filtert, padding: 2, dilation: 2))
        check("max pool", image.maxPool2d(kernel: 3, stride: 2, padding: 1), imaget.maxPool2d(kernel: 3, stride: 2, padding: 1))
        check("avg pool", image.avgPool2d(kernel: 2), imaget.avgPool2d(kernel: 2))
        check("reshaped", x.reshaped([34, -1]), xt.reshaped([34, -1]))
        check("permuted", x.permuted([2, 0, 1]), xt.permuted([2, 0, 1]))
        check("transposed", x.transposed(), xt.transposed())
        check("slice", q.slice(rows: 3..<9), qt.slice(rows: 3..<9))
        check("concatenate", Variable.concatenate([x, y], axis: 1), Tensor.concatenate([xt, yt], axis: 1))
        for (i, (piece, tensor)) in zip(x.split(sizes: [8, 32, 8], axis: 2), xt.split(sizes: [8, 32, 8], axis: 2)).enumerated() {
            check("split \(i)", piece, tensor)
        }
        check("sum axis", x.sum(axis: 1), xt.sum(axis: 1))
        check("mean axis", x.mean(axis: -1, keepDims: true), xt.mean(axis: -1, keepDims: true))
        check("meanRows", q.meanRows(), qt.mean(axis: 0))

        for (name, tapeValue, tensorValue) in pairs {
            #expect(tapeValue.shape == tensorValue.shape, "\(name)")
            #expect(bits(tapeValue) == bits(tensorValue), "\(name): the tape's forward differs from the tensor function")
        }
        #expect(pairs.count == 38)
    }
}
