import AllSparkData

/// Draws an `AllSparkData.Preview` (cells with optional colours) into a painter, with fallbacks:
/// colours are approximated by the terminal canvas; without colour, a picture made of coloured
/// spaces or half blocks becomes shade characters by luma so it stays visible; in ASCII, block,
/// braille and box-drawing characters become ASCII look-alikes.
public enum PreviewRenderer {
    /// The character and style a preview cell is drawn with under `looks`.
    static func draw(_ cell: Preview.Cell, looks: Looks) -> (Character, CellStyle) {
        let fg = cell.foreground.map { TerminalColour.rgb($0.r, $0.g, $0.b) }
        let bg = cell.background.map { TerminalColour.rgb($0.r, $0.g, $0.b) }
        var character = cell.character
        if !looks.hasColour, let shaded = shadeWithoutColour(cell, glyphs: looks.glyphs) {
            return (shaded, .plain)
        }
        if !looks.unicode { character = asciiLookalike(character, cell: cell, glyphs: looks.glyphs) }
        return (character, looks.hasColour ? CellStyle(foreground: fg, background: bg) : .plain)
    }

    /// Without colour, a cell whose picture is in its colours (a space on a background, a block
    /// or half block) becomes a shade by the luma it shows; other characters stay as they are.
    static func shadeWithoutColour(_ cell: Preview.Cell, glyphs: Glyphs) -> Character? {
        let shownLuma: Int?
        switch cell.character {
        case " ": shownLuma = cell.background.map { Int($0.luma) }
        case "▀", "▄":
            let lumas = [cell.foreground, cell.background].compactMap { $0.map { Int($0.luma) } }
            shownLuma = lumas.isEmpty ? nil : lumas.reduce(0, +) / lumas.count
        case "█": shownLuma = cell.foreground.map { Int($0.luma) } ?? 255
        default: shownLuma = nil
        }
        guard let luma = shownLuma else { return nil }
        let shades = glyphs.shades
        return shades[min(shades.count - 1, luma * shades.count / 256)]
    }

    /// An ASCII character that stands in for a non-ASCII one.
    static func asciiLookalike(_ character: Character, cell: Preview.Cell, glyphs: Glyphs) -> Character {
        if character.isASCII { return character }
        guard let scalar = character.unicodeScalars.first?.value else { return "?" }
        switch scalar {
        case 0x2500...0x257F:  // box drawing
            switch character {
            case "─", "━", "═": return "-"
            case "│", "┃", "║": return "|"
            default: return "+"
            }
        case 0x2580...0x259F:  // block elements: shade by how much of the cell they cover (or by colour)
            let luma = cell.foreground.map { Int($0.luma) } ?? 255
            let shades = glyphs.shades
            return shades[min(shades.count - 1, max(1, luma * shades.count / 256))]
        case 0x2800...0x28FF: return scalar == 0x2800 ? " " : "."  // braille
        case 0x00B7, 0x2022, 0x25CF: return "*"
        case 0x2190...0x21FF: return ">"
        default: return "?"
        }
    }

    /// Draws the preview from the top-left, cropped to the painter, with its caption under it when
    /// there is room; returns the rows used.
    @discardableResult
    public static func render(_ preview: Preview, into painter: Painter, theme: Theme) -> Int {
        let pictureRows = min(preview.height, painter.height - (preview.caption.isEmpty ? 0 : 1))
        for (y, row) in preview.rows.prefix(max(0, pictureRows)).enumerated() {
            var x = 0
            for cell in row {
                if x >= painter.width { break }
                let (character, style) = draw(cell, looks: theme.looks)
                painter.set(x: x, y: y, character, style: style)
                x += DisplayWidth.of(character)
            }
        }
        var used = max(0, pictureRows)
        if !preview.caption.isEmpty && used < painter.height {
            painter.put(preview.caption, x: 0, y: used, maxWidth: painter.width, ellipsis: theme.looks.glyphs.ellipsis, style: theme.dim)
            used += 1
        }
        return used
    }
}
