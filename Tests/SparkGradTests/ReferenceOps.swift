import Foundation

/// Float64 forwards of every differentiable operation, written from the definitions with plain
/// loops and independent of SparkEngine's kernels: the finite differences of the gradient checks
/// are taken through these, so a test compares the tape's backward with the derivative of an
/// implementation that shares none of its code.
struct Ref {
    var shape: [Int]
    var v: [Double]

    init(_ shape: [Int], _ v: [Double]) {
        precondition(shape.reduce(1, *) == v.count, "Ref: shape \(shape) for \(v.count) values")
        self.shape = shape
        self.v = v
    }

    init(zeros shape: [Int]) { self.init(shape, [Double](repeating: 0, count: shape.reduce(1, *))) }

    var count: Int { v.count }
    var last: Int { shape[shape.count - 1] }

    func reshaped(_ s: [Int]) -> Ref { Ref(s, v) }
}

enum Reference {
    // MARK: elementwise

    /// a ∘ b with b equal in shape or a trailing block of a (or the reverse).
    static func zip(_ a: Ref, _ b: Ref, _ f: (Double, Double) -> Double) -> Ref {
        if a.count >= b.count {
            return Ref(a.shape, a.v.indices.map { f(a.v[$0], b.v[$0 % b.count]) })
        }
        return Ref(b.shape, b.v.indices.map { f(a.v[$0 % a.count], b.v[$0]) })
    }
    static func add(_ a: Ref, _ b: Ref) -> Ref { zip(a, b, +) }
    static func sub(_ a: Ref, _ b: Ref) -> Ref { zip(a, b, -) }
    static func mul(_ a: Ref, _ b: Ref) -> Ref { zip(a, b, *) }
    static func map(_ a: Ref, _ f: (Double) -> Double) -> Ref { Ref(a.shape, a.v.map(f)) }

    // MARK: products

    /// x [..., in] · wᵀ + b, w [out, in].
    static func linear(_ x: Ref, _ w: Ref, _ b: Ref?) -> Ref {
        let (outputs, inputs) = (w.shape[0], w.shape[1])
        let rows = x.count / inputs
        var y = [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows {
            for o in 0..<outputs {
                var s = b?.v[o] ?? 0
                for i in 0..<inputs { s += x.v[r * inputs + i] * w.v[o * inputs + i] }
                y[r * outputs + o] = s
            }
        }
        return Ref(Array(x.shape.dropLast()) + [outputs], y)
    }

    /// op(a) · op(b) over the last two axes, batched (b may be 2-D and shared).
    static func matmul(_ a: Ref, _ b: Ref, transposeA: Bool, transposeB: Bool) -> Ref {
        let (ar, ac) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
        let (br, bc) = (b.shape[b.shape.count - 2], b.shape[b.shape.count - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let n = transposeB ? br : bc
        let batch = a.count / (ar * ac)
        var c = [Double](repeating: 0, count: batch * m * n)
        for t in 0..<batch {
            let aBase = t * ar * ac, bBase = b.shape.count == 2 ? 0 : t * br * bc
            for i in 0..<m {
                for j in 0..<n {
                    var s = 0.0
                    for p in 0..<k {
                        let av = transposeA ? a.v[aBase + p * ac + i] : a.v[aBase + i * ac + p]
                        let bv = transposeB ? b.v[bBase + j * bc + p] : b.v[bBase + p * bc + j]
                        s += av * bv
                    }
                    c[t * m * n + i * n + j] = s
                }
            }
        }
        return Ref(Array(a.shape.dropLast(2)) + [m, n], c)
    }

    // MARK: normalisation and activations

    static func layerNorm(_ x: Ref, _ w: Ref?, _ b: Ref?, eps: Double) -> Ref {
        let d = x.last
        var y = x.v
        for r in 0..<(x.count / d) {
            let row = Array(x.v[(r * d)..<((r + 1) * d)])
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
            for j in 0..<d {
                y[r * d + j] = (row[j] - mean) / (variance + eps).squareRoot() * (w?.v[j] ?? 1) + (b?.v[j] ?? 0)
            }
        }
        return Ref(x.shape, y)
    }

    static func rmsNorm(_ x: Ref, _ w: Ref?, eps: Double) -> Ref {
        let d = x.last
        var y = x.v
        for r in 0..<(x.count / d) {
            var meanSquare = 0.0
            for j in 0..<d { meanSquare += x.v[r * d + j] * x.v[r * d + j] }
            meanSquare /= Double(d)
            for j in 0..<d { y[r * d + j] = x.v[r * d + j] / (meanSquare + eps).squareRoot() * (w?.v[j] ?? 1) }
        }
        return Ref(x.shape, y)
    }

    static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
    static func geluTanh(_ x: Double) -> Double { 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x))) }
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    static func silu(_ x: Double) -> Double { x * sigmoid(x) }
    static func relu(_ x: Double) -> Double { Swift.max(x, 0) }

