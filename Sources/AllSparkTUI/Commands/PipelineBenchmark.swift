import AllSpark
import AllSparkData
import Foundation

/// Times the pipeline from sample to head prediction (no generation) on a modality's first listed
/// sample: one warm-up run (it builds the modality's parts and the language lens), then `repeats`
/// runs whose per-stage times give medians. `allspark bench pipeline` prints the results.
public enum PipelineBenchmark {
    public struct Measurement: Sendable {
        public var sample: String
        /// Median seconds per stage, sample through head.
        public var stageMedians: [PipelineStage: Double]
        /// Median wall time of a whole run, sample through head.
        public var totalMedian: Double
        /// Wall time of the warm-up run, building included.
        public var firstRun: Double
        public var repeats: Int
    }

    public enum Outcome: Sendable {
        case measured(Measurement)
        /// The modality cannot run here (no encoder yet, no configuration section, no sample).
        case skipped(String)
        case failed(String)
    }

    /// The stages timed.
    public static let stages = PipelineStage.allCases.filter { $0 <= .head }

    /// Why `modality` cannot be timed with this model and these samples, nil when it can.
    public static func skipReason(_ modality: Modality, model: AllSparkModel, samplesDirectory: String) -> String? {
        if !modality.usesTokenizer && EncoderCatalog.encoderType(for: modality) == nil {
            return "no \(modality.rawValue) encoder in this build yet"
        }
        if model.configuration.modalities[modality] == nil {
            return "\(model.configuration.path) has no '\(modality.rawValue)' section"
        }
        let directory = (samplesDirectory as NSString).appendingPathComponent(modality.rawValue)
        if ((try? SampleCatalog.read(directory: directory))?.entries.isEmpty ?? true) {
            return "no samples listed in \(directory)/\(SampleCatalog.indexFileName)"
        }
        return nil
    }

    public static func measure(_ modality: Modality, model: AllSparkModel, samplesDirectory: String, repeats: Int) -> Outcome {
        if let reason = skipReason(modality, model: model, samplesDirectory: samplesDirectory) { return .skipped(reason) }
        do {
            let directory = (samplesDirectory as NSString).appendingPathComponent(modality.rawValue)
            let catalog = try SampleCatalog.read(directory: directory)
            let reference = catalog.reference(catalog.entries[0])
            let session = try PipelineSession(model: model, modality: modality)
            session.select(sample: reference)
            let firstRun = try timeRun(session)
            var totals: [Double] = []
            var perStage: [PipelineStage: [Double]] = [:]
            for _ in 0..<max(1, repeats) {
                session.invalidate(from: .sample)
                totals.append(try timeRun(session))
                for stage in stages { perStage[stage, default: []].append(session.trace.records[stage]?.seconds ?? 0) }
            }
            return .measured(Measurement(sample: reference.text, stageMedians: perStage.mapValues(median),
                                         totalMedian: median(totals), firstRun: firstRun, repeats: max(1, repeats)))
        } catch {
            return .failed("\(error)")
        }
    }

    private static func timeRun(_ session: PipelineSession) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try session.run(through: .head)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
