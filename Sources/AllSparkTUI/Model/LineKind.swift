import Foundation

/// The lines the user can edit, each with its own history.
public enum LineKind: String, Sendable, CaseIterable {
    case prompt, filter, command

    /// The one-character label in front of the line.
    public var leader: String {
        switch self {
        case .prompt: return ""
        case .filter: return "/"
        case .command: return ":"
        }
    }
}

/// Lines committed earlier, oldest first, without immediate repeats or empty lines, at most `limit`.
public struct LineHistory: Equatable, Sendable {
    public private(set) var entries: [String] = []
    public let limit: Int

    public init(limit: Int = 200) { self.limit = limit }

    public mutating func add(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }
}
