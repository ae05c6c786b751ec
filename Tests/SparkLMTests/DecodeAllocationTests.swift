import CAllocationCounter
import SparkEngine
import SparkLM
import XCTest

/// Issue 13 asks that a decoded token allocate nothing: these count the process's malloc, calloc
/// and realloc calls (Tests/CAllocationCounter) around the decoding loop, the worker threads'
/// included. They are XCTest cases, not Swift Testing ones, because `swift test` runs the XCTest
/// cases one at a time, before the Swift Testing ones (which run in parallel): a process-wide count
/// then sees only this test's allocations.
final class DecodeAllocationTests: XCTestCase {
    static let counting = allocation_counter_available() == 1

    func testCounterSeesAnArrayBeingMade() throws {
        try XCTSkipUnless(Self.counting, "malloc is not interposed here (a sanitizer build, or not glibc)")
        let before = allocation_counter_total()
        let made = [Float](repeating: 1, count: 4096 + Int(before % 7))
        let after = allocation_counter_total()
        XCTAssertGreaterThanOrEqual(made.count, 4096)
        XCTAssertGreaterThanOrEqual(after - before, 1)
    }

    func testDecodedTokenAllocatesNothingInLlamaNumerics() throws {
        try assertDecodingAllocatesNothing(.llamaCompatible)
    }

    func testDecodedTokenAllocatesNothingInReferenceNumerics() throws {
        try assertDecodingAllocatesNothing(.reference)
    }

    /// `generate` (greedy) of 40 tokens against 8 after the same prompt: the difference is what
    /// 32 more decoded tokens cost, sampling and the token lists included.
    func testGreedyGenerationAllocatesNothingPerToken() throws {
        try XCTSkipUnless(Self.counting, "malloc is not interposed here (a sanitizer build, or not glibc)")
        try XCTSkipUnless(TestModel.isPresent, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (the setup script fetches it)")
        let decoder = try TestModel.decoder(.llamaCompatible)
        let prompt: [DecoderInput] = (0..<8).map { .token(Int32(2000 + $0)) }
        func allocations(generating count: Int) throws -> UInt64 {
            var sampler = Sampler(settings: .greedy, generator: SeededRandomGenerator(seed: 1))
            let cache = decoder.makeCache(maximumLength: 128)
            let before = allocation_counter_total()
            let result = try decoder.generate(prompt: prompt, maxTokens: count, stopTokens: [], sampler: &sampler, cache: cache)
            let made = UInt64(allocation_counter_total() - before)
            XCTAssertEqual(result.tokens.count, count)
            return made
        }
        _ = try allocations(generating: 8)   // sizes the decoder's buffers
        let short = try (0..<3).map { _ in try allocations(generating: 8) }.min()!
        let long = try (0..<3).map { _ in try allocations(generating: 40) }.min()!
        XCTAssertEqual(Int64(long) - Int64(short), 0, "allocations of 40 generated tokens (\(long)) minus those of 8 (\(short))")
    }

    /// Prefills 8 tokens, decodes 4 (they size the decoder's buffers), then counts three rounds
    /// of 16 decoded tokens and expects the fewest to be 0.
    private func assertDecodingAllocatesNothing(_ numerics: DecoderNumerics, file: StaticString = #filePath, line: UInt = #line) throws {
        try XCTSkipUnless(Self.counting, "malloc is not interposed here (a sanitizer build, or not glibc)")
        try XCTSkipUnless(TestModel.isPresent, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (the setup script fetches it)")
        let decoder = try TestModel.decoder(numerics)
        let cache = decoder.makeCache(maximumLength: 128)
        var logits = try decoder.forward((0..<8).map { .token(Int32(1000 + $0)) }, cache: cache).logits
        var token = Sampler<SeededRandomGenerator>.argmax(logits)
        for _ in 0..<4 {
            try decoder.decode(token, cache: cache, logits: &logits)
            token = Sampler<SeededRandomGenerator>.argmax(logits)
        }
        var fewest = UInt64.max
        for _ in 0..<3 {
            let before = allocation_counter_total()
            for _ in 0..<16 {
                try decoder.decode(token, cache: cache, logits: &logits)
                token = Sampler<SeededRandomGenerator>.argmax(logits)
            }
            fewest = min(fewest, UInt64(allocation_counter_total() - before))
        }
        XCTAssertEqual(fewest, 0, "allocations in 16 decoded tokens (fewest of three rounds)", file: file, line: line)
    }
}
