import AllSpark
import AllSparkData
import Foundation
import SparkEngine
import SparkFormats
import SparkLM

/// The command language of the REPL and of the TUI's `:` line, over one `PipelineSession`.
///
/// ```swift
/// let interpreter = CommandInterpreter(session: session)
/// let output = try interpreter.execute("run encoder", cancel: flag) { text in print(text, terminator: "") }
/// if output.stagesChanged { redraw(session.trace) }
/// if output.quit { leave() }
/// interpreter.completions(for: "modality r")   // ["modality rgb"]
/// CommandCatalog.specs                          // the command list, for help
/// ```
///
/// `execute` throws `InterpreterError` (or the pipeline's error) with a message for people. Long
/// commands (`InterpreterCommand.isLongRunning`: step, run, generate, compare, export) check
/// `cancel` between stages and generated tokens and stream their output through `onText` as it is
/// produced. Not thread-safe, like the session: one caller at a time.
public final class CommandInterpreter {
    public let session: PipelineSession
    /// The folder holding one sample folder per modality (`samples`).
    public let samplesDirectory: String

    public init(session: PipelineSession, samplesDirectory: String = "samples") {
        self.session = session
        self.samplesDirectory = samplesDirectory
    }

    /// Parses and carries out one command line.
    @discardableResult
    public func execute(_ line: String, cancel: CancellationFlag? = nil, onText: @escaping (String) -> Void = { _ in }) throws -> CommandOutput {
        try execute(InterpreterCommand.parse(line), cancel: cancel, onText: onText)
    }

    /// Carries out a parsed command.
    @discardableResult
    public func execute(_ command: InterpreterCommand, cancel: CancellationFlag? = nil, onText: @escaping (String) -> Void = { _ in }) throws -> CommandOutput {
        let before = SessionSignature(session)
        let out = OutputWriter(onText: onText)
        var quit = false
        switch command {
        case .help(let topic):
            out.lines(topic.flatMap(CommandCatalog.spec(named:)).map(CommandCatalog.help(for:)) ?? CommandCatalog.overview())
        case .quit: quit = true
        case .status: out.lines(status())
        case .modality(let modality): try chooseModality(modality, out)
        case .samples: out.lines(try sampleList())
        case .sample(let choice): try chooseSample(choice, out)
        case .prompts: out.lines(promptList())
        case .showPrompt: out.lines(currentPrompt())
        case .selectPrompt(let number):
            try wrapping { try session.selectPrompt(number: number) }
            out.lines(currentPrompt())
        case .setPrompt(let text):
            session.setPrompt(text: text)
            out.lines(currentPrompt())
        case .savePrompt:
            try wrapping { try session.savePrompt() }
            out.line("saved as prompt \(session.promptNumber.map(String.init) ?? "?") in \(session.prompts.userFile)")
        case .step: try step(cancel, out)
        case .run(let stage): try run(through: stage ?? defaultLastStage, cancel, out)
        case .show(let stage): try show(stage, out)
        case .generate(let maxTokens, let sampling): try generate(maxTokens: maxTokens, sampling: sampling, cancel, out)
        case .compare(let comparison, let generate): try compare(comparison, generate: generate, cancel, out)
        case .save(let path): try saveTrace(to: path, out)
        case .export(let stage, let directory): try export(stage, to: directory, cancel, out)
        }
        out.finishPartialLine()
        return CommandOutput(lines: out.lines, stagesChanged: SessionSignature(session) != before, quit: quit)
    }

    /// The stage `run` stops at: the head, or for modalities answered by generation (text, code),
    /// the generation.
    public var defaultLastStage: PipelineStage {
        (try? session.model.configuration.section(session.modality).head.kind) == .generation ? .generation : .head
    }

    // MARK: - Choosing

    private func chooseModality(_ modality: Modality?, _ out: OutputWriter) throws {
        guard let modality else {
            out.line("modality: \(session.modality.rawValue) (\(session.modality.displayName))")
            out.line("modalities: " + Modality.allCases.map(\.rawValue).joined(separator: ", "))
            return
        }
        try wrapping { try session.select(modality: modality) }
        out.line("modality: \(modality.rawValue) (\(modality.displayName)); prompt 1 of \(session.prompts.prompts.count)")
        let catalog = try self.catalog()
        if let first = catalog.entries.first {
            session.select(sample: catalog.reference(first))
            out.line("sample 1 of \(catalog.entries.count): \(catalog.reference(first).text)" + (first.title.map { " — \($0)" } ?? ""))
        } else {
            out.line("no samples listed in \(catalog.directory)/\(SampleCatalog.indexFileName); choose a file with: sample PATH")
        }
    }

    private func chooseSample(_ choice: SampleChoice, _ out: OutputWriter) throws {
        let reference = try self.reference(choice)
        session.select(sample: reference)
        out.line("sample: \(reference.text)")
    }

