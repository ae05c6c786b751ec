import Foundation
import Testing
@testable import SparkLM
import SparkEngine

/// The logit lens and the language lens, computed in one sgemm over a Float32 copy of the
/// vocabulary matrix, against the decoder's own quantised products.
@Suite(.serialized)
struct DecoderLensTests {
    static let decoder: LlamaDecoder? = TestModel.isPresent ? try? TestModel.decoder(.reference) : nil

    /// The lens of the last layer's residual is the model's own output; earlier layers' lenses
    /// equal the single-row quantised product of the normed residual.
    @Test(.enabled(if: decoder != nil, TestModel.absentMessage)) func logitLensOfTheLastLayerIsTheOutput() throws {
        let decoder = try #require(Self.decoder)
        let prompt: [Int32] = [504, 3575, 282, 4649, 314]
        let result = try decoder.forward(prompt.map { .token($0) }, cache: decoder.makeCache(),
                                         capture: CaptureRequest(hiddenStates: true))
        let width = decoder.configuration.width
        let hidden = try #require(result.hiddenStates)
        let lastRows = hidden.map { Array($0[((prompt.count - 1) * width)...]) }
        let lenses = decoder.logitLens(residuals: lastRows)
        #expect(lenses.count == hidden.count)
        #expect(lenses.allSatisfy { $0.count == decoder.configuration.vocabularySize })
        #expect(DecoderTests.maxDifference(lenses.last!, result.logits) < 1e-3)
        // A middle layer: the same as the quantised mat-vec of its normed residual.
        let middle = lastRows[15]
        var normed = [Float](repeating: 0, count: width)
        let norm = decoder.weights.outputNorm
        DecoderKernels.rmsNorm(middle, rows: 1, width: width, weight: norm, epsilon: decoder.configuration.rmsNormEpsilon, into: &normed)
        #expect(DecoderTests.maxDifference(lenses[15], decoder.outputLogits(normedHidden: normed)) < 1e-3)
        #expect(decoder.logitLens(residuals: []).isEmpty)
    }

    /// A token's own embedding is its nearest neighbour, at cosine 1; a scaled copy too (cosine
    /// ignores length), and the cosines come out in decreasing order.
    @Test(.enabled(if: decoder != nil, TestModel.absentMessage)) func languageLensFindsTheTokenItself() throws {
        let decoder = try #require(Self.decoder)
        let lens = EmbeddingNeighbours(decoder: decoder)
        let ids: [Int32] = [504, 4649, 12345]
        let rows = try ids.map { try decoder.embedding(of: $0) }
        let scaled = rows[1].map { $0 * 3 }
        let found = lens.nearest(rows + [scaled], k: 4)
        #expect(found.count == 4)
        for (row, id) in zip(found, ids + [4649]) {
            #expect(row.count == 4)
            #expect(row[0].token == id)
            #expect(abs(row[0].probability - 1) < 1e-4)
            #expect(zip(row, row.dropFirst()).allSatisfy { $0.probability >= $1.probability })
            #expect(row[1].probability < 0.999)
        }
    }
}
