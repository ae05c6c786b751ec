import AllSparkData
import Foundation
import SparkEngine
import SparkLM
@testable import AllSpark
@testable import AllSparkTUI

/// Hand-made stage results with numbers chosen so a test can find them on screen. Every modality's
/// token layout and every kind of prediction can be built, whether or not its encoder exists yet.
enum TraceFixtures {
    static let untrained = Provenance.untrained(seed: 7)

    static func record(_ stage: PipelineStage, _ shapes: [NamedShape], seconds: Double, note: String, summary: TensorSummary? = nil,
                       provenance: Provenance? = nil) -> StageRecord {
        StageRecord(stage: stage, seconds: seconds, shapes: shapes, summary: summary, note: note, provenance: provenance)
    }

    /// `[rows, columns]` with value r·columns + c, divided by `scale`.
    static func ramp(_ rows: Int, _ columns: Int, scale: Float = 1) -> Tensor {
        Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { Float($0) / scale })
    }

    /// Token counts per layout (leading tokens included).
    static func tokenCount(_ layout: TokenLayout) -> Int {
        switch layout {
        case .sequence(let labels): return labels?.count ?? 5
        case .grid(let r, let c, let lead): return lead + r * c
        case .views(let n, let r, let c, let lead): return n * (lead + r * c)
        case .tubes(let tubes): return tubes.reduce(0) { $0 + $1.count }
        case .points(let centres, let lead): return lead + centres.shape[0]
        case .timeByNode(let s, let n): return s * n
        }
    }

    /// Fills `trace` with `stage`'s results for `selection`; the numbers depend on the prompt so a
    /// comparison of two prompts differs.
    static func fill(_ stage: PipelineStage, _ trace: inout Trace, selection: PipelineSelection, layout: TokenLayout,
                     prediction: Prediction, sampleContent: SampleContent, label: SampleLabel?) {
        let promptSalt = Float(selection.prompt.count % 7) / 10
        switch stage {
        case .sample:
            trace.sample = Sample(modality: selection.modality, path: selection.sample?.path ?? "?", content: sampleContent, label: label,
                                  provenance: SampleProvenance(source: "made for the tests", licence: "CC0", isGenerated: true))
            trace.records[.sample] = record(.sample, [NamedShape("image", [3, 4, 4])], seconds: 0.0012, note: "an image from \(selection.sample?.text ?? "?")")
        case .encoder:
            let n = tokenCount(layout)
            let tokens = ramp(n, 6, scale: 10)
            trace.encoder = EncoderStage(output: EncoderOutput(input: ramp(3, 4), tokens: tokens, layout: layout),
                                         tokenNorms: (0..<n).map { Float($0) + 0.5 }, provenance: untrained)
            trace.records[.encoder] = record(.encoder, [NamedShape("tokens", [n, 6])], seconds: 0.0345, note: "test encoder",
                                             summary: TensorSummary(tokens), provenance: untrained)
        case .bridge:
            let n = tokenCount(layout), q = 3
            // Head 0 attends to token q (one-hot), head 1 uniformly; the mean is 0.5 + 0.5/n at token q.
            var attention = [Float](repeating: 0, count: 2 * q * n)
            for query in 0..<q {
                attention[query * n + min(query, n - 1)] = 1
                for t in 0..<n { attention[(q + query) * n + t] = 1 / Float(n) }
            }
            trace.bridge = BridgeStage(tokens: ramp(q, 8), attention: [Tensor(shape: [2, q, n], scalars: attention)],
                                       languageLens: (0..<q).map { [TokenProbability(token: Int32(100 + $0), probability: 0.25 + Float($0) / 100)] },
                                       provenance: untrained)
            trace.records[.bridge] = record(.bridge, [NamedShape("tokens", [q, 8]), NamedShape("attention", [2, q, n])], seconds: 0.0051,
                                            note: "test bridge", summary: TensorSummary(ramp(q, 8)), provenance: untrained)
        case .prompt:
            trace.prompt = PromptStage(text: selection.prompt, number: 1, origin: .builtIn, tokenIds: [11, 12], pieces: ["Des", "cribe"])
            trace.records[.prompt] = record(.prompt, [NamedShape("ids", [2])], seconds: 0.0001, note: "prompt 1 of 2, 2 tokens")
        case .sequence:
            let segments = [SequenceSegment(kind: .system, range: 0..<5), SequenceSegment(kind: .userTurnStart, range: 5..<7),
                            SequenceSegment(kind: .modality, range: 7..<10), SequenceSegment(kind: .separator, range: 10..<11),
                            SequenceSegment(kind: .prompt, range: 11..<13), SequenceSegment(kind: .userTurnEnd, range: 13..<15),
                            SequenceSegment(kind: .assistantTurnStart, range: 15..<18)]
            let ids: [Int32?] = (0..<18).map { (7..<10).contains($0) ? nil : Int32(200 + $0) }
            trace.sequence = AssembledSequence(inputs: ids.map { $0.map(DecoderInput.token) ?? .embedding([0]) }, tokenIds: ids, segments: segments)
            trace.records[.sequence] = record(.sequence, [NamedShape("positions", [18, 8])], seconds: 0.0002, note: "system 5 | …")
        case .languageModel:
            trace.languageModel = LanguageModelStage(
                residualNorms: (0..<4).map { layer in (0..<18).map { Float(layer * 18 + $0) } },
                logitLens: (0..<3).map { TokenProbability(token: Int32(300 + $0), probability: 0.1 * Float($0 + 1)) },
                // "Describe …" prompts swap the two most likely tokens, so comparisons have a difference to show.
                nextTokens: selection.prompt.hasPrefix("Describe")
                    ? [TokenProbability(token: 43, probability: 0.5), TokenProbability(token: 42, probability: 0.25)]
                    : [TokenProbability(token: 42, probability: 0.625 - promptSalt / 10), TokenProbability(token: 43, probability: 0.125)],
                finalHiddenStates: ramp(18, 8), lastLogits: [], provenance: .pretrained(source: "TestLM"), adapterProvenance: untrained)
            trace.records[.languageModel] = record(.languageModel, [NamedShape("hidden", [18, 8])], seconds: 0.2, note: "3 layers",
                                                   summary: TensorSummary(ramp(18, 8)), provenance: .pretrained(source: "TestLM"))
        case .head:
            trace.head = HeadStage(pooling: .last, pooled: ramp(1, 8), outputs: nil, prediction: prediction, provenance: untrained)
            trace.records[.head] = record(.head, [NamedShape("output", [4])], seconds: 0.0003, note: "test head", provenance: untrained)
        case .generation:
            let text = "a forest" + (promptSalt > 0.3 ? " again" : "")
            trace.generation = GenerationStage(text: text, tokens: [42, 43], pieces: [" a", " forest"],
                                               settings: selection.settings, stopReason: .maxTokens, tokensPerSecond: 31.5,
                                               candidates: [[TokenProbability(token: 42, probability: 0.625)]],
                                               reading: AnswerReading(answer: text, head: trace.head))
            trace.records[.generation] = record(.generation, [NamedShape("tokens", [2])], seconds: 0.064, note: "2 tokens")
        }
    }

    static let classes = Prediction.classification([
        ClassScore(index: 2, label: "lake", probability: 0.5), ClassScore(index: 0, label: "forest", probability: 0.3),
        ClassScore(index: 1, label: "meadow", probability: 0.2),
    ])

    static let pieces: [Int32: String] = {
        var pieces: [Int32: String] = [42: " forest", 43: " lake", 11: "Des", 12: "cribe"]
        for i in 0..<3 { pieces[Int32(100 + i)] = "lens\(i)"; pieces[Int32(300 + i)] = "layer\(i)" }
        for i in 0..<18 { pieces[Int32(200 + i)] = "t\(i)" }
        return pieces
    }()
}

