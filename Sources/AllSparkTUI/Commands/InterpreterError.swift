/// A command that cannot be carried out: the message says what was wrong and what is accepted.
public struct InterpreterError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
