import AllSpark
import ArgumentParser
import Foundation
import SparkFormats
import SparkLM

/// `allspark shapes`: every stage's shapes for every modality, without weights or samples.
struct ShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "Print the input, encoder, bridge, sequence and head shapes of every modality.",
        discussion: """
            Propagates shapes through the configuration without allocating weights or reading \
            samples. With configs/allspark-paper.json it prints the paper's sizes. When the \
            configuration names a GGUF file that exists, its tokenizer counts the sequence's text \
            positions for each modality's default prompt; otherwise they are shown as t.
            """)

    @OptionGroup var config: ConfigurationOption

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run() throws {
        try reportingErrors("shapes") {
            let configuration = try config.load()
            var tokenizer: (BPETokenizer, ChatTemplate)?
            var width: Int?
            if let gguf = configuration.languageModel.gguf, FileManager.default.fileExists(atPath: gguf) {
                let file = try GGUFFile(path: gguf)
                let vocabulary = try TokenizerVocabulary(gguf: file)
                tokenizer = (try BPETokenizer(vocabulary: vocabulary),
                             (try? ChatTemplate(vocabulary: vocabulary)) ?? ChatTemplate(defaultSystemMessage: nil))
                width = file.value("llama.embedding_length")?.int
            }
            let report = try ShapeReport.make(configuration, tokenizer: tokenizer, width: width)
            if json {
                try printJSON(report)
            } else {
                print(report.table)
            }
        }
    }
}
