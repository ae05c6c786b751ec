import Foundation
import Testing
@testable import AllSpark
import SparkEngine
import SparkGrad
import SparkLM

/// The lens-alignment hinge on the real SmolLM2 vocabulary: its value and gradient against an
/// independent brute-force Double implementation and central differences, and that descending it
/// moves a random vector's nearest word onto its class (skipped without the model file).
@Suite(.serialized)
struct LensAlignmentTests {
    static let languageModel: LanguageModel? = {
        FileManager.default.changeCurrentDirectoryPath(PipelineTests.root.path)
        return try? LanguageModel(path: "models/SmolLM2-135M-Instruct.Q4_1.gguf")
    }()
    static let lens = languageModel.map { EmbeddingNeighbours(decoder: $0.decoder) }

    /// The vocabulary's embedding rows, flat, for the reference's loops.
    static let flatEmbeddings: [Float] = lens.map { lens in (0..<lens.vocabularySize).flatMap { Array(lens.embedding(Int32($0))) } } ?? []

    /// The hinge of one row in Double, over every vocabulary row, written from the definition.
    static func referenceHinge(_ x: [Double], classTokens: Set<Int32>, margin: Double) -> Double {
        let width = x.count
        let xNorm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var bestClass = -Double.infinity, bestOther = -Double.infinity
        flatEmbeddings.withUnsafeBufferPointer { e in
            x.withUnsafeBufferPointer { x in
                for token in 0..<(e.count / width) {
                    var dot = 0.0, eNorm = 0.0
                    for j in 0..<width {
                        let b = Double(e[token * width + j])
                        dot += x[j] * b; eNorm += b * b
                    }
                    let cosine = eNorm > 0 ? dot / (xNorm * eNorm.squareRoot()) : 0
                    if classTokens.contains(Int32(token)) { bestClass = max(bestClass, cosine) } else { bestOther = max(bestOther, cosine) }
                }
            }
        }
        return max(0, margin + bestOther - bestClass)
    }

    @Test(.enabled(if: lens != nil)) func classTokensAreTheWordsOfTheLabel() throws {
        let tokenizer = try #require(Self.languageModel).tokenizer
        let farmland = LensAlignment.classTokens("rectangular_farmland", tokenizer: tokenizer)
        #expect(farmland.contains(tokenizer.encode(" rectangular", parseSpecial: false)[0]))
        let bricks = LensAlignment.classTokens("Self-Blocking Bricks", tokenizer: tokenizer)
        #expect(!bricks.isEmpty)
        #expect(bricks.allSatisfy { tokenizer.piece($0).contains { $0.isLetter } }, "'-' is not a word")
        #expect(LensAlignment.classTokens("---", tokenizer: tokenizer).isEmpty)
    }

    @Test(.enabled(if: lens != nil)) func valueAndGradientMatchTheDoubleReference() throws {
        let lens = try #require(Self.lens), tokenizer = try #require(Self.languageModel).tokenizer
        let alignment = LensAlignment(lens: lens, margin: 0.1)
        let words = LensAlignment.classTokens("forest", tokenizer: tokenizer)
        var generator = SeededRandomGenerator(seed: 7)
        let width = lens.embedding(0).count, rows = 2
        // Row 0 random (the hinge is active); row 1 the class word itself (cosine 1: flat, zero).
        var scalars = Tensor(randomNormal: [width], mean: 0, std: 0.05, generator: &generator).scalars
        scalars += Array(lens.embedding(words.first!))
        let tape = Tape()
        let x = tape.parameter(Tensor(shape: [rows, width], scalars: scalars))
        let loss = alignment.loss(x, classTokens: words)
        tape.backward(loss)
        let gradient = try #require(tape.gradient(x)).scalars

        let point = scalars.map(Double.init)
        func reference(_ row0: [Double]) -> Double { Self.referenceHinge(row0, classTokens: words, margin: 0.1) }
        let row0 = Array(point[..<width])
        // Row 1 is the class word: its cosine 1 leads every other token by more than the margin.
        #expect(Self.referenceHinge(Array(point[width...]), classTokens: words, margin: 0.1) == 0)
        let value = reference(row0) / Double(rows)
        #expect(abs(Double(loss.value.scalars[0]) - value) < 1e-4)
        #expect(value > 0.02)
        #expect(gradient[width...].allSatisfy { $0 == 0 }, "a row whose class word leads by the margin has no gradient")
        // Directional derivatives of row 0 along random directions, by central differences in Double.
        for _ in 0..<2 {
            let direction = Tensor(randomNormal: [width], mean: 0, std: 1, generator: &generator).scalars.map(Double.init)
            let step = 1e-4
            let numeric = (reference(zip(row0, direction).map { $0 + step * $1 }) - reference(zip(row0, direction).map { $0 - step * $1 }))
                / (2 * step * Double(rows))
            let analytic = zip(gradient, direction).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            #expect(abs(numeric - analytic) <= 1e-3 * max(1, abs(numeric)), "numeric \(numeric), analytic \(analytic)")
        }
    }

    @Test(.enabled(if: lens != nil)) func descendingTheHingeMakesTheLensShowTheClassWord() throws {
        let lens = try #require(Self.lens), tokenizer = try #require(Self.languageModel).tokenizer
        let alignment = LensAlignment(lens: lens, margin: 0.1)
        let words = LensAlignment.classTokens("sandal", tokenizer: tokenizer)
        var generator = SeededRandomGenerator(seed: 11)
        let width = lens.embedding(0).count
        var x = Tensor(randomNormal: [1, width], mean: 0, std: 0.05, generator: &generator)
        #expect(!words.contains(lens.nearest([x.scalars], k: 1)[0][0].token), "a random vector is not already on the word")
        var last: Float = .infinity
        for _ in 0..<200 {
            let tape = Tape()
            let variable = tape.parameter(x)
            let loss = alignment.loss(variable, classTokens: words)
            last = loss.value.scalars[0]
            if last == 0 { break }
            tape.backward(loss)
            let g = try #require(tape.gradient(variable)).scalars
            let norm = x.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
            x = Tensor(shape: x.shape, scalars: zip(x.scalars, g).map { $0 - 0.05 * norm * $1 })
        }
        #expect(last == 0)
        #expect(words.contains(lens.nearest([x.scalars], k: 1)[0][0].token))
    }
}
