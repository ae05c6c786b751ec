/// A small text-mode picture of a sample for the front ends: a grid of cells, each a character
/// with optional foreground and background colours. The TUI draws it with ncurses; batch output
/// prints `plainText` (or ANSI colours when asked). Renderers that need a grayscale or ASCII
/// fallback use `Preview.Options`.
public struct Preview: Sendable, Equatable {
    public struct Colour: Sendable, Equatable, Hashable {
        public var r: UInt8, g: UInt8, b: UInt8
        public init(r: UInt8, g: UInt8, b: UInt8) { self.r = r; self.g = g; self.b = b }
        /// Rec. 601 luma, 0...255.
        public var luma: UInt8 {
            let weighted: Int = 299 * Int(r) + 587 * Int(g) + 114 * Int(b)
            return UInt8(weighted / 1000)
        }
    }

    public struct Cell: Sendable, Equatable {
        public var character: Character
        public var foreground: Colour?
        public var background: Colour?
        public init(_ character: Character, foreground: Colour? = nil, background: Colour? = nil) {
            self.character = character; self.foreground = foreground; self.background = background
        }
        public static let blank = Cell(" ")
    }

    /// How a preview may be drawn: colours or not, Unicode (half blocks, braille) or ASCII only.
    public struct Options: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var colour: Bool
        public var unicode: Bool
        public init(width: Int, height: Int, colour: Bool = true, unicode: Bool = true) {
            self.width = max(1, width); self.height = max(1, height); self.colour = colour; self.unicode = unicode
        }
    }

    public var rows: [[Cell]]
    /// A caption under the picture ("3 × 64 × 64 RGB, generated").
    public var caption: String

    public init(rows: [[Cell]], caption: String = "") {
        self.rows = rows; self.caption = caption
    }

    /// A preview that is just lines of text (table rows, code, summaries).
    public init(lines: [String], caption: String = "") {
        self.init(rows: lines.map { $0.map { Cell($0) } }, caption: caption)
    }

    public var height: Int { rows.count }
    public var width: Int { rows.map(\.count).max() ?? 0 }

    /// The characters only, one line per row.
    public var plainText: String {
        rows.map { String($0.map(\.character)) }.joined(separator: "\n")
    }
}
