import AllSpark
import AllSparkData
import Foundation
import SparkEngine
import SparkFormats
import SparkLM
import Testing
@testable import AllSparkTUI

/// The interpreter driving a real `PipelineSession` on the tiny configuration (the real language
/// model; rgb, text and code, which run on this branch). Skipped, with a message, without the
/// model file. Serialized: one model, one caller at a time.
@Suite(.serialized)
struct CommandsSessionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let model: AllSparkModel? = {
        // The configuration names its files relative to the repository, as the program runs.
        FileManager.default.changeCurrentDirectoryPath(root)
        guard FileManager.default.fileExists(atPath: root + "/models/SmolLM2-135M-Instruct.Q4_1.gguf") else {
            print("CommandsSessionTests: models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (run scripts/setup.sh); skipping")
            return nil
        }
        return try? AllSparkModel(configuration: AllSparkConfiguration.load(path: "configs/allspark-tiny.json"))
    }()

    /// A fresh session on `modality` with its first listed sample selected.
    func interpreter(_ modality: Modality) throws -> CommandInterpreter {
        let session = try PipelineSession(model: try #require(Self.model), modality: modality)
        let interpreter = CommandInterpreter(session: session, samplesDirectory: Self.root + "/samples")
        try interpreter.execute("modality \(modality.rawValue)")
        return interpreter
    }

    func catalog(_ modality: Modality) throws -> SampleCatalog {
        try SampleCatalog.read(directory: Self.root + "/samples/" + modality.rawValue)
    }

    func temporaryFolder() -> String { NSTemporaryDirectory() + "allspark-commands-\(UUID().uuidString)" }

    func errorMessage(_ interpreter: CommandInterpreter, _ line: String) -> String {
        do { try interpreter.execute(line); return "(no error)" } catch { return "\(error)" }
    }

    @Test(.enabled(if: model != nil)) func choosingAModalitySelectsItsFirstSampleAndPromptOne() throws {
        let session = try PipelineSession(model: try #require(Self.model), modality: .text)
        let interpreter = CommandInterpreter(session: session, samplesDirectory: Self.root + "/samples")
        let output = try interpreter.execute("modality rgb")
        let rgb = try catalog(.rgb)
        #expect(output.stagesChanged)
        #expect(session.modality == .rgb)
        #expect(session.sampleReference == rgb.reference(rgb.entries[0]))
        #expect(session.promptNumber == 1)
        #expect(output.lines.contains { $0.hasPrefix("sample 1 of \(rgb.entries.count): ") })
        let shown = try interpreter.execute("modality")
        #expect(shown.lines.first == "modality: rgb (RGB)")
        #expect(!shown.stagesChanged)
    }

    @Test(.enabled(if: model != nil)) func samplesAndPromptsAreListedWithTheCurrentOneMarked() throws {
        let interpreter = try interpreter(.rgb)
        let samples = try interpreter.execute("samples").lines
        #expect(samples.count == (try catalog(.rgb)).entries.count)
        #expect(samples.first?.hasPrefix("*  1  ") == true)
        #expect(samples.dropFirst().allSatisfy { $0.hasPrefix(" ") })

        let selected = try interpreter.execute("sample 2")
        #expect(selected.stagesChanged)
        #expect(try interpreter.execute("samples").lines[1].hasPrefix("*  2  "))

        let prompts = try interpreter.execute("prompts").lines
        #expect(prompts.count == interpreter.session.prompts.prompts.count)
        #expect(prompts.first?.hasPrefix("*  1  ") == true)
        try interpreter.execute("prompt 2")
        #expect(interpreter.session.promptNumber == 2)
        #expect(interpreter.session.promptText == interpreter.session.prompts.prompts[1].text)
        #expect(try interpreter.execute("prompts").lines[1].hasPrefix("*  2  "))
        #expect(try interpreter.execute("prompt").lines == ["prompt 2 of \(prompts.count): \(interpreter.session.promptText)"])
    }

    @Test(.enabled(if: model != nil)) func stepComputesOneStageAtATime() throws {
        let interpreter = try interpreter(.rgb)
        let first = try interpreter.execute("step")
        #expect(first.stagesChanged)
        #expect(first.lines.first?.hasPrefix("✓ sample") == true)
        #expect(interpreter.session.trace.records.keys.sorted() == [.sample])
        try interpreter.execute("step")
        #expect(interpreter.session.trace.records.keys.sorted() == [.sample, .encoder])
        let list = try interpreter.execute("show").lines
        #expect(list.count == PipelineStage.allCases.count + 1)
        #expect(list[1].hasPrefix("✓ encoder") && list[1].contains("[65, 192]") && list[1].hasSuffix("UNTRAINED"))
        #expect(list[2].hasPrefix("· bridge") && list[2].hasSuffix("next"))
        #expect(list[3].hasSuffix("not computed"))
    }

    @Test(.enabled(if: model != nil)) func runStopsAtTheHeadAndMarksUntrainedParts() throws {
        let interpreter = try interpreter(.rgb)
        var streamed = ""
        let output = try interpreter.execute("run") { streamed += $0 }
        let trace = interpreter.session.trace
        #expect(trace.isDone(.head) && !trace.isDone(.generation), "rgb's answer is the head's")
        #expect(streamed == output.lines.joined(separator: "\n") + "\n")
        let report = StageReport(session: interpreter.session)
        let expected = PipelineStage.allCases.filter { $0 <= .head }.flatMap(report.block)
        #expect(output.lines == expected, "run prints what allspark run prints")
        #expect(output.lines.contains { $0.hasPrefix("✓ encoder") && $0.hasSuffix("UNTRAINED") })
        #expect(output.lines.contains("    classes (UNTRAINED head: not a real prediction):"))
        guard case .classification(let scores)? = trace.head?.prediction else {
            Issue.record("rgb's head classifies"); return
        }
        #expect(output.lines.contains { $0.hasPrefix("      \(scores[0].label) ") && $0.contains(String(format: "%5.1f%%", scores[0].probability * 100)) })

        let again = try interpreter.execute("run")
        #expect(again.lines == ["the head stage is computed already (show head shows it)"])
        #expect(!again.stagesChanged)
    }

    @Test(.enabled(if: model != nil)) func showGivesTheRunBlockThenTheDetails() throws {
        let interpreter = try interpreter(.rgb)
        try interpreter.execute("run bridge")
        let report = StageReport(session: interpreter.session)
        let encoder = try interpreter.execute("show encoder").lines
        #expect(Array(encoder.prefix(2)) == report.block(.encoder))
        #expect(encoder.contains("    token layout: 1 leading + 8 × 8 patch grid"))
        let bridge = try interpreter.execute("show bridge").lines
        #expect(bridge.contains { $0.hasPrefix("    attention layer 0 [8, 32, 65] (UNTRAINED), most read: token ") })
        #expect(bridge.contains("    language lens (UNTRAINED) (cosine with the nearest input embeddings):"))
        #expect(bridge.filter { $0.hasPrefix("      ") }.count == 32, "one lens line per bridge token")
        #expect(errorMessage(interpreter, "show head") == "the head stage has not been computed; run head computes it")
    }

    @Test(.enabled(if: model != nil)) func aNewPromptKeepsTheEncoderAndBridge() throws {
        let interpreter = try interpreter(.rgb)
        try interpreter.execute("run")
        let encoderTime = interpreter.session.trace.records[.encoder]?.seconds
        let output = try interpreter.execute("prompt set Is there water in this image? Answer yes or no.")
        #expect(output.stagesChanged)
        #expect(output.lines == ["typed prompt (not saved; prompt save keeps it): Is there water in this image? Answer yes or no."])
        let trace = interpreter.session.trace
        #expect(trace.isDone(.bridge) && !trace.isDone(.prompt))
        let rerun = try interpreter.execute("run")
        #expect(rerun.lines.first?.hasPrefix("✓ prompt") == true, "the run starts at the prompt")
        #expect(interpreter.session.trace.records[.encoder]?.seconds == encoderTime)
        #expect(interpreter.session.trace.prompt?.text == "Is there water in this image? Answer yes or no.")
    }

    @Test(.enabled(if: model != nil)) func generateTakesItsOptionsAndIsReproducible() throws {
        let interpreter = try interpreter(.text)
        var streamed = ""
        let first = try interpreter.execute("generate 6 --temp 0.8 --seed 5 --top-k 30") { streamed += $0 }
        let session = interpreter.session
        let generation = try #require(session.trace.generation)
        #expect(session.generationSettings.temperature == 0.8 && session.generationSettings.seed == 5 && session.generationSettings.topK == 30)
        #expect(generation.settings == session.generationSettings)
        #expect(session.maxNewTokens == 6)
        #expect(generation.tokens.count <= 6 && !generation.tokens.isEmpty)
        #expect(streamed.contains("generation: " + generation.text))
        #expect(first.lines.contains { $0.hasPrefix("✓ generation") })
        // Only the generation is redone, with the settings kept, and the same seed gives the same text.
        let lmTime = session.trace.records[.languageModel]?.seconds
        let second = try interpreter.execute("generate")
        #expect(second.lines.first == "generation: " + generation.text || generation.text.contains("\n"))
        #expect(session.trace.generation?.tokens == generation.tokens)
        #expect(session.trace.records[.languageModel]?.seconds == lmTime)
        try interpreter.execute("generate --seed 6")
        #expect(session.generationSettings.seed == 6 && session.generationSettings.temperature == 0.8)
    }

    @Test(.enabled(if: model != nil)) func ctrlCStopsAGeneration() throws {
        let interpreter = try interpreter(.text)
        try interpreter.execute("run head")
        let flag = CancellationFlag()
        var pieces = 0
        // The first call is the "generation: " header; cancel at the first generated piece.
        let output = try interpreter.execute("generate 200", cancel: flag) { _ in
            pieces += 1
            if pieces == 2 { flag.cancel() }
        }
        let generation = try #require(interpreter.session.trace.generation)
        #expect(generation.stopReason == .cancelled)
        #expect(generation.tokens.count < 200)
        #expect(output.lines.last == "generation stopped (Ctrl-C); generate runs it again")

        // Cancelled before a run starts: nothing is computed.
        try interpreter.execute("modality code")
        let cancelled = CancellationFlag()
        cancelled.cancel()
        let stopped = try interpreter.execute("run", cancel: cancelled)
        #expect(stopped.lines == ["stopped before the sample stage (run continues from there)"])
        #expect(interpreter.session.trace.records.isEmpty)
    }

    @Test(.enabled(if: model != nil)) func compareShowsBothSidesAndWhatDiffers() throws {
        let interpreter = try interpreter(.rgb)
        try interpreter.execute("prompt 2")
        try interpreter.execute("run encoder")
        let (promptBefore, sampleBefore) = (interpreter.session.promptText, interpreter.session.sampleReference)
        let computedBefore = Set(interpreter.session.trace.records.keys)
        let output = try interpreter.execute("compare prompts 1 3")
        let prompts = interpreter.session.prompts.prompts
        #expect(output.lines.first == "A: prompt: \(prompts[0].text)")
        #expect(output.lines.contains("B: prompt: \(prompts[2].text)"))
        #expect(output.lines.filter { $0 == "    classes (UNTRAINED head: not a real prediction):" }.count == 2)
        let differences = try #require(output.lines.firstIndex(of: "differences:"))
        #expect(differences < output.lines.count - 1)
        #expect(interpreter.session.promptText == promptBefore, "the user's prompt is kept")
        #expect(Set(interpreter.session.trace.records.keys) == computedBefore, "the user's results are kept")
        #expect(interpreter.session.trace.generation == nil, "no generation unless asked for")
        #expect(interpreter.session.maxNewTokens == 48, "the generation length is put back")

        let samples = try interpreter.execute("compare samples 1 2")
        let rgb = try catalog(.rgb)
        #expect(samples.lines.first == "A: sample: \(rgb.reference(rgb.entries[0]).text)")
        #expect(interpreter.session.sampleReference == sampleBefore, "the user's sample is kept")
        #expect(interpreter.session.promptText == promptBefore)
    }

    @Test(.enabled(if: model != nil)) func saveWritesTheTraceAsJSON() throws {
        let interpreter = try interpreter(.rgb)
        try interpreter.execute("run")
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try interpreter.execute("save \(folder)/trace.json")
        #expect(output.lines == ["wrote \(folder)/trace.json (stages: sample, encoder, bridge, prompt, sequence, language-model, head)"])
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/trace.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["modality"] as? String == "rgb")
        let stages = try #require(json["stages"] as? [[String: Any]])
        #expect(stages.map { $0["stage"] as? String } == ["sample", "encoder", "bridge", "prompt", "sequence", "language-model", "head"])
        let encoder = stages[1]
        #expect(encoder["untrained"] as? Bool == true)
        let shapes = try #require(encoder["shapes"] as? [[String: Any]])
        #expect(shapes.first?["shape"] as? [Int] == interpreter.session.trace.encoder?.output.tokens.shape)
        #expect(errorMessage(interpreter, "save /nonexistent-folder/trace.json").hasPrefix("cannot write the trace to '/nonexistent-folder/trace.json'"))
    }

    @Test(.enabled(if: model != nil)) func exportWritesNpyFilesThatReadBackEqual() throws {
        let interpreter = try interpreter(.rgb)
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try interpreter.execute("export bridge \(folder)")
        let trace = interpreter.session.trace
        #expect(PipelineStage.allCases.filter(trace.isDone) == [.sample, .encoder, .bridge], "export runs up to its stage only")
        let bridge = try #require(trace.bridge)
        let expected = [("tokens", bridge.tokens)] + bridge.attention.enumerated().map { ("attention_layer\($0.offset)", $0.element) }
        #expect(output.lines.suffix(expected.count) == expected.map { "wrote \(folder)/bridge_\($0.0).npy \(StageReport.shape($0.1.shape)) float32" })
        for (name, tensor) in expected {
            let array = try NPY.read(path: "\(folder)/bridge_\(name).npy")
            #expect(array.dtype == .float32)
            #expect(array.shape == tensor.shape)
            #expect(array.floats() == tensor.scalars, "\(name): the values written are the trace's, bit for bit")
        }
        let text = try self.interpreter(.text)
        #expect(try text.execute("export sample \(folder)").lines.last == "the sample stage of text holds no tensors to export")
        // A folder that cannot be made (under a file) is one readable line, not Foundation's dump.
        let file = folder + "/plain-file"
        FileManager.default.createFile(atPath: file, contents: Data([1]))
        let refusal = errorMessage(interpreter, "export bridge \(file)/tensors")
        #expect(refusal.hasPrefix("cannot write the bridge tensors to '\(file)/tensors': "), "\(refusal)")
        #expect(!refusal.contains("NSCocoaErrorDomain") && !refusal.contains("UserInfo"), "\(refusal)")
    }

    @Test(.enabled(if: model != nil)) func sessionErrorsAreMessages() throws {
        let interpreter = try interpreter(.rgb)
        let count = try catalog(.rgb).entries.count
        #expect(errorMessage(interpreter, "sample 99") == "there is no sample 99 for rgb; choose 1…\(count) (see samples)")
        #expect(errorMessage(interpreter, "sample /nonexistent/image.png").hasPrefix("no file or folder at '/nonexistent/image.png'"))
        #expect(errorMessage(interpreter, "prompt 99").contains("there is no prompt 99 for rgb; choose 1…"))
        #expect(errorMessage(interpreter, "compare prompts 1 99").contains("there is no prompt 99"))
        // A sample the loader rejects fails at its stage, with the loader's message.
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/broken.png", contents: Data("not a png".utf8))
        try interpreter.execute("sample \(folder)/broken.png")
        #expect(errorMessage(interpreter, "run").hasPrefix("sample stage: "))
        #expect(interpreter.session.trace.records.isEmpty)
    }

    @Test(.enabled(if: model != nil)) func statusCompletionAndQuit() throws {
        let interpreter = try interpreter(.code)
        let status = try interpreter.execute("status").lines
        #expect(status.contains("next stage: sample"))
        #expect(status.contains { $0.hasPrefix("  language model: pretrained: ") })
        let code = try catalog(.code)
        #expect(interpreter.completions(for: "sample ") == code.entries.map { "sample " + code.reference($0).text + " " }.sorted())
        #expect(try interpreter.execute("quit").quit)
        #expect(try !interpreter.execute("help").quit)
    }

    @Test(.enabled(if: model != nil)) func theBenchmarkTimesEachStageAndSkipsWhatCannotRun() throws {
        let model = try #require(Self.model)
        guard case .measured(let m) = PipelineBenchmark.measure(.code, model: model, samplesDirectory: Self.root + "/samples", repeats: 2) else {
            Issue.record("code runs on this branch"); return
        }
        #expect(Set(m.stageMedians.keys) == Set(PipelineBenchmark.stages))
        #expect(m.stageMedians.values.allSatisfy { $0 >= 0 } && m.totalMedian > 0 && m.repeats == 2)
        #expect(PipelineBenchmark.stages.last == .head, "no generation")
        if EncoderCatalog.encoderType(for: .msi) == nil {
            guard case .skipped(let reason) = PipelineBenchmark.measure(.msi, model: model, samplesDirectory: Self.root + "/samples", repeats: 1) else {
                Issue.record("msi has no encoder here: skipped"); return
            }
            #expect(reason == "no msi encoder in this build yet")
        }
        guard case .skipped(let reason) = PipelineBenchmark.measure(.rgb, model: model, samplesDirectory: "/nonexistent", repeats: 1) else {
            Issue.record("no samples: skipped"); return
        }
        #expect(reason == "no samples listed in /nonexistent/rgb/index.json")
    }
}

struct PipelineBenchmarkMedianTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(PipelineBenchmark.median([]) == 0)
        #expect(PipelineBenchmark.median([3]) == 3)
        #expect(PipelineBenchmark.median([5, 1, 3]) == 3)
        #expect(PipelineBenchmark.median([4, 1, 3, 2]) == 2.5)
    }
}
