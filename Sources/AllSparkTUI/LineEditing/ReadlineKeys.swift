/// How a key reaches readline: as the bytes a terminal would send, or — for keys whose escape
/// sequences vary between terminals (arrows, Home, End, Delete) — as a direct call of the readline
/// command, which avoids readline's escape-sequence timeout.
enum ReadlineInput: Equatable {
    case bytes([UInt8])
    case command(ReadlineCommand)
}

enum ReadlineCommand: Equatable {
    case backwardChar, forwardChar, beginningOfLine, endOfLine, previousHistory, nextHistory, deleteChar, rubout
}

enum ReadlineKeys {
    /// The input for `key`, or nil for keys readline has no use for (function keys, mouse, resize).
    static func input(for key: Key) -> ReadlineInput? {
        switch key {
        case .character(let c): return .bytes(Array(String(c).utf8))
        case .control(let c):
            guard let ascii = c.asciiValue, c.isLetter || "@[\\]^_".contains(c) else { return nil }
            return .bytes([ascii & 0x1F])
        case .alt(let c): return .bytes([0x1B] + Array(String(c).utf8))
        case .enter: return .bytes([0x0D])
        case .tab: return .bytes([0x09])
        case .escape: return .bytes([0x1B])
        case .backspace: return .command(.rubout)
        case .delete: return .command(.deleteChar)
        case .left: return .command(.backwardChar)
        case .right: return .command(.forwardChar)
        case .home: return .command(.beginningOfLine)
        case .end: return .command(.endOfLine)
        case .up: return .command(.previousHistory)
        case .down: return .command(.nextHistory)
        case .backTab, .pageUp, .pageDown, .insert, .function, .resize, .mouse: return nil
        }
    }
}
