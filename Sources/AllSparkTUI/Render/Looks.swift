/// What the terminal can show, and what the user asked for: the colours available and whether
/// Unicode drawing characters (box drawing, half blocks, braille) may be used.
public struct Looks: Sendable, Equatable {
    public enum ColourLevel: Int, Sendable, Comparable, CaseIterable {
        /// No colours: attributes only (`NO_COLOR`, `--no-color`, or a terminal without colours).
        case monochrome
        /// The eight basic ANSI colours.
        case basic8
        /// xterm's 256-colour palette.
        case indexed256

        public static func < (a: ColourLevel, b: ColourLevel) -> Bool { a.rawValue < b.rawValue }
    }

    public var colour: ColourLevel
    public var unicode: Bool

    public init(colour: ColourLevel, unicode: Bool) {
        self.colour = colour; self.unicode = unicode
    }

    public var glyphs: Glyphs { unicode ? .unicode : .ascii }
    public var hasColour: Bool { colour != .monochrome }

    /// The richest looks, used by tests and as the starting point before the terminal is asked.
    public static let full = Looks(colour: .indexed256, unicode: true)
    public static let plainASCII = Looks(colour: .monochrome, unicode: false)

    /// The colour level allowed by the environment and flags, before the terminal is asked:
    /// `NO_COLOR` set to anything (https://no-color.org) or `--no-color` turns colours off.
    public static func colourAllowed(environment: [String: String], noColorFlag: Bool) -> Bool {
        !noColorFlag && environment["NO_COLOR"] == nil
    }
}

/// The characters the interface is drawn with, in a Unicode and an ASCII set. Every view takes its
/// drawing characters from here, so `--ascii` reaches all of them.
public struct Glyphs: Sendable, Equatable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    /// The focused pane's frame.
    public var heavyHorizontal, heavyVertical, heavyTopLeft, heavyTopRight, heavyBottomLeft, heavyBottomRight: Character
    public var separator: Character
    public var stageDone, stageCurrent, stagePending, stageFailed: Character
    public var selectionMarker: Character
    /// Marks, on a frame's right edge, where the visible part of a longer list or text lies.
    public var scrollThumb: Character
    public var ellipsis: String
    public var arrowRight: String
    /// The multiplication sign in sizes ("80 × 24").
    public var times: String
    public var spinnerFrames: [Character]
    /// From empty to full; bar charts use these for eighths of a cell.
    public var horizontalEighths: [Character]
    /// From lowest to highest, for sparklines.
    public var verticalLevels: [Character]
    /// From light to dark, for heat maps without colour.
    public var shades: [Character]
    public var upperHalfBlock: Character?
    public var usesBraille: Bool
    public var visibleSpace: Character, visibleNewline: Character, visibleTab: Character

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        heavyHorizontal: "━", heavyVertical: "┃", heavyTopLeft: "┏", heavyTopRight: "┓",
        heavyBottomLeft: "┗", heavyBottomRight: "┛",
        separator: "│", stageDone: "✓", stageCurrent: "▶", stagePending: "·", stageFailed: "✗",
        selectionMarker: "▸", scrollThumb: "█", ellipsis: "…", arrowRight: "→", times: "×",
        spinnerFrames: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        horizontalEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        verticalLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        shades: [" ", "░", "▒", "▓", "█"],
        upperHalfBlock: "▀", usesBraille: true,
        visibleSpace: "·", visibleNewline: "↵", visibleTab: "⇥")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        heavyHorizontal: "=", heavyVertical: "#", heavyTopLeft: "#", heavyTopRight: "#",
        heavyBottomLeft: "#", heavyBottomRight: "#",
        separator: "|", stageDone: "x", stageCurrent: ">", stagePending: ".", stageFailed: "!",
        selectionMarker: ">", scrollThumb: "@", ellipsis: "~", arrowRight: "->", times: "x",
        spinnerFrames: ["|", "/", "-", "\\"],
        horizontalEighths: [" ", " ", " ", " ", "#", "#", "#", "#", "#"],
        verticalLevels: ["_", ".", ",", "-", "=", "+", "*", "#"],
        shades: [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"],
        upperHalfBlock: nil, usesBraille: false,
        visibleSpace: "_", visibleNewline: "$", visibleTab: ">")
}
