import SparkEngine
import SparkGrad
import SparkLM

/// The lens-alignment term: it teaches each bridge token to lie nearer the input embedding of a
/// word of the sample's class (" forest", " cube") than any other vocabulary entry, by a margin.
///
/// Why: the answer loss alone lets the bridge put its tokens anywhere the frozen language model
/// can read, and it chose places far from every word — the language lens (`EmbeddingNeighbours`)
/// then showed unrelated words (" albeit" ×8 for a spectrum of meadows). LaRF's point is that the
/// language model's space is the reference frame; this term makes the tokens land on the words
/// they mean. It is a hinge, not a cross-entropy over the vocabulary: once the class word leads by
/// the margin a token costs nothing more, so most of its norm stays free for what the head and
/// the answer need.
struct LensAlignment {
    let lens: EmbeddingNeighbours
    /// How far the nearest class word's cosine must lead the nearest other token's.
    var margin: Float = 0.1

    /// The tokens of a class's words, as the tokenizer splits them after a space, as written and in
    /// lower case; pieces without a letter or digit ("-", " ") are not words.
    static func classTokens(_ label: String, tokenizer: BPETokenizer) -> Set<Int32> {
        let words = label.replacingOccurrences(of: "_", with: " ")
        var tokens = Set<Int32>()
        for spelling in [words, words.lowercased()] {
            for id in tokenizer.encode(" " + spelling, parseSpecial: false)
            where tokenizer.piece(id).contains(where: { $0.isLetter || $0.isNumber }) {
                tokens.insert(id)
            }
        }
        return tokens
    }

    /// Mean over `rows` (one sample's bridge tokens, `[queries, width]`) of
    /// max(0, margin + cos(row, nearest other token) − cos(row, nearest class token)).
    func loss(_ rows: Variable, classTokens: Set<Int32>) -> Variable {
        let count = rows.shape[0], width = rows.shape[1]
        let vectors = (0..<count).map { Array(rows.value.scalars[($0 * width)..<(($0 + 1) * width)]) }
        let cosines = lens.cosines(vectors)
        var total: Float = 0
        // Per row: the two tokens whose cosines the hinge compares (nil: the hinge is flat there).
        var active: [(row: Int, target: Int32, other: Int32)] = []
        for (row, c) in cosines.enumerated() {
            guard let target = classTokens.max(by: { c[Int($0)] < c[Int($1)] }) else { continue }
            var other: Int32 = -1, best = -Float.infinity
            for (i, value) in c.enumerated() where value > best && !classTokens.contains(Int32(i)) { best = value; other = Int32(i) }
            let hinge = margin + best - c[Int(target)]
            if hinge > 0, other >= 0 {
                total += hinge
                active.append((row, target, other))
            }
        }
        let value = Tensor(shape: [1], scalars: [total / Float(max(1, count))])
        return rows.tape.custom([rows], value: value) { [lens] g in
            var gradient = [Float](repeating: 0, count: count * width)
            let scale = g.scalars[0] / Float(max(1, count))
            for (row, target, other) in active {
                let x = vectors[row]
                // d cos(x, e)/dx = (e/‖e‖ − cos · x/‖x‖) / ‖x‖: + for the other token, − for the class word.
                let norm = max(x.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                for (token, sign) in [(other, Float(1)), (target, Float(-1))] {
                    let e = lens.embedding(token), eNorm = max(lens.rowNorms[Int(token)], 1e-12)
                    let cosine = cosines[row][Int(token)]
                    for (j, (xj, ej)) in zip(x, e).enumerated() {
                        gradient[row * width + j] += sign * scale * (ej / eNorm - cosine * xj / norm) / norm
                    }
                }
            }
            return [Tensor(shape: [count, width], scalars: gradient)]
        }
    }
}
