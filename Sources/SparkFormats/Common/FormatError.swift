/// Why a file could not be read or written.
///
/// Every message names the file, the field that was wrong and what was expected, so a user who
/// sees only the message can tell which byte of which file to look at.
public enum FormatError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operating system refused an operation (open, stat, map, write, rename).
    case io(file: String, operation: String, reason: String)
    /// The file breaks its format's rules: a length, offset, count, shape or value is wrong.
    case malformed(file: String, field: String, problem: String, expected: String)
    /// The file is well formed but uses a feature this reader does not implement.
    case unsupported(file: String, field: String, feature: String, supported: String)
    /// A lookup by name (a tensor, an archive member) found nothing.
    case notFound(file: String, name: String, kind: String)
    /// A value handed to a writer cannot be written in the requested form.
    case invalidArgument(file: String, field: String, problem: String)

    public var description: String {
        switch self {
        case let .io(file, operation, reason):
            return "\(file): cannot \(operation): \(reason)"
        case let .malformed(file, field, problem, expected):
            return "\(file): \(field): \(problem); expected \(expected)"
        case let .unsupported(file, field, feature, supported):
            return "\(file): \(field): \(feature) is not supported; supported: \(supported)"
        case let .notFound(file, name, kind):
            return "\(file): no \(kind) named '\(name)'"
        case let .invalidArgument(file, field, problem):
            return "\(file): \(field): \(problem)"
        }
    }

    /// The file the error is about.
    public var file: String {
        switch self {
        case let .io(file, _, _), let .malformed(file, _, _, _), let .unsupported(file, _, _, _),
             let .notFound(file, _, _), let .invalidArgument(file, _, _):
            return file
        }
    }
}
