import AllSparkData
import SparkEngine
import SparkLM

/// The re-identification head's read-out: rank the sample's gallery by cosine similarity with the
/// query's pooled embedding, each gallery image embedded exactly as the query was (RGB network →
/// bridge → the query's sequence with the image's tokens in place of the query's → language
/// model → the same pooling).
///
/// The gallery sequences differ from the query's only from the modality tokens on, so they run
/// as branches of one batched pass that continue the query's cached positions before its
/// modality tokens (system text and turn start). With modality-mean pooling a branch is just
/// the image's tokens: causal attention keeps the text after them from changing them. With
/// last pooling it carries the rest of the sequence too.
struct GalleryRanking {
    let model: AllSparkModel
    let components: ModalityComponents

    /// `cache` holds the query's sequence when the language model has run on it; without one the
    /// shared prefix is computed here.
    func rank(query: [Float], sample: Sample, sequence: AssembledSequence, pooling: HeadPooling,
              cache: KVCache?) throws -> [GalleryMatch] {
        guard case .infrared(_, _, let names) = sample.content,
              let gallery = components.encoder as? any GalleryEncoder, let bridge = components.bridge else { return [] }
        let tokensPerImage = try gallery.encodeGallery(sample)
        guard !tokensPerImage.isEmpty else { return [] }
        let modalityRange = sequence.range(of: .modality)
        let end = pooling == .modalityMean ? modalityRange.upperBound : sequence.count
        let branches: [[DecoderInput]] = try bridge(batch: tokensPerImage).map { bridged in
            guard bridged.shape[0] == modalityRange.count else {
                throw PipelineError(.head, "a gallery image gave \(bridged.shape[0]) bridge tokens; the query gave \(modalityRange.count)")
            }
            return (0..<bridged.shape[0]).map { DecoderInput.embedding(bridged[row: $0].scalars) }
                + sequence.inputs[modalityRange.upperBound..<end]
        }
        let lm = model.languageModel
        let prefixCache = try cache ?? {
            let made = try model.languageModelCache(components.modality)
            if modalityRange.lowerBound > 0 { _ = try lm.decoder.forward(Array(sequence.inputs[..<modalityRange.lowerBound]), cache: made) }
            return made
        }()
        let hidden = try lm.decoder.forwardBranches(branches, cache: prefixCache, prefixLength: modalityRange.lowerBound)
        let width = lm.configuration.width
        return zip(hidden, branches).enumerated().map { index, pair in
            let states = Tensor(shape: [pair.1.count, width], scalars: pair.0)
            let pooled = pooling.pool(states, modalityRange: 0..<modalityRange.count)
            // Compared as the query was: through the head's projection when the head ranks the gallery.
            let embedding = components.head.section.ranksGallery ? (components.head.logits(pooled)?.scalars ?? pooled.scalars) : pooled.scalars
            return GalleryMatch(index: index, name: index < names.count ? names[index] : "gallery \(index)",
                                similarity: HeadContext.cosine(query, embedding))
        }.sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.index < $1.index }
    }
}
