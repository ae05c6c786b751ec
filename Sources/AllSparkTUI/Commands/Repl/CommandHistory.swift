import Foundation
import SparkFormats

/// The REPL's command history: one command per line in `$XDG_STATE_HOME/allspark/history`
/// (default `~/.local/state/allspark/history`), read at start and appended to after each command.
///
/// The file and its folder are created on the first command, not before. History is a comfort, not
/// a duty: a file that cannot be read or written is reported once (through `warn`) and the REPL goes
/// on without it. The file is cut to the last `limit` entries when it has grown to twice that.
public final class CommandHistory {
    public let path: String
    public let limit: Int
    public private(set) var entries: [String] = []
    private let warn: (String) -> Void
    private var warned = false

    public init(path: String = CommandHistory.defaultPath(), limit: Int = 1000, warn: @escaping (String) -> Void) {
        self.path = path
        self.limit = max(1, limit)
        self.warn = warn
        load()
    }

    /// `$XDG_STATE_HOME/allspark/history` or `~/.local/state/allspark/history`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/allspark/history"
    }

    private func load() {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            report("cannot read the history file \(path); history is not kept this time")
            return
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        entries = Array(lines.suffix(limit))
        if lines.count >= 2 * limit { rewrite() }
    }

    /// Adds a command: blank lines and a repeat of the previous command are not kept.
    public func add(_ line: String) {
        let entry = line.replacingOccurrences(of: "\n", with: " ")
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty, entry != entries.last else { return }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        append(entry)
    }

    private func append(_ entry: String) {
        guard !warned else { return }  // it failed once; it will again
        do {
            try ensureFolder()
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw InterpreterError("cannot create it")
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((entry + "\n").utf8))
        } catch {
            report("cannot write the history file \(path) (\(Self.describe(error))); history is not saved this session")
        }
    }

    private func rewrite() {
        do {
            try ensureFolder()
            try (entries.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            report("cannot shorten the history file \(path) (\(Self.describe(error)))")
        }
    }

    private func ensureFolder() throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    }

    private func report(_ message: String) {
        guard !warned else { return }
        warned = true
        warn(message)
    }

    static func describe(_ error: Error) -> String {
        readableReason(error)
    }
}
