import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// The JSON trace of the first sample of every modality on the tiny (seeded, untrained)
/// configuration agrees with the one recorded before (`Fixtures/traces/<modality>.json`, written
/// by `scripts/reference/record_traces.sh`): every stage's statistics, the head's prediction and
/// the next-token distribution, to 1e-5 relative. A change to the forward path that moves any
/// number fails here. Values near zero (a layer-normed mean) are compared at 1e-5 of the stage's
/// spread instead, since BLAS kernels of other CPUs sum in another order.
extension PipelineTests {
    static func traceFixture(_ modality: Modality) throws -> TraceExport {
        let path = root.appendingPathComponent("Tests/AllSparkTests/Fixtures/traces/\(modality.rawValue).json")
        return try JSONDecoder().decode(TraceExport.self, from: Data(contentsOf: path))
    }

    /// The catalog entry the fixture was recorded on (its options included), wherever it now
    /// stands in the list: held-out samples picked later go first.
    static func recordedSample(_ modality: Modality, path: String) throws -> SampleReference {
        let catalog = try SampleCatalog.read(directory: "samples/\(modality.rawValue)")
        let entry = try #require(catalog.entries.first { catalog.reference($0).path == path }, "\(path) is not in samples/\(modality.rawValue)/index.json")
        return catalog.reference(entry)
    }

    /// |a − b| ≤ relative · max(|a|, |b|) + 1e-5 · scale.
    static func agrees(_ a: Float, _ b: Float, scale: Float, relative: Float = 1e-5) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b)) + 1e-5 * scale
    }

    /// The next-token probabilities come out of 30 layers of Float32 sgemm, whose sums each BLAS
    /// kernel orders its own way: on an AVX2-only AMD EPYC (Zen 3) the fixtures, recorded under
    /// the Cooperlake (AVX-512) kernel, differed by up to 1.6e-5 relative under OpenBLAS's Zen
    /// kernel and 1.3e-5 under SandyBridge (2026-12-07). A change to the forward path moves them
    /// by far more.
    static let nextTokenTolerance: Float = 1e-4

    @Test(.enabled(if: model != nil), arguments: Modality.allCases)
    func traceOfTheFirstSampleIsTheRecordedOne(modality: Modality) throws {
        let model = try #require(Self.model)
        let recorded = try Self.traceFixture(modality)
        let session = try PipelineSession(model: model, modality: modality)
        session.select(sample: try Self.recordedSample(modality, path: try #require(recorded.sample).path))
        try session.run(through: .head)
        let fresh = TraceExport(session: session)

        #expect(fresh.stages.map(\.stage) == recorded.stages.map(\.stage), "\(modality): stages")
        for (now, then) in zip(fresh.stages, recorded.stages) {
            #expect(now.shapes == then.shapes, "\(modality) \(now.stage): shapes")
            guard let a = now.summary, let b = then.summary else {
                #expect(now.summary == nil && then.summary == nil, "\(modality) \(now.stage): summary present in one only")
                continue
            }
            let scale = max(b.std, 1e-6)
            #expect(a.count == b.count && a.nanCount == b.nanCount && a.infCount == b.infCount, "\(modality) \(now.stage): counts")
            for (name, x, y) in [("mean", a.mean, b.mean), ("std", a.std, b.std), ("min", a.min, b.min), ("max", a.max, b.max)] {
                #expect(Self.agrees(x, y, scale: scale), "\(modality) \(now.stage) \(name): \(x), recorded \(y)")
            }
        }
        #expect(fresh.promptText == recorded.promptText && fresh.prompt?.map(\.id) == recorded.prompt?.map(\.id), "\(modality): prompt")
        #expect(fresh.sequence?.map(\.length) == recorded.sequence?.map(\.length), "\(modality): sequence layout")
        let (next, nextThen) = (fresh.nextTokens ?? [], recorded.nextTokens ?? [])
        #expect(next.count == nextThen.count, "\(modality): next tokens")
        for (a, b) in zip(next, nextThen) {
            #expect(a.id == b.id && Self.agrees(a.probability ?? 0, b.probability ?? 0, scale: 1e-3, relative: Self.nextTokenTolerance),
                    "\(modality): next token \(a.piece) \(a.probability ?? 0) vs \(b.piece) \(b.probability ?? 0)")
        }
        let (p, q) = (fresh.prediction, recorded.prediction)
        #expect(p?.kind == q?.kind && p?.shape == q?.shape, "\(modality): prediction kind")
        for (a, b) in zip(p?.classes ?? [], q?.classes ?? []) {
            #expect(a.index == b.index && Self.agrees(a.probability, b.probability, scale: 1e-3), "\(modality): class \(a.label) vs \(b.label)")
        }
        let values = q?.values ?? []
        let spread = values.isEmpty ? 1 : TensorSummary(values).std
        #expect(p?.values?.count == q?.values?.count, "\(modality): prediction values")
        for (i, (a, b)) in zip(p?.values ?? [], values).enumerated() where !Self.agrees(a, b, scale: spread) {
            Issue.record("\(modality): prediction value \(i) is \(a), recorded \(b)")
            break
        }
    }
}
