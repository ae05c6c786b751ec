import Foundation
import SparkEngine
import SparkFormats

/// A language model ready to talk to: the decoder, its tokenizer and chat template, read from one
/// GGUF file. This is what the front ends and the AllSpark pipeline hold.
public final class LanguageModel {
    public let path: String
    public let decoder: LlamaDecoder
    public let tokenizer: BPETokenizer
    public let template: ChatTemplate
    /// The model's name from `general.name` (or the file name).
    public let displayName: String
    /// Most positions a cache made by `makeCache` holds.
    public let maximumContext: Int

    /// Opens `path`. `maxContext` caps the KV cache (the model's own context is the upper bound).
    public init(path: String, maxContext: Int? = nil) throws {
        // Every decoded token reads all the weights: huge pages spare the TLB (MappedFile.Residence).
        let file = try GGUFFile(path: path, hugePages: true)
        self.path = path
        decoder = try LlamaDecoder(file: file)
        let vocabulary = try TokenizerVocabulary(gguf: file)
        tokenizer = try BPETokenizer(vocabulary: vocabulary)
        template = (try? ChatTemplate(vocabulary: vocabulary)) ?? ChatTemplate(defaultSystemMessage: nil)
        guard tokenizer.vocabularySize == decoder.configuration.vocabularySize else {
            throw LMError.unsupportedModel(file: path, problem: "the tokenizer has \(tokenizer.vocabularySize) tokens but token_embd.weight has \(decoder.configuration.vocabularySize) rows")
        }
        displayName = file.value("general.name")?.string ?? (path as NSString).lastPathComponent
        maximumContext = Swift.min(maxContext ?? 2048, decoder.configuration.contextLength)
    }

    public var configuration: LlamaConfiguration { decoder.configuration }

    /// "pretrained: SmolLM2-135M-Instruct (models/…gguf)"
    public var provenance: String { "pretrained: \(displayName) (\(path))" }

    /// A cache for one sequence; `adapters` (when given) replace the decoder's own for every pass
    /// over it (see `KVCache.adapters`).
    public func makeCache(adapters: [Int: LynxAdapter]? = nil) -> KVCache {
        let cache = decoder.makeCache(maximumLength: maximumContext)
        cache.adapters = adapters
        return cache
    }

    /// Token ids ending generation (end of turn, end of text).
    public var stopTokens: Set<Int32> { tokenizer.endOfGenerationIds }

    /// The ids of a one-turn ChatML conversation with the generation prompt appended.
    public func chatPrompt(user: String, system: String? = nil) -> [Int32] {
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(user))
        return tokenizer.encode(template.render(messages, addGenerationPrompt: true), parseSpecial: true)
    }

    /// Generates from `prompt`, streaming decoded text (complete UTF-8 only) through `onText`.
    public func generate(prompt: [DecoderInput], settings: SamplingSettings, maxTokens: Int,
                         cache: KVCache? = nil, initialLogits: [Float]? = nil, history: [Int32] = [],
                         topCandidates: Int = 0, cancel: CancellationFlag? = nil,
                         onText: (String, GenerationStep) -> Void = { _, _ in }) throws -> (text: String, result: GenerationResult) {
        var sampler = Sampler(settings: try settings.validated(), generator: SeededRandomGenerator(seed: settings.seed))
        var stream = tokenizer.makeStreamingDecoder(renderSpecial: false)
        var text = ""
        let stops = stopTokens
        let result = try decoder.generate(prompt: prompt, maxTokens: maxTokens, stopTokens: stops, sampler: &sampler,
                                          cache: cache ?? makeCache(), initialLogits: initialLogits, history: history,
                                          topCandidates: topCandidates, cancel: cancel) { step in
            let piece = stops.contains(step.token) ? "" : stream.append(step.token)
            text += piece
            onText(piece, step)
        }
        let rest = stream.finish()
        text += rest
        if !rest.isEmpty, let last = result.tokens.last {
            onText(rest, GenerationStep(index: result.tokens.count - 1, token: last, candidates: []))
        }
        return (text, result)
    }
}
