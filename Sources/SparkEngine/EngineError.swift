/// Errors the engine throws for values that can come from outside the program (token ids typed by
/// a user, indices read from a file). Shape mismatches between tensors the program built itself are
/// programming errors and stop with a precondition message instead.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// `what` (e.g. "token id") at `position` in its list was `value`, outside `validRange`.
    case indexOutOfRange(what: String, position: Int, value: Int, validRange: Range<Int>)

    public var description: String {
        switch self {
        case let .indexOutOfRange(what, position, value, validRange):
            return "\(what) \(value) at position \(position) is out of range: expected \(validRange.lowerBound)..<\(validRange.upperBound)"
        }
    }
}
