/// A colour as the screen model stores it. Interface colours use the terminal's own palette
/// (`ansi`), so they follow the user's colour scheme; data colours (previews, heat maps) are `rgb`
/// and are approximated to whatever the terminal offers when drawn (see `ColourApproximation`).
public enum TerminalColour: Hashable, Sendable {
    /// One of the 16 palette entries every colour terminal has (0 black … 7 white, 8–15 bright).
    case ansi(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = TerminalColour.ansi(0), red = TerminalColour.ansi(1)
    public static let green = TerminalColour.ansi(2), yellow = TerminalColour.ansi(3)
    public static let blue = TerminalColour.ansi(4), magenta = TerminalColour.ansi(5)
    public static let cyan = TerminalColour.ansi(6), white = TerminalColour.ansi(7)
    public static let brightBlack = TerminalColour.ansi(8)
}

/// Text attributes that every terminal (monochrome included) can show.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = CellAttributes(rawValue: 1)
    public static let dim = CellAttributes(rawValue: 2)
    public static let reverse = CellAttributes(rawValue: 4)
    public static let underline = CellAttributes(rawValue: 8)
}

/// How one cell is drawn: colours (nil = the terminal's default) and attributes.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColour?
    public var background: TerminalColour?
    public var attributes: CellAttributes

    public init(foreground: TerminalColour? = nil, background: TerminalColour? = nil, attributes: CellAttributes = []) {
        self.foreground = foreground; self.background = background; self.attributes = attributes
    }

    public static let plain = CellStyle()

    public func with(_ extra: CellAttributes) -> CellStyle {
        var copy = self; copy.attributes.formUnion(extra); return copy
    }
}
