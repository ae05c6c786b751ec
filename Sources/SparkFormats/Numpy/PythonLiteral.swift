/// The subset of Python literal syntax that `.npy` headers are written in: a dict of string keys
/// to strings, ints, True/False/None, tuples, lists and nested dicts. numpy reads the header with
/// `ast.literal_eval`; this is a real (small) parser of that grammar, so a header with keys in
/// another order, other spacing, double quotes or a trailing comma reads the same.
enum PythonLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.none, .none): return true
        case let (.tuple(a), .tuple(b)), let (.list(a), .list(b)): return a == b
        case let (.dict(a), .dict(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Parses `text` as exactly one literal, surrounded by optional whitespace.
    /// Errors name `file` and the field "header" with the character position.
    static func parse(_ text: [UInt8], file: String, field: String) throws -> PythonLiteral {
        var parser = Parser(text: text, file: file, field: field)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.position != text.count {
            throw parser.error("unexpected text after the closing bracket", expected: "the end of the header")
        }
        return value
    }

    private struct Parser {
        let text: [UInt8]
        let file: String
        let field: String
        var position = 0

        /// Nesting deeper than this is not a numpy header; refusing it keeps recursion bounded.
        static let maximumDepth = 32

        func error(_ problem: String, expected: String) -> FormatError {
            .malformed(file: file, field: field, problem: "\(problem) at character \(position)", expected: expected)
        }

        var current: UInt8? { position < text.count ? text[position] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
        }

        mutating func value(depth: Int) throws -> PythonLiteral {
            if depth > Parser.maximumDepth {
                throw error("literal nested more than \(Parser.maximumDepth) deep", expected: "a flat numpy header dict")
            }
            guard let c = current else { throw error("the header ends where a value should start", expected: "a value") }
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"): return try dict(depth: depth)
            case UInt8(ascii: "("): return try sequence(close: UInt8(ascii: ")"), depth: depth, isTuple: true)
            case UInt8(ascii: "["): return try sequence(close: UInt8(ascii: "]"), depth: depth, isTuple: false)
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try integer())
            default:
                if consume(word: "True") { return .bool(true) }
                if consume(word: "False") { return .bool(false) }
                if consume(word: "None") { return .none }
                throw error("unexpected character '\(Character(Unicode.Scalar(c)))'",
                            expected: "a string, integer, True, False, None, tuple, list or dict")
            }
        }

        mutating func consume(word: String) -> Bool {
            let bytes = Array(word.utf8)
            guard position + bytes.count <= text.count, Array(text[position..<(position + bytes.count)]) == bytes else {
                return false
            }
            // "Truex" is a name, not True.
            if position + bytes.count < text.count, Parser.isIdentifierByte(text[position + bytes.count]) { return false }
            position += bytes.count
            return true
        }

        static func isIdentifierByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }

        mutating func string() throws -> String {
            let quote = text[position]
            let start = position
            position += 1
            var bytes: [UInt8] = []
            while let c = current {
                position += 1
                if c == quote { return String(decoding: bytes, as: UTF8.self) }
                if c == 0x0A { break }
                if c == UInt8(ascii: "\\") {
                    // numpy never escapes anything in a header; accept the simple escapes anyway.
                    guard let next = current else { break }
                    position += 1
                    switch next {
                    case UInt8(ascii: "n"): bytes.append(0x0A)
                    case UInt8(ascii: "t"): bytes.append(0x09)
                    default: bytes.append(next)
                    }
                    continue
                }
                bytes.append(c)
            }
            position = start
            throw error("string is not closed", expected: "a closing quote on the same line")
        }

        mutating func integer() throws -> Int {
            var negative = false
            if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") {
                negative = current == UInt8(ascii: "-")
                position += 1
            }
            var value = 0
            var digits = 0
            while let c = current, c >= 0x30 && c <= 0x39 {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(Int(c - 0x30))
                if o1 || o2 { throw error("integer does not fit in 64 bits", expected: "a dimension below 2^63") }
                value = next
                digits += 1
                position += 1
            }
            if digits == 0 { throw error("sign without digits", expected: "an integer") }
            // Python 2 wrote long integers with an L suffix; numpy still reads such files.
            if current == UInt8(ascii: "L") { position += 1 }
            if let c = current, Parser.isIdentifierByte(c) || c == UInt8(ascii: ".") {
                throw error("number is not an integer", expected: "an integer")
            }
            return negative ? -value : value
        }

        mutating func sequence(close: UInt8, depth: Int, isTuple: Bool) throws -> PythonLiteral {
            position += 1
            var items: [PythonLiteral] = []
            var sawComma = false
            while true {
                skipWhitespace()
                guard let c = current else {
                    throw error("the header ends inside a \(isTuple ? "tuple" : "list")", expected: "'\(Character(Unicode.Scalar(close)))'")
                }
                if c == close { position += 1; break }
                if !items.isEmpty && !sawComma {
                    throw error("missing comma between elements", expected: "',' or '\(Character(Unicode.Scalar(close)))'")
                }
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                sawComma = current == UInt8(ascii: ",")
                if sawComma { position += 1 }
            }
            // (5) is the integer 5 in Python, not a tuple; only (5,) is.
            if isTuple && items.count == 1 && !sawComma { return items[0] }
            return isTuple ? .tuple(items) : .list(items)
        }

        mutating func dict(depth: Int) throws -> PythonLiteral {
            position += 1
            var entries: [(key: PythonLiteral, value: PythonLiteral)] = []
            var sawComma = false
            while true {
                skipWhitespace()
                guard let c = current else { throw error("the header ends inside the dict", expected: "'}'") }
                if c == UInt8(ascii: "}") { position += 1; break }
                if !entries.isEmpty && !sawComma { throw error("missing comma between dict entries", expected: "',' or '}'") }
                let key = try value(depth: depth + 1)
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("missing ':' after a dict key", expected: "':'") }
                position += 1
                skipWhitespace()
                let item = try value(depth: depth + 1)
                entries.append((key, item))
                skipWhitespace()
                sawComma = current == UInt8(ascii: ",")
                if sawComma { position += 1 }
            }
            return .dict(entries)
        }
    }
}
