import Foundation
import Testing
import SparkLM

/// The decoder's logits against two independent references on the real model:
/// - `.reference` (Float32, no emulation) against a float64 NumPy forward pass on gguf-py's
///   dequantised weights (scripts/reference/numpy_llama.py);
/// - `.llamaCompatible` against llama.cpp's own logits (recorded by llama.cpp built from the
///   llama-cpp-python 0.3.36 archive, CPU backend, AVX2, 4 threads, flash attention on, f16 KV
///   cache; printed with 6 decimals, literals from scripts/reference/llama_cpp_references.py).
struct DecoderReferenceTests {
    /// Top-5 (id, logit) at the last prompt position from numpy_llama.py, float64.
    static let numpyTop5: [(prompt: [Int32], top: [(Int32, Float)])] = [
        ([504, 3575, 282, 4649, 314],
         [(7042, 17.371259), (260, 14.888589), (4528, 13.244974), (2250, 13.009467), (1315, 12.951514)]),
        ([33, 28, 216, 33, 28, 216, 34, 28, 216, 35, 28, 216, 37, 28, 216, 40, 28, 216, 33, 35, 28],
         [(216, 21.126407), (284, 17.975657), (4563, 16.517999), (198, 16.506197), (2686, 16.212259)]),
        ([1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198,
          1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198],
         [(504, 25.325383), (60, 25.243283), (15319, 24.942420), (2219, 24.401674), (7026, 24.314632)]),
    ]

    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage))
    func referenceNumericsMatchFloat64NumPy() throws {
        let decoder = try TestModel.decoder(.reference)
        for (prompt, top) in Self.numpyTop5 {
            let logits = try decoder.forward(prompt.map { .token($0) }, cache: decoder.makeCache()).logits
            #expect(Sampler<SystemRandomNumberGenerator>.topCandidates(logits, k: 5) == top.map(\.0))
            for (id, expected) in top {
                #expect(abs(logits[Int(id)] - expected) < 2e-3, "prompt of \(prompt.count) tokens, id \(id): \(logits[Int(id)]) vs \(expected)")
            }
        }
    }

    struct LlamaLogits {
        let name: String
        let prompt: [Int32]
        let generated: [Int32]
        /// Step 0: the 10 largest logits at the last prompt position; step k ≥ 1: the 3 largest
        /// after feeding generated[k − 1].
        let steps: [[(Int32, Float)]]
    }

    static let llamaLogits: [LlamaLogits] = [
        .init(name: "plain_capital", prompt: [504, 3575, 282, 4649, 314],
              generated: [7042, 30, 198, 198, 504, 1797, 1918, 553, 253],
              steps: [
                  [(7042, 17.738836), (260, 15.233179), (4528, 13.702801), (1315, 13.404352), (2250, 13.363588), (5145, 13.270967), (216, 13.253885), (3692, 12.962902), (441, 12.849016), (253, 12.478668)],
                  [(30, 25.546669), (28, 24.390316), (284, 22.945951)],
                  [(198, 18.214300), (378, 16.838028), (7042, 16.366682)],
                  [(198, 30.982651), (29, 29.252436), (26, 29.197960)],
                  [(504, 34.422287), (788, 33.533054), (1348, 33.466549)],
                  [(1797, 14.442528), (2988, 14.081350), (3432, 13.860813)],
                  [(1918, 18.968864), (8378, 17.021503), (6950, 16.302164)],
                  [(553, 20.117825), (314, 19.409588), (28, 18.334633)],
                  [(253, 25.273909), (216, 23.451567), (787, 22.789074)],
              ]),
        .init(name: "plain_numbers", prompt: [33, 28, 216, 33, 28, 216, 34, 28, 216, 35, 28, 216, 37, 28, 216, 40, 28, 216, 33, 35, 28],
              generated: [216, 33, 38, 28, 216, 34, 32, 28, 216],
              steps: [
                  [(216, 21.002781), (284, 18.115765), (4563, 16.647566), (198, 16.512926), (2686, 16.407928), (7827, 15.502734), (3717, 15.180890), (3814, 14.976047), (256, 14.842953), (33, 14.533984)],
                  [(33, 36.937836), (34, 35.910748), (198, 32.221813)],
                  [(38, 36.527184), (41, 35.358780), (39, 35.210613)],
                  [(28, 31.207687), (30, 26.579144), (25, 26.116667)],
                  [(216, 20.691973), (284, 17.668941), (198, 15.869339)],
                  [(34, 34.882145), (33, 34.806774), (198, 31.086365)],
                  [(32, 32.453529), (34, 31.370554), (33, 31.290289)],
                  [(28, 32.773621), (30, 28.655661), (77, 28.327755)],
                  [(216, 20.817810), (284, 16.697186), (4563, 15.962461)],
              ]),
        .init(name: "chat_capital", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198],
              generated: [60, 23, 39614, 1141, 552, 28, 2618, 2828, 313],
              steps: [
                  [(60, 24.743149), (504, 24.647915), (15319, 24.259266), (2219, 24.014965), (7026, 23.797089), (14925, 23.766909), (3706, 23.490179), (50, 23.460312), (30904, 23.005192), (39832, 22.857033)],
                  [(23, 21.775045), (344, 20.363262), (35906, 19.196320)],
                  [(39614, 21.137264), (2219, 20.144926), (5921, 19.934465)],
                  [(1141, 20.696676), (102, 17.054253), (100, 16.750313)],
                  [(552, 19.889055), (301, 18.249235), (4966, 16.118729)],
                  [(28, 13.322117), (365, 12.713154), (42, 12.607823)],
                  [(2618, 14.925343), (425, 14.264840), (260, 14.120733)],
                  [(2828, 2.563021), (12693, 2.457942), (4649, 2.107144)],
                  [(313, 20.022337), (269, 17.572697), (20174, 17.274801)],
              ]),
    ]

    /// Compatible numerics reproduce llama.cpp's logits — at the last prompt position (a batched
    /// prefill) and over 8 decode steps — to the 6 decimals they were printed with.
    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage))
    func compatibleNumericsMatchLlamaCppLogits() throws {
        let decoder = try TestModel.decoder(.llamaCompatible)
        for reference in Self.llamaLogits {
            let cache = decoder.makeCache()
            var logits = try decoder.forward(reference.prompt.map { .token($0) }, cache: cache).logits
            for (k, top) in reference.steps.enumerated() {
                #expect(Sampler<SystemRandomNumberGenerator>.topCandidates(logits, k: top.count) == top.map(\.0),
                        "\(reference.name), step \(k)")
                for (id, expected) in top {
                    #expect(abs(logits[Int(id)] - expected) < 2e-5, "\(reference.name), step \(k), id \(id): \(logits[Int(id)]) vs \(expected)")
                }
                if k < reference.generated.count {
                    logits = try decoder.forward([.token(reference.generated[k])], cache: cache).logits
                }
            }
        }
    }

    /// A 530-token prompt and two decode steps exercise llama.cpp's other attention kernels: a
    /// tiled micro-batch of 512 queries, a one-query-at-a-time micro-batch of 18, then decode
    /// steps past position 256, split over its 4 threads. Prompt: the first 530 ids of the
    /// agreement references' prompts and generations, concatenated in order. Top-10 logits
    /// recorded from llama.cpp (same build, CPU, 4 threads, flash attention on, f16 cache) with
    /// scripts/reference/llama_graph_dump.cpp (`result_output`, read by llama_graph_dump.py).
    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage))
    func longPromptMatchesLlamaCppAcrossAttentionKernels() throws {
        let prompt = Array(LlamaAgreementTests.references.flatMap { $0.prompt + $0.generated }.prefix(530))
        let next: [Int32] = [198, 504]
        let expected: [[(Int32, Float)]] = [
            [(28, 28.739239), (30, 28.240795), (2026, 25.903757), (731, 24.992519), (42, 24.781652), (314, 24.651632),
             (47, 24.065487), (359, 24.048969), (816, 23.963364), (17, 23.894558)],
            [(198, 32.687847), (60, 30.227173), (504, 29.985909), (1348, 29.238276), (15319, 28.733747), (49, 28.684010),
             (24, 28.335163), (54, 28.015106), (19, 27.931206), (33488, 27.866943)],
            [(2988, 18.328545), (3575, 16.997368), (2887, 15.471025), (3432, 15.030516), (805, 14.266294), (768, 13.847255),
             (5038, 13.802090), (3403, 13.621188), (5326, 13.567344), (1962, 13.359528)],
        ]
        let decoder = try TestModel.decoder(.llamaCompatible)
        let cache = decoder.makeCache()
        var logits = try decoder.forward(prompt.map { .token($0) }, cache: cache).logits
        for (k, top) in expected.enumerated() {
            #expect(Sampler<SystemRandomNumberGenerator>.topCandidates(logits, k: 10) == top.map(\.0), "step \(k)")
            for (id, value) in top { #expect(abs(logits[Int(id)] - value) < 2e-5, "step \(k), id \(id): \(logits[Int(id)]) vs \(value)") }
            if k < next.count { logits = try decoder.forward([.token(next[k])], cache: cache).logits }
        }
    }
}
