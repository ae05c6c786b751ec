import AllSpark
import AllSparkData
import ArgumentParser

/// `--config --modality --sample --prompt --prompt-text`: what `run` and `trace-export` run on.
struct SessionOptions: ParsableArguments {
    @OptionGroup var config: ConfigurationOption

    @Option(help: "The modality: \(Modality.allCases.map(\.rawValue).joined(separator: ", ")).")
    var modality: String

    @Option(help: "The sample file or folder (default: the first listed sample of the modality).")
    var sample: String?

    @Option(help: "Use prompt N (1-based) of prompts/<modality>.txt (default 1).")
    var prompt: Int?

    @Option(name: .customLong("prompt-text"), help: "Use this prompt text instead.")
    var promptText: String?

    func validate() throws {
        if prompt != nil && promptText != nil { throw ValidationError("give --prompt or --prompt-text, not both") }
    }

    /// Builds the model and a session on the chosen modality, sample and prompt.
    func openSession() throws -> PipelineSession {
        let modality = try Modality.parse(self.modality)
        let session = try PipelineSession(model: AllSparkModel(configuration: config.load()), modality: modality)
        session.select(sample: try sampleReference(sample, modality: modality))
        if let prompt { try session.selectPrompt(number: prompt) }
        if let promptText { session.setPrompt(text: promptText) }
        return session
    }
}