    /// Softmax over the last axis; with `causalOffset`, row i (of the second-to-last axis) sees
    /// columns 0...i + offset and the rest are 0.
    static func softmax(_ x: Ref, causalOffset: Int? = nil) -> Ref {
        let d = x.last
        let queries = x.shape.count >= 2 ? x.shape[x.shape.count - 2] : 1
        var y = [Double](repeating: 0, count: x.count)
        for r in 0..<(x.count / d) {
            let visible = causalOffset.map { Swift.max(0, Swift.min(d, r % queries + $0 + 1)) } ?? d
            if visible == 0 { continue }
            let peak = (0..<visible).map { x.v[r * d + $0] }.max()!
            let e = (0..<visible).map { exp(x.v[r * d + $0] - peak) }
            let total = e.reduce(0, +)
            for j in 0..<visible { y[r * d + j] = e[j] / total }
        }
        return Ref(x.shape, y)
    }

    // MARK: attention and positions

    static func attention(_ q: Ref, _ k: Ref, _ v: Ref, heads: Int, kvHeads: Int, causalOffset: Int?, scale: Double?) -> Ref {
        let (lq, lk) = (q.shape[0], k.shape[0])
        let d = q.shape[1] / heads, dv = v.shape[1] / kvHeads
        let group = heads / kvHeads
        let alpha = scale ?? 1 / Double(d).squareRoot()
        var out = [Double](repeating: 0, count: lq * heads * dv)
        for h in 0..<heads {
            let s = h / group
            for i in 0..<lq {
                let visible = causalOffset.map { Swift.max(0, Swift.min(lk, i + $0 + 1)) } ?? lk
                if visible == 0 { continue }
                var scores = [Double](repeating: 0, count: visible)
                for j in 0..<visible {
                    var dot = 0.0
                    for t in 0..<d { dot += q.v[i * heads * d + h * d + t] * k.v[j * kvHeads * d + s * d + t] }
                    scores[j] = alpha * dot
                }
                let p = softmax(Ref([visible], scores)).v
                for t in 0..<dv {
                    var acc = 0.0
                    for j in 0..<visible { acc += p[j] * v.v[j * kvHeads * dv + s * dv + t] }
                    out[i * heads * dv + h * dv + t] = acc
                }
            }
        }
        return Ref([lq, heads * dv], out)
    }

    /// Rotary embedding; `neox` pairs i with i + ropeDims/2, otherwise 2i with 2i + 1.
    static func rope(_ x: Ref, positions: [Int], headDim: Int, ropeDims: Int, base: Double, neox: Bool) -> Ref {
        let (rows, width) = (x.shape[0], x.shape[1])
        var y = x.v
        let pairs = ropeDims / 2
        for r in 0..<rows {
            for head in 0..<(width / headDim) {
                for i in 0..<pairs {
                    let angle = Double(positions[r]) * pow(base, -2 * Double(i) / Double(ropeDims))
                    let a = r * width + head * headDim + (neox ? i : 2 * i)
                    let b = a + (neox ? pairs : 1)
                    y[a] = x.v[a] * cos(angle) - x.v[b] * sin(angle)
                    y[b] = x.v[a] * sin(angle) + x.v[b] * cos(angle)
                }
            }
        }
        return Ref(x.shape, y)
    }

