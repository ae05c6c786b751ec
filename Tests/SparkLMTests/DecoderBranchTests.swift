import Foundation
import Testing
@testable import SparkLM
import SparkEngine

/// `forwardBranches`: several continuations of one cached prefix in one pass must each equal a
/// plain forward of that continuation after the prefix, whatever else the cache holds.
@Suite(.serialized)
struct DecoderBranchTests {
    static let decoder: LlamaDecoder? = TestModel.isPresent ? try? TestModel.decoder(.reference) : nil

    /// "The capital of France is", then three continuations of different lengths, one of them
    /// made of embedding rows (as bridge tokens enter the model).
    static let prefix: [Int32] = [504, 3575, 282, 4649, 314]
    static func branches(_ decoder: LlamaDecoder) throws -> [[DecoderInput]] {
        [[.token(7042), .token(30)],
         try [1, 2, 3].map { .embedding(try decoder.embedding(of: Int32(900 + $0))) },
         [.token(28)]]
    }

    /// The final-norm hidden states of `branch` run alone after the prefix.
    static func alone(_ decoder: LlamaDecoder, _ branch: [DecoderInput]) throws -> [Float] {
        let result = try decoder.forward(prefix.map { .token($0) } + branch, cache: decoder.makeCache(),
                                         capture: CaptureRequest(finalHiddenStates: true))
        let all = try #require(result.finalHiddenStates)
        return Array(all[(prefix.count * decoder.configuration.width)...])
    }

    @Test(.enabled(if: decoder != nil, TestModel.absentMessage)) func branchesEqualSeparateRuns() throws {
        let decoder = try #require(Self.decoder)
        let branches = try Self.branches(decoder)
        // The cache holds the prefix and then positions the branches must not see.
        let cache = decoder.makeCache()
        _ = try decoder.forward((Self.prefix + [1000, 2000, 3000]).map { .token($0) }, cache: cache)
        let together = try decoder.forwardBranches(branches, cache: cache, prefixLength: Self.prefix.count)
        #expect(cache.count == Self.prefix.count + 3)
        #expect(together.count == branches.count)
        for (branch, result) in zip(branches, together) {
            let expected = try Self.alone(decoder, branch)
            #expect(result.count == expected.count)
            #expect(DecoderTests.maxDifference(result, expected) < 1e-3)
        }
        // The positions past the prefix are still the cache's own: a next token continues them.
        let next = try decoder.forward([.token(4000)], cache: cache).logits
        let fresh = decoder.makeCache()
        let expectedNext = try decoder.forward((Self.prefix + [1000, 2000, 3000, 4000]).map { .token($0) }, cache: fresh).logits
        #expect(DecoderTests.maxDifference(next, expectedNext) < 2e-3)
    }

    /// With no prefix, branches are independent sequences packed into one pass.
    @Test(.enabled(if: decoder != nil, TestModel.absentMessage)) func branchesWithoutAPrefix() throws {
        let decoder = try #require(Self.decoder)
        let sequences: [[DecoderInput]] = [Self.prefix.map { .token($0) }, [.token(9), .token(10)]]
        let together = try decoder.forwardBranches(sequences, cache: decoder.makeCache(), prefixLength: 0)
        for (sequence, result) in zip(sequences, together) {
            let alone = try #require(try decoder.forward(sequence, cache: decoder.makeCache(),
                                                         capture: CaptureRequest(finalHiddenStates: true)).finalHiddenStates)
            #expect(DecoderTests.maxDifference(result, alone) < 1e-3)
        }
    }

    @Test(.enabled(if: decoder != nil, TestModel.absentMessage)) func badBranchesAreErrors() throws {
        let decoder = try #require(Self.decoder)
        let cache = decoder.makeCache()
        _ = try decoder.forward(Self.prefix.map { .token($0) }, cache: cache)
        #expect(throws: LMError.self) { try decoder.forwardBranches([], cache: cache, prefixLength: 0) }
        #expect(throws: LMError.self) { try decoder.forwardBranches([[.token(1)], []], cache: cache, prefixLength: 0) }
        #expect(throws: LMError.self) { try decoder.forwardBranches([[.token(1)]], cache: cache, prefixLength: 6) }
        #expect(throws: LMError.self) { try decoder.forwardBranches([[.token(-1)]], cache: cache, prefixLength: 5) }
    }
}
