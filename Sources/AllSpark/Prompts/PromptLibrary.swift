import AllSparkData
import Foundation
import SparkFormats

/// A modality's prompts: the built-in ones from `prompts/<modality>.txt` (the paper's Table 2,
/// first = default) followed by the ones a user saved, which live in
/// `$XDG_STATE_HOME/allspark/prompts/<modality>.txt` (default `~/.local/state/…`) and so survive
/// restarts and never touch the repository's files.
///
/// A prompt may contain `{labels}`, replaced by the task's label list ("forest, meadow, …").
public struct PromptLibrary: Sendable, Equatable {
    public enum Origin: String, Sendable, Codable { case builtIn = "built-in", user }

    public struct Prompt: Sendable, Equatable {
        /// The text as written in the file, placeholders included.
        public var template: String
        public var origin: Origin
        /// The text the model reads.
        public var text: String
    }

    public let modality: Modality
    public let prompts: [Prompt]
    public let userFile: String

    public static let labelsPlaceholder = "{labels}"

    /// Prompt files hold a few dozen short lines; these bounds refuse anything else before it is
    /// read (file size) or kept (prompt count and length, in UTF-8 bytes).
    public static let maxFileBytes = 1 << 20
    public static let maxPrompts = 10_000
    public static let maxPromptBytes = 8_192

    /// Reads the built-in file (missing or empty: an error naming it) and, when `includingUser`, the
    /// user file (optional). Front ends read libraries through `AllSparkConfiguration.prompts`.
    public static func load(modality: Modality, file: String, labels: [String], userDirectory: String? = nil,
                            includingUser: Bool = true) throws -> PromptLibrary {
        let builtIn = try lines(of: file, required: true)
        guard !builtIn.isEmpty else {
            throw PromptError(file: file, problem: "has no prompts; expected one prompt per line (lines starting with # are comments)")
        }
        let userFile = (userDirectory ?? defaultUserDirectory()) + "/\(modality.rawValue).txt"
        let user = includingUser ? try lines(of: userFile, required: false) : []
        let labelList = labels.joined(separator: ", ")
        func prompt(_ line: String, _ origin: Origin) -> Prompt {
            Prompt(template: line, origin: origin, text: line.replacingOccurrences(of: labelsPlaceholder, with: labelList))
        }
        return PromptLibrary(modality: modality, prompts: builtIn.map { prompt($0, .builtIn) } + user.map { prompt($0, .user) },
                             userFile: userFile)
    }

    /// The default prompt (the first).
    public var defaultPrompt: Prompt { prompts[0] }

    /// Prompt `number` counted from 1, as the command line and the REPL number them.
    public func prompt(number: Int) throws -> Prompt {
        guard number >= 1 && number <= prompts.count else {
            throw PromptError(file: userFile, problem: "there is no prompt \(number) for \(modality.rawValue); choose 1…\(prompts.count)")
        }
        return prompts[number - 1]
    }

    /// Appends `text` (one line) to the user file and returns the library with it.
    public func saving(_ text: String, labels: [String]) throws -> PromptLibrary {
        let line = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { throw PromptError(file: userFile, problem: "an empty prompt cannot be saved") }
        guard line.utf8.count <= Self.maxPromptBytes else {
            throw PromptError(file: userFile, problem: "a prompt of \(line.utf8.count) bytes cannot be saved; expected at most \(Self.maxPromptBytes)")
        }
        if prompts.contains(where: { $0.template == line }) { return self }
        let directory = (userFile as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let existing = (try? String(contentsOfFile: userFile, encoding: .utf8)) ?? ""
            let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
            try (existing + separator + line + "\n").write(toFile: userFile, atomically: true, encoding: .utf8)
        } catch {
            throw PromptError(file: userFile, problem: "cannot save the prompt: \(readableReason(error))")
        }
        let labelList = labels.joined(separator: ", ")
        return PromptLibrary(modality: modality, prompts: prompts + [Prompt(template: line, origin: .user,
            text: line.replacingOccurrences(of: Self.labelsPlaceholder, with: labelList))], userFile: userFile)
    }

    /// `$XDG_STATE_HOME/allspark/prompts` or `~/.local/state/allspark/prompts`.
    public static func defaultUserDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/allspark/prompts"
    }

    static func lines(of file: String, required: Bool) throws -> [String] {
        guard FileManager.default.fileExists(atPath: file) else {
            if required { throw PromptError(file: file, problem: "is missing; expected a prompt file (one prompt per line)") }
            return []
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber, size.intValue > maxFileBytes {
            throw PromptError(file: file, problem: "the file has \(size) bytes; expected a prompt file of at most \(maxFileBytes) bytes")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw PromptError(file: file, problem: "cannot be read as UTF-8 text")
        }
        let prompts = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard prompts.count <= maxPrompts else {
            throw PromptError(file: file, problem: "holds \(prompts.count) prompts; expected at most \(maxPrompts)")
        }
        if let long = prompts.firstIndex(where: { $0.utf8.count > maxPromptBytes }) {
            throw PromptError(file: file, problem: "prompt \(long + 1) has \(prompts[long].utf8.count) bytes; expected at most \(maxPromptBytes) per prompt")
        }
        return prompts
    }
}

public struct PromptError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}