    static func embedding(_ table: Ref, _ ids: [Int]) -> Ref {
        let d = table.shape[1]
        return Ref([ids.count, d], ids.flatMap { table.v[($0 * d)..<(($0 + 1) * d)] })
    }

    // MARK: convolution and pooling

    /// Direct convolution of [Cin, spatial…] by [Cout, Cin, kernel…] over 1 to 3 axes.
    static func convolution(_ x: Ref, _ w: Ref, _ b: Ref?, stride: [Int], padding: [Int], dilation: [Int]) -> Ref {
        let lead = 5 - w.shape.count
        func pad3(_ a: [Int], _ fill: Int) -> [Int] { [Int](repeating: fill, count: lead) + a }
        let input = pad3(Array(x.shape.dropFirst()), 1), kernel = pad3(Array(w.shape.dropFirst(2)), 1)
        let s = pad3(stride, 1), p = pad3(padding, 0), dl = pad3(dilation, 1)
        var out = [Int]()
        for a in 0..<3 {
            let span: Int = dl[a] * (kernel[a] - 1) + 1
            out.append((input[a] + 2 * p[a] - span) / s[a] + 1)
        }
        let (cin, cout) = (x.shape[0], w.shape[0])
        let (inD, inH, inW) = (input[0], input[1], input[2]), (outD, outH, outW) = (out[0], out[1], out[2])
        let (kD, kH, kW) = (kernel[0], kernel[1], kernel[2])
        var y = [Double](repeating: 0, count: cout * outD * outH * outW)
        for co in 0..<cout {
            for od in 0..<outD { for oh in 0..<outH { for ow in 0..<outW {
                var acc: Double = b?.v[co] ?? 0
                for ci in 0..<cin {
                    for kd in 0..<kD { for kh in 0..<kH { for kw in 0..<kW {
                        let id: Int = od * s[0] - p[0] + kd * dl[0]
                        let ih: Int = oh * s[1] - p[1] + kh * dl[1]
                        let iw: Int = ow * s[2] - p[2] + kw * dl[2]
                        guard id >= 0 && id < inD && ih >= 0 && ih < inH && iw >= 0 && iw < inW else { continue }
                        let xi: Int = ((ci * inD + id) * inH + ih) * inW + iw
                        let wi: Int = (((co * cin + ci) * kD + kd) * kH + kh) * kW + kw
                        acc += x.v[xi] * w.v[wi]
                    } } }
                }
                let yi: Int = ((co * outD + od) * outH + oh) * outW + ow
                y[yi] = acc
            } } }
        }
        return Ref([cout] + Array(out[lead...]), y)
    }

    /// Max or average pooling of [C, spatial…]; average counts the padding when `countPadding`.
    static func pool(_ x: Ref, max: Bool, countPadding: Bool, kernel: [Int], stride: [Int], padding: [Int]) -> Ref {
        let lead = 3 - kernel.count
        func pad3(_ a: [Int], _ fill: Int) -> [Int] { [Int](repeating: fill, count: lead) + a }
        let input = pad3(Array(x.shape.dropFirst()), 1), k = pad3(kernel, 1), s = pad3(stride, 1), p = pad3(padding, 0)
        var out = [Int]()
        for a in 0..<3 { out.append((input[a] + 2 * p[a] - k[a]) / s[a] + 1) }
        let (inD, inH, inW) = (input[0], input[1], input[2])
        let windowSize = k[0] * k[1] * k[2]
        var y = [Double]()
        for c in 0..<x.shape[0] {
            for od in 0..<out[0] { for oh in 0..<out[1] { for ow in 0..<out[2] {
                var values = [Double]()
                for kd in 0..<k[0] { for kh in 0..<k[1] { for kw in 0..<k[2] {
                    let id: Int = od * s[0] - p[0] + kd
                    let ih: Int = oh * s[1] - p[1] + kh
                    let iw: Int = ow * s[2] - p[2] + kw
                    guard id >= 0 && id < inD && ih >= 0 && ih < inH && iw >= 0 && iw < inW else { continue }
                    let xi: Int = ((c * inD + id) * inH + ih) * inW + iw
                    values.append(x.v[xi])
                } } }
                let divisor = Double(countPadding ? windowSize : values.count)
                y.append(max ? values.max()! : values.reduce(0, +) / divisor)
            } } }
        }
        return Ref([x.shape[0]] + Array(out[lead...]), y)
    }

