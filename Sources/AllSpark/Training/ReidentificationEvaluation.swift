import AllSparkData
import Foundation
import SparkEngine

/// Cross-modality re-identification measured as the paper does, rank-1 over the gallery and mAP,
/// through the inference path a user sees: the query through the encoder, bridge, language model
/// and pooling, every gallery image alone through the RGB branch and the same sequence
/// (`GalleryRanking`), ranked by cosine similarity. Each sample has one true match, so its
/// average precision is 1 / (the match's rank) and mAP is their mean.
///
/// The baseline, on the same samples: nearest neighbour on raw pixels — the gallery ranked by the
/// cosine similarity of the resized, normalised IR query and RGB images.
public enum ReidentificationEvaluation {
    public static func evaluate(model: AllSparkModel, directory: String, prompt: String, limit: Int?,
                                checkpoint: String, perSample: Bool) throws -> EvaluationReport {
        let catalog = try SampleCatalog.read(directory: directory)
        guard let encoder = try model.components(.infrared).encoder as? InfraredEncoder else {
            throw TrainingError("the infrared encoder is not configured")
        }
        let session = try PipelineSession(model: model, modality: .infrared)
        session.setPrompt(text: prompt)
        session.maxNewTokens = 0
        var modelRanks: [Int] = [], baselineRanks: [Int] = [], identityRight = 0
        var outcomes: [SampleOutcome] = []
        for entry in catalog.entries.prefix(limit ?? Int.max) {
            let reference = catalog.reference(entry)
            let sample = try SampleLoaders.load(.infrared, reference, catalog: catalog)
            guard case .galleryMatch(let match)? = sample.label else {
                throw TrainingError("\(reference.text): no true match (expected an index.json naming the gallery image of the query's person)")
            }
            session.select(sample: reference)
            try session.run(through: .head)
            guard case .reidentification(let identities, _, let ranking)? = session.trace.head?.prediction else {
                throw TrainingError("\(reference.text): the head gave no ranking")
            }
            let rank = (ranking.firstIndex { $0.index == match } ?? ranking.count) + 1
            let pixelRank = try rawPixelRank(sample, match: match, encoder: encoder)
            modelRanks.append(rank)
            baselineRanks.append(pixelRank)
            if case .className(let identity)? = entry.sampleLabel, identities.first?.label == identity { identityRight += 1 }
            if perSample {
                outcomes.append(SampleOutcome(sample: reference.text, label: "match \(match)", predicted: ranking.first.map { "gallery \($0.index)" },
                                              model: Double(rank), baseline: Double(pixelRank), right: rank == 1))
            }
        }
        guard !modelRanks.isEmpty else { throw TrainingError("\(directory): no samples") }
        func rankOne(_ ranks: [Int]) -> Double { Double(ranks.filter { $0 == 1 }.count) / Double(ranks.count) }
        func meanAP(_ ranks: [Int]) -> Double { ranks.reduce(0) { $0 + 1 / Double($1) } / Double(ranks.count) }
        let sources = Set(catalog.entries.map(\.source)).sorted().prefix(2).joined(separator: "; ")
        var report = EvaluationReport(
            modality: Modality.infrared.rawValue, metric: "rank-1", higherIsBetter: true,
            model: rankOne(modelRanks), baseline: rankOne(baselineRanks), baselineName: "nearest neighbour on raw pixels",
            extra: ["mAP": meanAP(modelRanks), "baseline mAP": meanAP(baselineRanks),
                    "identity accuracy": Double(identityRight) / Double(modelRanks.count),
                    "gallery size": Double(catalog.entries.isEmpty ? 0 : (try? galleryCount(catalog, catalog.entries[0])) ?? 0)],
            samples: modelRanks.count, data: sources, checkpoint: checkpoint, larf: nil, answers: [],
            outcomes: perSample ? outcomes : nil)
        // A gallery-ranking head names no identities (its outputs are the embedding).
        if try model.components(.infrared).head.section.ranksGallery { report.extra["identity accuracy"] = nil }
        return report
    }

    /// The match's rank when the gallery is ordered by the raw pixels' cosine similarity with the
    /// query (both resized and normalised as the encoder does).
    static func rawPixelRank(_ sample: Sample, match: Int, encoder: InfraredEncoder) throws -> Int {
        let (query, gallery) = try InfraredEncoder.content(sample)
        let q = try encoder.normalised(encoder.resized(query, "the infrared query")).scalars
        let similarities = try gallery.enumerated().map { index, image in
            HeadContext.cosine(q, try encoder.normalised(encoder.resized(image, "gallery image \(index)")).scalars)
        }
        return similarities.indices.filter { similarities[$0] > similarities[match] || (similarities[$0] == similarities[match] && $0 < match) }.count + 1
    }

    static func galleryCount(_ catalog: SampleCatalog, _ entry: SampleCatalog.Entry) throws -> Int {
        let sample = try SampleLoaders.load(.infrared, catalog.reference(entry), catalog: catalog)
        if case .infrared(_, let gallery, _) = sample.content { return gallery.count }
        return 0
    }
}
