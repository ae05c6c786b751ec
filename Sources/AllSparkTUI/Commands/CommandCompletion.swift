import AllSpark
import AllSparkData
import Foundation

/// Candidates for the word being typed at the end of a command line.
public struct WordCompletion: Equatable, Sendable {
    /// Where the word starts in the line, in characters.
    public var wordStart: Int
    /// The word as typed so far.
    public var word: String
    /// Whole words that can replace it: commands, stages and modalities in their usual order,
    /// paths sorted; folders end with "/".
    public var candidates: [String]
}

extension CommandInterpreter {
    /// Whole lines: `partialLine` with its last word completed, a space after a complete word.
    public func completions(for partialLine: String) -> [String] {
        CommandCompleter(modality: session.modality, samplesDirectory: samplesDirectory).completions(for: partialLine)
    }

    public func wordCompletion(for partialLine: String) -> WordCompletion {
        CommandCompleter(modality: session.modality, samplesDirectory: samplesDirectory).wordCompletion(for: partialLine)
    }
}

/// Tab completion: command names first, then what each command takes — modalities, stage names,
/// `prompt set|save`, `compare prompts|samples`, generate's `--options`, and file paths (the
/// modality's listed samples when nothing is typed yet). Words are separated by spaces only, as
/// the REPL tells readline.
public struct CommandCompleter: Sendable {
    /// The modality whose samples `sample <Tab>` lists.
    public var modality: Modality
    public var samplesDirectory: String

    public init(modality: Modality, samplesDirectory: String) {
        self.modality = modality
        self.samplesDirectory = samplesDirectory
    }

    /// Whole lines: `partialLine` with its last word completed, a space after a complete word.
    public func completions(for partialLine: String) -> [String] {
        let completion = wordCompletion(for: partialLine)
        let head = String(partialLine.prefix(completion.wordStart))
        return completion.candidates.map { head + $0 + ($0.hasSuffix("/") ? "" : " ") }
    }

    public func wordCompletion(for partialLine: String) -> WordCompletion {
        let wordStart = partialLine.lastIndex { $0 == " " || $0 == "\t" }.map { partialLine.index(after: $0) } ?? partialLine.startIndex
        let word = String(partialLine[wordStart...])
        let before = partialLine[..<wordStart].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let candidates = candidates(for: word, after: before)
        return WordCompletion(wordStart: partialLine.distance(from: partialLine.startIndex, to: wordStart),
                              word: word, candidates: candidates)
    }

    private func candidates(for word: String, after before: [String]) -> [String] {
        func matching(_ options: [String]) -> [String] {
            options.filter { $0.lowercased().hasPrefix(word.lowercased()) }
        }
        guard let first = before.first else { return matching(CommandCatalog.names) }
        guard let command = CommandCatalog.spec(named: first)?.name else { return [] }
        let position = before.count  // 1 = the first argument
        let stages = PipelineStage.allCases.map(\.identifier)
        switch (command, position) {
        case ("help", 1): return matching(CommandCatalog.names)
        case ("modality", 1): return matching(Modality.allCases.map(\.rawValue))
        case ("sample", 1): return sampleCandidates(word)
        case ("prompt", 1): return matching(["save", "set"])
        case ("run", 1), ("show", 1), ("export", 1): return matching(stages)
        case ("export", 2): return Self.pathCandidates(word, directoriesOnly: true)
        case ("save", 1): return Self.pathCandidates(word)
        case ("generate", _): return word.hasPrefix("-") ? matching(SamplingOverrides.flags) : []
        case ("compare", 1): return matching(["prompts", "samples"])
        case ("compare", 2...):
            if word.hasPrefix("-") { return matching(["--generate"]) }
            let kind = before.count > 1 ? before[1].lowercased() : ""
            return (kind == "samples" || kind == "sample") && position <= 3 ? sampleCandidates(word) : []
        default: return []
        }
    }

    /// Nothing typed: the modality's listed samples; otherwise files and folders.
    private func sampleCandidates(_ word: String) -> [String] {
        let directory = (samplesDirectory as NSString).appendingPathComponent(modality.rawValue)
        if word.isEmpty, let catalog = try? SampleCatalog.read(directory: directory), !catalog.entries.isEmpty {
            return catalog.entries.map { catalog.reference($0).text }.sorted()
        }
        return Self.pathCandidates(word)
    }

    /// Files and folders whose path starts with `word` (relative to the working directory, or
    /// absolute, or under `~/`). Hidden entries only when the typed name starts with a dot.
    public static func pathCandidates(_ word: String, directoriesOnly: Bool = false) -> [String] {
        guard !word.contains("#") else { return [] }  // sample options, not a path
        let folder: String, prefix: String
        if let slash = word.lastIndex(of: "/") {
            folder = String(word[...slash]); prefix = String(word[word.index(after: slash)...])
        } else {
            folder = ""; prefix = word
        }
        var listed = folder.isEmpty ? "." : folder
        if listed.hasPrefix("~/") {
            listed = (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + listed.dropFirst()
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.compactMap { name in
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: (listed as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            if exists && isFolder.boolValue { return folder + name + "/" }
            return directoriesOnly ? nil : folder + name
        }.sorted()
    }
}
