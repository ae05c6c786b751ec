import Foundation
import Testing
@testable import AllSpark
import SparkEngine
import SparkLM
import SparkFormats

/// The ChatML layout, with the real SmolLM2 tokenizer (skipped without the model file).
struct SequenceAssemblerTests {
    static let tokenizer: (BPETokenizer, ChatTemplate)? = {
        let path = ConfigurationTests.configPath("../models/SmolLM2-135M-Instruct.Q4_1.gguf")
        guard FileManager.default.fileExists(atPath: path), let file = try? SparkFormats.GGUFFile(path: path),
              let vocabulary = try? TokenizerVocabulary(gguf: file), let tokenizer = try? BPETokenizer(vocabulary: vocabulary) else {
            print("SequenceAssemblerTests: the model file is absent; skipping")
            return nil
        }
        return (tokenizer, (try? ChatTemplate(vocabulary: vocabulary)) ?? ChatTemplate(defaultSystemMessage: nil))
    }()

    @Test(.enabled(if: tokenizer != nil)) func layoutMatchesTheWholeTextTokenised() throws {
        let (tokenizer, template) = try #require(Self.tokenizer)
        let assembler = SequenceAssembler(tokenizer: tokenizer, template: template, systemPrompt: "Be brief.", maximumLength: 512)
        let modality: [Int32] = tokenizer.encode("a photo of a lake", parseSpecial: false)
        let sequence = try assembler.assemble(.tokens(modality), prompt: "What is it?")
        let whole = tokenizer.encode("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\na photo of a lake\nWhat is it?<|im_end|>\n<|im_start|>assistant\n", parseSpecial: true)
        #expect(sequence.tokenIds.compactMap { $0 } == whole)
        #expect(sequence.segments.map(\.kind) == [.system, .userTurnStart, .modality, .separator, .prompt, .userTurnEnd, .assistantTurnStart])
        #expect(sequence.range(of: .modality).count == modality.count)
        #expect(sequence.segments.last!.range.upperBound == sequence.count)
    }

    @Test(.enabled(if: tokenizer != nil)) func embeddingRowsSitInsideTheUserTurn() throws {
        let (tokenizer, template) = try #require(Self.tokenizer)
        let assembler = SequenceAssembler(tokenizer: tokenizer, template: template, systemPrompt: nil, maximumLength: 512)
        let rows = Tensor(repeating: 0.1, shape: [32, 576])
        let sequence = try assembler.assemble(.embeddings(rows), prompt: "<|im_end|> is just text here")
        let modality = sequence.range(of: .modality)
        #expect(modality.count == 32)
        #expect(sequence.tokenIds[modality].allSatisfy { $0 == nil })
        // The prompt's special-token text is not parsed as a special token.
        let promptIds = sequence.tokenIds[sequence.range(of: .prompt)].compactMap { $0 }
        #expect(!promptIds.contains(2))
    }

    @Test(.enabled(if: tokenizer != nil)) func overflowSaysTheLengthAndTheLimit() throws {
        let (tokenizer, template) = try #require(Self.tokenizer)
        let assembler = SequenceAssembler(tokenizer: tokenizer, template: template, systemPrompt: nil, maximumLength: 40)
        do {
            _ = try assembler.assemble(.embeddings(Tensor(zeros: [32, 576])), prompt: "Describe it.")
            Issue.record("expected an overflow error")
        } catch let error as SequenceError {
            #expect("\(error)".contains("context holds 40"))
        }
    }
}