/// A pipeline driver with hand-made results, recording what it was asked to do. It invalidates as
/// `PipelineSession` does, so tests can check which stages a key re-runs.
final class ScriptedDriver: PipelineDriver, @unchecked Sendable {
    private let lock = NSLock()
    private var selection: PipelineSelection?
    private var trace: Trace
    private var _ran: [PipelineStage] = []
    var layout: TokenLayout = .grid(rows: 2, columns: 3, leading: 1)
    var prediction: Prediction = TraceFixtures.classes
    var sampleContent: SampleContent = .image(Tensor(shape: [3, 4, 4], scalars: [Float](repeating: 0.5, count: 48)))
    var label: SampleLabel? = .className("forest")
    /// Modalities `apply` refuses, as an unconfigured modality is refused.
    var unconfigured: Set<Modality> = [.msi]
    /// A stage that throws, to test failures.
    var failing: PipelineStage?
    /// Generation streams this many pieces; with `holdGeneration`, it waits for cancellation.
    /// The test thread sets it while the job thread polls it: behind the lock (ThreadSanitizer
    /// reported the plain Bool as a data race).
    var holdGeneration: Bool {
        get { lock.withLock { _holdGeneration } }
        set { lock.withLock { _holdGeneration = newValue } }
    }
    private var _holdGeneration = false
    private(set) var savedPrompts: [String] = []

    init(modality: Modality = .rgb) { trace = Trace(modality: modality) }

    /// Every stage computed, in order, since the driver was made.
    var ran: [PipelineStage] { lock.withLock { _ran } }

