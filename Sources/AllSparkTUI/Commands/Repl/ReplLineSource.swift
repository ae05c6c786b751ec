import CReadline
import Foundation

/// Where the REPL's command lines come from.
public protocol ReplLineSource: AnyObject {
    /// The next line, nil at end of input (Ctrl-D).
    func readLine() -> String?
    /// True when a person types at a terminal (prompts and banners are for them).
    var isInteractive: Bool { get }
    /// Keeps a line for recall (Up).
    func remember(_ line: String)
}

/// Lines from a pipe or file, read as they are, without readline: scripts and tests.
public final class PipedLines: ReplLineSource {
    public init() {}
    public func readLine() -> String? { Swift.readLine(strippingNewline: true) }
    public var isInteractive: Bool { false }
    public func remember(_ line: String) {}
}

/// Lines typed at a terminal, edited with GNU readline: history (Up, Ctrl-r) and Tab completion.
///
/// readline keeps its state in globals and calls back through C function pointers that cannot
/// capture context, so one `ReadlinePrompt` exists at a time and its completer lives in a static.
/// readline installs no signal handlers of its own (`rl_catch_signals = 0`): Ctrl-C is the REPL's.
public final class ReadlinePrompt: ReplLineSource {
    public let prompt: String

    /// `complete(lineUpToCursor)` gives the words that can replace the last word of the line.
    public init(prompt: String, history: [String], complete: @escaping (String) -> [String]) {
        self.prompt = prompt
        ReadlineCompletion.complete = complete
        rl_readline_name = UnsafePointer(strdup("allspark"))
        rl_catch_signals = 0
        // Words are split on spaces only, as the interpreter splits them, so paths with '=' or '#'
        // (sample options) complete as one word.
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t"))
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t"))
        rl_attempted_completion_function = { _, _, end in ReadlineCompletion.matches(end: Int(end)) }
        for entry in history { add_history(entry) }
    }

    public var isInteractive: Bool { true }

    public func readLine() -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Adds a line to readline's in-memory history (Up brings it back).
    public func remember(_ line: String) { add_history(line) }
}

/// readline's completion callback, which can only reach Swift through statics.
enum ReadlineCompletion {
    nonisolated(unsafe) static var complete: ((String) -> [String])?

    /// The matches array readline wants, nil when there is no candidate.
    static func matches(end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1  // no fallback to readline's own file-name completion
        guard let complete, let buffer = rl_line_buffer else { return nil }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: max(0, min(end, Int(rl_end))))
        let candidates = complete(String(decoding: bytes, as: UTF8.self))
        guard !candidates.isEmpty else { return nil }
        // Paths: readline then lists only the part after the last '/'. A folder is not the end
        // of a path: no space after it.
        if candidates.contains(where: { $0.contains("/") }) { rl_filename_completion_desired = 1 }
        if candidates.count == 1, candidates[0].hasSuffix("/") { rl_completion_append_character = 0 }
        // readline frees the array and its strings with free(): all of it comes from malloc.
        // One candidate: [candidate, NULL]; several: [common prefix, candidates…, NULL].
        let entries = candidates.count == 1 ? candidates : [commonPrefix(candidates)] + candidates
        let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1))!
        let matches = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (index, entry) in entries.enumerated() { matches[index] = strdup(entry) }
        matches[entries.count] = nil
        return matches
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map({ Array($0.utf8) }) else { return "" }
        for word in words.dropFirst() {
            let bytes = Array(word.utf8)
            let common = zip(prefix, bytes).prefix { $0 == $1 }.count
            prefix = Array(prefix.prefix(common))
        }
        // Never cut a multi-byte character in half.
        while !prefix.isEmpty, String(bytes: prefix, encoding: .utf8) == nil { prefix.removeLast() }
        return String(decoding: prefix, as: UTF8.self)
    }
}
