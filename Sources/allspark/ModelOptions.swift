import AllSpark
import AllSparkData
import ArgumentParser
import Foundation

/// `--config` for the commands that build the model.
struct ConfigurationOption: ParsableArguments {
    @Option(name: .customLong("config"), help: "The model configuration (JSON).")
    var path = AllSparkConfiguration.defaultPath

    static let promptDirectoryHelp = "Where your own prompts are read and saved (default $XDG_STATE_HOME/allspark/prompts)."

    @Option(name: .customLong("prompt-dir"), help: ArgumentHelp(promptDirectoryHelp, valueName: "dir"))
    var promptDirectory: String?

    func load() throws -> AllSparkConfiguration {
        var configuration = try AllSparkConfiguration.load(path: path)
        if let promptDirectory { configuration.promptUserDirectory = promptDirectory }
        return configuration
    }
}

/// Picks a sample: the given path (with `#option=value` parts), or the first one listed in
/// `samples/<modality>/index.json`.
func sampleReference(_ text: String?, modality: Modality) throws -> SampleReference {
    if let text { return try SampleReference(parsing: text) }
    let directory = "samples/\(modality.rawValue)"
    let catalog = try SampleCatalog.read(directory: directory)
    guard let first = catalog.entries.first else {
        throw ValidationError("no --sample given and \(directory)/index.json lists no samples")
    }
    return catalog.reference(first)
}