    func apply(_ new: PipelineSelection) throws {
        if unconfigured.contains(new.modality) {
            throw ConfigurationError(file: "test.json", keyPath: "modalities", problem: "has no '\(new.modality.rawValue)' section")
        }
        if let old = selection, let changed = old.firstStageChanged(comparedWith: new) {
            if old.modality != new.modality { trace = Trace(modality: new.modality) } else { trace.clear(from: changed) }
        } else if selection == nil {
            trace = Trace(modality: new.modality)
        }
        selection = new
    }

    var nextStage: PipelineStage? { PipelineStage.allCases.first { !trace.isDone($0) } }

    func runNext(cancel: CancellationFlag?, onText: (String) -> Void) throws -> PipelineStage? {
        guard let stage = nextStage, let selection else { return nil }
        if stage == failing { throw PipelineError(stage, "the test made it fail") }
        if stage == .generation {
            for piece in [" a", " forest"] { onText(piece) }
            while holdGeneration && cancel?.isCancelled != true { Thread.sleep(forTimeInterval: 0.001) }
        }
        TraceFixtures.fill(stage, &trace, selection: selection, layout: layout, prediction: prediction, sampleContent: sampleContent, label: label)
        lock.withLock { _ran.append(stage) }
        return stage
    }

    func invalidate(from stage: PipelineStage) { trace.clear(from: stage) }

    func savePrompt() throws { savedPrompts.append(selection?.prompt ?? "") }

    func compare(_ request: ComparisonRequest, cancel: CancellationFlag) throws -> RunComparison {
        guard var base = selection, case .prompts(let first, let second) = request else { throw PipelineError(.sample, "only prompts in tests") }
        var sides: [Trace] = []
        for prompt in [first, second] {
            base.prompt = prompt
            try apply(base)
            while try runNext(cancel: cancel, onText: { _ in }) != nil {}
            sides.append(trace)
        }
        return RunComparison(request: request, a: .init(label: "prompt: \(first)", trace: sides[0]),
                                b: .init(label: "prompt: \(second)", trace: sides[1]),
                                differences: ["most likely next token differs"], pieces: TraceFixtures.pieces)
    }

    func snapshot() -> PipelineSnapshot {
        let current = selection ?? PipelineSelection(modality: trace.modality, sample: nil, prompt: "", maxNewTokens: 48, settings: .greedy)
        return PipelineSnapshot(selection: current, trace: trace, pieces: TraceFixtures.pieces,
                                status: StatusInfo(configuration: "test-config", languageModel: "TestLM",
                                                   components: [ComponentStatus("encoder \(current.modality.rawValue)", .untrained)]),
                                prompts: nil, provenance: [])
    }
}

/// A configuration file and prompt files in a temporary folder (rgb with two prompts, text with one).
enum ConfigurationFixture {
    static let path: String = {
        let root = NSTemporaryDirectory() + "allspark-tui-config-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: root + "/prompts", withIntermediateDirectories: true)
        try? "Which class: {labels}\nDescribe this image briefly\n".write(toFile: root + "/prompts/rgb.txt", atomically: true, encoding: .utf8)
        try? "Is this review positive?\n".write(toFile: root + "/prompts/text.txt", atomically: true, encoding: .utf8)
        let json = """
            {"name": "test-config", "seed": 1,
             "languageModel": {"gguf": "none.gguf", "adapterFrequency": 2},
             "bridge": {"queries": 3, "depth": 1, "heads": 2, "headWidth": 4, "ffnMultiple": 2},
             "sequence": {"layout": "chatml", "headPooling": "last"},
             "modalities": {
               "text": {"head": {"kind": "generation"}, "prompts": "\(root)/prompts/text.txt"},
               "rgb": {"input": {"size": 8}, "encoder": {"width": 6, "depth": 1, "heads": 1, "patch": 4},
                       "head": {"kind": "classification", "labels": ["forest", "meadow", "lake"]}, "prompts": "\(root)/prompts/rgb.txt"}
             }}
            """
        try? json.write(toFile: root + "/config.json", atomically: true, encoding: .utf8)
        return root + "/config.json"
    }()
}

extension TUIController {
    /// Starts the pipeline on `driver` with the fixture configuration, and waits until it is loaded.
    func startScripted(_ driver: ScriptedDriver) {
        promptUserDirectory = NSTemporaryDirectory() + "allspark-tui-user-prompts-\(UUID().uuidString)"
        startPipeline(PipelineFactory(loadConfiguration: { try AllSparkConfiguration.load(path: ConfigurationFixture.path) },
                                      makeDriver: { _, _ in driver }))
        settle()
    }

    /// Drains the main queue until no job runs.
    func settle() {
        pump(jobs.mainQueue) { !self.jobs.isRunning && self.jobs.mainQueue.isEmpty }
    }
}
