/// Colours and characters shared by the structured previews, and their fallbacks: without colour
/// every colour becomes the grey of the same luma (so brighter stays brighter); without Unicode
/// every character outside ASCII is replaced.
enum PreviewStyle {
    static let observed = Preview.Colour(r: 90, g: 200, b: 255)     // what the model sees
    static let future = Preview.Colour(r: 120, g: 230, b: 120)      // ground truth ahead
    static let context = Preview.Colour(r: 150, g: 150, b: 150)     // neighbours, line numbers
    static let marker = Preview.Colour(r: 255, g: 210, b: 80)       // the current position, the target
    static let keyword = Preview.Colour(r: 200, g: 140, b: 255)
    static let string = Preview.Colour(r: 150, g: 220, b: 120)
    static let comment = Preview.Colour(r: 120, g: 120, b: 120)
    static let number = Preview.Colour(r: 240, g: 170, b: 90)

    /// The colour as it is drawn under `options`: itself, a grey of the same luma, or nothing
    /// when `keepWithoutColour` is false and colour is off (plain text stays plain).
    static func shown(_ colour: Preview.Colour?, _ options: Preview.Options, keepWithoutColour: Bool = true) -> Preview.Colour? {
        guard let colour else { return nil }
        if options.colour { return colour }
        guard keepWithoutColour else { return nil }
        let grey = colour.luma
        return Preview.Colour(r: grey, g: grey, b: grey)
    }

    /// Red (slow, 0) through yellow to green (fast, 1), for speeds.
    static func speedRamp(_ fraction: Double) -> Preview.Colour {
        let f = min(1, max(0, fraction))
        if f < 0.5 { return Preview.Colour(r: 230, g: UInt8(40 + 380 * f), b: 40) }
        return Preview.Colour(r: UInt8(230 - 380 * (f - 0.5)), g: 230, b: 60)
    }

    /// Blue (low, 0) through white to orange (high, 1), for heights.
    static func heightRamp(_ fraction: Double) -> Preview.Colour {
        let f = min(1, max(0, fraction))
        if f < 0.5 {
            let k = f * 2
            return Preview.Colour(r: UInt8(60 + 180 * k), g: UInt8(110 + 130 * k), b: UInt8(230 + 10 * k))
        }
        let k = (f - 0.5) * 2
        return Preview.Colour(r: 240, g: UInt8(240 - 90 * k), b: UInt8(240 - 190 * k))
    }

    /// ASCII characters from light to dense.
    static let asciiRamp: [Character] = Array(" .:-=+*#%@")

    /// The text with every non-ASCII character replaced by `?` when Unicode is off.
    static func text(_ text: String, _ options: Preview.Options) -> String {
        options.unicode ? text : String(text.unicodeScalars.map { $0.isASCII ? Character($0) : "?" })
    }

    static func ellipsis(_ options: Preview.Options) -> String { options.unicode ? "…" : "..." }

    /// Terminal columns a character takes: 2 for East Asian wide and emoji ranges, else 1.
    static func columns(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first?.value else { return 1 }
        switch scalar {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// `text` cut to at most `width` terminal columns, ending in an ellipsis when cut.
    static func fitted(_ text: String, width: Int, _ options: Preview.Options) -> String {
        let total = text.reduce(0) { $0 + columns($1) }
        guard total > width else { return text }
        let mark = ellipsis(options)
        let room = max(0, width - mark.count)
        var used = 0, result = ""
        for character in text {
            let w = columns(character)
            if used + w > room { break }
            result.append(character); used += w
        }
        return width >= mark.count ? result + mark : String(mark.prefix(width))
    }
}