    // MARK: shapes and reductions

    static func permute(_ x: Ref, _ axes: [Int]) -> Ref {
        let shape = axes.map { x.shape[$0] }
        var strides = [Int](repeating: 1, count: x.shape.count)
        for a in stride(from: x.shape.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * x.shape[a + 1] }
        var y = [Double](repeating: 0, count: x.count)
        for flat in 0..<x.count {
            var rest = flat, offset = 0
            for a in stride(from: shape.count - 1, through: 0, by: -1) {
                offset += (rest % shape[a]) * strides[axes[a]]
                rest /= shape[a]
            }
            y[flat] = x.v[offset]
        }
        return Ref(shape, y)
    }

    /// [outer, size, inner] view of an axis.
    static func layout(_ shape: [Int], _ axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    static func concatenate(_ xs: [Ref], axis: Int) -> Ref {
        var shape = xs[0].shape
        shape[axis] = xs.map { $0.shape[axis] }.reduce(0, +)
        let outer = layout(shape, axis).outer
        var y = [Double]()
        for o in 0..<outer {
            for x in xs {
                let block = x.count / outer
                y += x.v[(o * block)..<((o + 1) * block)]
            }
        }
        return Ref(shape, y)
    }

    static func piece(_ x: Ref, axis: Int, start: Int, size: Int) -> Ref {
        let (outer, total, inner) = layout(x.shape, axis)
        var shape = x.shape
        shape[axis] = size
        var y = [Double]()
        for o in 0..<outer { y += x.v[((o * total + start) * inner)..<((o * total + start + size) * inner)] }
        return Ref(shape, y)
    }

    static func sum(_ x: Ref, axis: Int, mean: Bool) -> Ref {
        let (outer, size, inner) = layout(x.shape, axis)
        var y = [Double](repeating: 0, count: outer * inner)
        for o in 0..<outer { for i in 0..<size { for j in 0..<inner { y[o * inner + j] += x.v[(o * size + i) * inner + j] } } }
        var shape = x.shape
        shape.remove(at: axis)
        return Ref(shape, mean ? y.map { $0 / Double(size) } : y)
    }

    static func total(_ x: Ref) -> Ref { Ref([], [x.v.reduce(0, +)]) }

    // MARK: losses

    static func crossEntropy(_ logits: Ref, _ targets: [Int], ignore: Int? = nil, weights: [Double]? = nil) -> Ref {
        let c = logits.shape[1]
        var loss = 0.0, totalWeight = 0.0
        for (r, t) in targets.enumerated() where t != ignore {
            let row = Array(logits.v[(r * c)..<((r + 1) * c)])
            let peak = row.max()!
            let lse = peak + log(row.map { exp($0 - peak) }.reduce(0, +))
            let w = weights?[r] ?? 1
            loss += w * (lse - row[t])
            totalWeight += w
        }
        return Ref([], [totalWeight == 0 ? 0 : loss / totalWeight])
    }

    static func meanSquaredError(_ a: Ref, _ b: Ref) -> Ref {
        Ref([], [zip(a, b) { ($0 - $1) * ($0 - $1) }.v.reduce(0, +) / Double(a.count)])
    }

    static func meanAbsoluteError(_ a: Ref, _ b: Ref) -> Ref {
        Ref([], [zip(a, b) { abs($0 - $1) }.v.reduce(0, +) / Double(a.count)])
    }
}