    func reference(_ choice: SampleChoice) throws -> SampleReference {
        switch choice {
        case .path(let reference):
            guard FileManager.default.fileExists(atPath: reference.path) else {
                throw InterpreterError("no file or folder at '\(reference.path)' (relative to \(FileManager.default.currentDirectoryPath))")
            }
            return reference
        case .listed(let number):
            let catalog = try self.catalog()
            guard catalog.entries.indices.contains(number - 1) else {
                throw InterpreterError(catalog.entries.isEmpty
                    ? "\(catalog.directory)/\(SampleCatalog.indexFileName) lists no samples; give a path: sample PATH"
                    : "there is no sample \(number) for \(session.modality.rawValue); choose 1…\(catalog.entries.count) (see samples)")
            }
            return catalog.reference(catalog.entries[number - 1])
        }
    }

    func catalog() throws -> SampleCatalog {
        let directory = (samplesDirectory as NSString).appendingPathComponent(session.modality.rawValue)
        do { return try SampleCatalog.read(directory: directory) } catch { throw InterpreterError("\(error)") }
    }

    // MARK: - Listing

    private func sampleList() throws -> [String] {
        let catalog = try self.catalog()
        guard !catalog.entries.isEmpty else {
            return ["no samples listed in \(catalog.directory)/\(SampleCatalog.indexFileName)"]
        }
        let current = session.sampleReference
        return catalog.entries.enumerated().map { index, entry in
            let reference = catalog.reference(entry)
            let mark = reference == current ? "*" : " "
            var text = "\(mark)\(String(index + 1).leftPadded(3))  \(reference.text)"
            if let title = entry.title { text += " — \(title)" }
            if let label = entry.sampleLabel { text += " [\(StageReport.describe(label))]" }
            return text + (entry.generated ? " (generated)" : "")
        }
    }

    private func promptList() -> [String] {
        session.prompts.prompts.enumerated().map { index, prompt in
            let mark = session.promptNumber == index + 1 ? "*" : " "
            return "\(mark)\(String(index + 1).leftPadded(3))  \(prompt.text)" + (prompt.origin == .user ? "  (saved by you)" : "")
        }
    }

    private func currentPrompt() -> [String] {
        let which = session.promptNumber.map { "prompt \($0) of \(session.prompts.prompts.count)" } ?? "typed prompt (not saved; prompt save keeps it)"
        return ["\(which): \(session.promptText)"]
    }

    private func status() -> [String] {
        let report = StageReport(session: session)
        let s = session
        var lines = ["\(AllSparkVersion.name) \(AllSparkVersion.version) · \(s.model.configuration.name) · \(s.modality.rawValue) (\(s.modality.displayName))",
                     "sample: " + (s.sampleReference?.text ?? "none (samples lists them)")]
        lines += currentPrompt()
        lines.append("next stage: " + (s.nextStage?.identifier ?? "none, every stage is computed"))
        lines.append("generation: up to \(s.maxNewTokens) tokens, \(s.generationSettings.summary)")
        lines.append("provenance:")
        lines += report.provenance()
        return lines
    }

    // MARK: - Output files

    private func saveTrace(to path: String, _ out: OutputWriter) throws {
        let json = try TraceExport(session: session).json()
        do { try (json + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw InterpreterError("cannot write the trace to '\(path)': \(readableReason(error))")
        }
        let stages = PipelineStage.allCases.filter(session.trace.isDone).map(\.identifier)
        out.line("wrote \(path) (\(stages.isEmpty ? "no stages computed yet" : "stages: " + stages.joined(separator: ", ")))")
    }

    private func export(_ stage: PipelineStage, to directory: String, _ cancel: CancellationFlag?, _ out: OutputWriter) throws {
        if !session.trace.isDone(stage) {
            try run(through: stage, cancel, out)
            guard session.trace.isDone(stage) else { return }
        }
        let tensors = TraceExport.tensors(of: stage, in: session.trace)
        guard !tensors.isEmpty else {
            out.line("the \(stage.title) stage of \(session.modality.rawValue) holds no tensors to export")
            return
        }
        let paths: [String]
        do { paths = try TraceExport.writeTensors(of: stage, in: session.trace, to: directory) } catch {
            throw InterpreterError("cannot write the \(stage.title) tensors to '\(directory)': \(readableReason(error))")
        }
        for (path, tensor) in zip(paths, tensors) {
            out.line("wrote \(path) \(StageReport.shape(tensor.tensor.shape)) float32")
        }
    }

    /// Runs `body`, turning the library's errors into messages without Swift's type names.
    func wrapping(_ body: () throws -> Void) throws {
        do { try body() } catch let error as InterpreterError { throw error } catch { throw InterpreterError("\(error)") }
    }
}

/// What the session shows: when it differs before and after a command, views must redraw.
private struct SessionSignature: Equatable {
    var modality: Modality
    var sample: SampleReference?
    var promptText: String
    var promptNumber: Int?
    var promptCount: Int
    var stageTimes: [PipelineStage: Double]

    init(_ session: PipelineSession) {
        modality = session.modality
        sample = session.sampleReference
        promptText = session.promptText
        promptNumber = session.promptNumber
        promptCount = session.prompts.prompts.count
        stageTimes = session.trace.records.mapValues(\.seconds)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
