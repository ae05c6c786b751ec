/// A JSON value, parsed strictly (RFC 8259) from headers such as safetensors', and written for
/// headers and reports. Object members keep their order; numbers keep their text so that
/// integers up to 2^64 stay exact.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// A number from an integer.
    public static func integer<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }

    /// A number from a floating-point value; JSON has no NaN or infinity, so those become strings.
    public static func float(_ value: Double) -> JSONValue {
        value.isFinite ? .number(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
                       : .string(String(value))
    }

    /// The value as an Int if it is a number written as a plain integer that fits.
    public var int: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text)
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Members of an object, in order.
    public var members: [(key: String, value: JSONValue)]? {
        if case .object(let m) = self { return m }
        return nil
    }

    public var elements: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        members?.first { $0.key == key }?.value
    }
}

// MARK: - Parsing

extension JSONValue {
    /// Nesting deeper than this is refused, which keeps the recursive parser's stack bounded.
    static let maximumDepth = 64

    /// Parses `bytes` as exactly one JSON value (surrounding whitespace allowed). Duplicate
    /// object keys are an error. Errors name `file` and `field` with the byte position.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String, field: String) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, file: file, field: field)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.position != bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

private struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    let file: String
    let field: String
    var position = 0

    func error(_ problem: String) -> FormatError {
        .malformed(file: file, field: field, problem: "invalid JSON at byte \(position): \(problem)", expected: "valid JSON")
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    mutating func expect(_ literal: String) throws {
        for byte in literal.utf8 {
            guard current == byte else { throw error("expected '\(literal)'") }
            position += 1
        }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        if depth > JSONValue.maximumDepth { throw error("nested more than \(JSONValue.maximumDepth) deep") }
        guard let c = current else { throw error("the text ends where a value should start") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character (byte \(c))")
        }
    }

    mutating func object(depth: Int) throws -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyStart = position
            let key = try string()
            if !keys.insert(key).inserted {
                position = keyStart
                throw error("the key \"\(key)\" appears twice")
            }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}' in an object")
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("expected ',' or ']' in an array")
        }
    }

    mutating func number() throws -> String {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, first >= 0x30 && first <= 0x39 else { throw error("a number needs digits") }
        position += 1
        if first != UInt8(ascii: "0") { while let c = current, c >= 0x30 && c <= 0x39 { position += 1 } }
        if current == UInt8(ascii: ".") {
            position += 1
            guard let c = current, c >= 0x30 && c <= 0x39 else { throw error("a fraction needs digits") }
            while let c = current, c >= 0x30 && c <= 0x39 { position += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let c = current, c >= 0x30 && c <= 0x39 else { throw error("an exponent needs digits") }
            while let c = current, c >= 0x30 && c <= 0x39 { position += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    mutating func string() throws -> String {
        let start = position
        position += 1
        var output: [UInt8] = []
        while true {
            guard let c = current else {
                position = start
                throw error("a string is not closed")
            }
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                let text = String(decoding: output, as: UTF8.self)
                guard text.utf8.elementsEqual(output) else {
                    position = start
                    throw error("a string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = current else { throw error("the text ends inside an escape") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by \u and a low surrogate.
                        guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("an unpaired surrogate")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("an unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("an unpaired surrogate")
                    }
                    output.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default: throw error("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            default:
                if c < 0x20 { throw error("a control character inside a string") }
                output.append(c)
            }
        }
    }

    mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current, let digit = Character(Unicode.Scalar(c)).hexDigitValue else {
                throw error("\\u needs four hex digits")
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }
}

// MARK: - Writing

extension JSONValue {
    /// The JSON text: compact (no spaces, as safetensors headers are) or indented by two spaces.
    public func rendered(pretty: Bool = false) -> String {
        var output = ""
        render(into: &output, pretty: pretty, indent: 0)
        return output
    }

    private func render(into output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .number(let text): output += text
        case .string(let s): JSONValue.renderString(s, into: &output)
        case .array(let items):
            renderContainer(items.map { (nil, $0) }, open: "[", close: "]", into: &output, pretty: pretty, indent: indent)
        case .object(let members):
            renderContainer(members.map { ($0.key, $0.value) }, open: "{", close: "}", into: &output, pretty: pretty, indent: indent)
        }
    }

    private func renderContainer(_ items: [(String?, JSONValue)], open: String, close: String,
                                 into output: inout String, pretty: Bool, indent: Int) {
        output += open
        if items.isEmpty { output += close; return }
        // Arrays of scalars stay on one line even when pretty: tensor shapes read better so.
        let oneLine = !pretty || items.allSatisfy { $0.0 == nil && !$0.1.isContainer }
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { output += oneLine && pretty ? ", " : "," }
            if !oneLine { output += "\n" + String(repeating: " ", count: indent + 2) }
            if let key {
                JSONValue.renderString(key, into: &output)
                output += pretty ? ": " : ":"
            }
            value.render(into: &output, pretty: pretty, indent: indent + 2)
        }
        if !oneLine { output += "\n" + String(repeating: " ", count: indent) }
        output += close
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }

    private static func renderString(_ s: String, into output: inout String) {
        output += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
