import AllSpark
import AllSparkData
import AllSparkTUI
import ArgumentParser
import Foundation
import SparkFormats

/// `allspark trace-export`: runs the pipeline through one stage and writes that stage's tensors as
/// `.npy` files and the whole trace as `trace.json`, for scripts.
struct TraceExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace-export",
        abstract: "Run the pipeline through a stage and write its tensors (.npy) and the trace (JSON).",
        discussion: """
            Writes OUT/<stage>_<name>.npy for each tensor the stage keeps (float32, C order; load \
            with numpy.load) and OUT/trace.json (the same JSON as `allspark run --json`: every \
            computed stage's shapes, statistics, timing and provenance). Stages: \
            \(PipelineStage.allCases.map(\.identifier).joined(separator: ", ")). \
            With --json, prints a manifest {stage, trace, tensors: [{name, path, shape, dtype}]} \
            instead of the list for people.
            """)

    @OptionGroup var selection: SessionOptions

    @Option(help: "The stage whose tensors to write.")
    var stage: String

    @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "Tokens to generate when the stage is generation.")
    var generate = 48

    @Flag(help: "Print a JSON manifest of the files written.")
    var json = false

    @OptionGroup var sampling: SamplingOptions

    func validate() throws {
        if PipelineStage.parse(stage) == nil {
            throw ValidationError("unknown stage '\(stage)'; stages: " + PipelineStage.allCases.map(\.identifier).joined(separator: ", "))
        }
        guard (1...InterpreterCommand.maximumNewTokens).contains(generate) else {
            throw ValidationError("--generate must be 1…\(InterpreterCommand.maximumNewTokens)")
        }
    }

    struct Manifest: Encodable {
        struct File: Encodable {
            var name: String
            var path: String
            var shape: [Int]
            var dtype = "float32"
        }
        var stage: String
        var trace: String
        var tensors: [File]
    }

    func run() throws {
        let watcher = InterruptWatcher()
        try reportingErrors("trace-export") {
            let stage = PipelineStage.parse(self.stage)!
            let session = try selection.openSession()
            let modality = session.modality
            session.generationSettings = try sampling.settings
            session.maxNewTokens = generate
            try watcher.generation { cancel in try session.run(through: stage, cancel: cancel) }
            guard session.trace.isDone(stage) else {
                FileHandle.standardError.write(Data("allspark trace-export: stopped before the \(stage.title) stage; nothing written\n".utf8))
                throw ExitCode(130)
            }
            let tensors = TraceExport.tensors(of: stage, in: session.trace)
            let paths = try TraceExport.writeTensors(of: stage, in: session.trace, to: out)
            let tracePath = (out as NSString).appendingPathComponent("trace.json")
            do { try (TraceExport(session: session).json() + "\n").write(toFile: tracePath, atomically: true, encoding: .utf8) } catch {
                throw InterpreterError("cannot write \(tracePath): \(readableReason(error))")
            }
            let files = zip(tensors, paths).map { Manifest.File(name: $0.name, path: $1, shape: $0.tensor.shape) }
            if tensors.isEmpty {
                FileHandle.standardError.write(Data("allspark trace-export: the \(stage.title) stage of \(modality.rawValue) holds no tensors; only \(tracePath) was written\n".utf8))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(Manifest(stage: stage.identifier, trace: tracePath, tensors: files)), as: UTF8.self))
            } else {
                for file in files { print("wrote \(file.path) \(StageReport.shape(file.shape)) float32") }
                print("wrote \(tracePath)")
            }
        }
    }
}
