import Foundation

/// A window of a raster in pixels: the column `x` and row `y` of its top-left corner, and its size.
struct RasterWindow: Equatable, CustomStringConvertible {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var description: String { "window x=\(x), y=\(y), \(width) × \(height)" }
}

/// The `bands=` and `window=` options of a raster sample, resolved against the file's bands and
/// size before any pixel is read:
///
/// - `bands=B2,B3,B4,B8`: bands by name (the band description; case-insensitive, "B8" and "B08"
///   alike, as `BandSelection` matches Sentinel-2 names), or `bands=1-13`, `bands=1,3,5`: 1-based
///   indices, as GDAL and gdalinfo number them. Ranges, indices and names may be mixed.
/// - `window=x,y,w,h`: the pixels to read, inside the raster.
enum RasterSelection {
    /// The 1-based indices `text` names, in its order, or every band when it is nil.
    static func bands(_ text: String?, of raster: GDALRaster) throws -> [Int] {
        let count = raster.bands.count
        guard let text else { return raster.bands.map(\.index) }
        let problem = { (what: String) in DataError.invalidArgument("\(raster.path): option bands=\(text): \(what)") }
        var chosen: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard !item.isEmpty else { throw problem("an empty entry; expected band names or 1-based indices separated by commas") }
            if let index = Int(item) {
                guard index >= 1, index <= count else {
                    throw problem("band \(index) does not exist; expected indices 1…\(count) (the file has \(count) bands)")
                }
                chosen.append(index)
            } else if let dash = item.firstIndex(of: "-"), let first = Int(item[..<dash]),
                      let last = Int(item[item.index(after: dash)...]) {
                guard first >= 1, first <= last, last <= count else {
                    throw problem("range \(item) is not inside 1…\(count); expected first ≤ last within the file's \(count) bands")
                }
                chosen += Array(first...last)
            } else {
                let wanted = BandSelection.canonical(item)
                guard let band = raster.bands.first(where: { BandSelection.canonical($0.name) == wanted || BandSelection.canonical($0.description) == wanted }) else {
                    let names = raster.bands.map(\.name).filter { !$0.isEmpty }
                    throw problem("no band named '\(item)'; expected " + (names.isEmpty ? "1-based indices (the file's \(count) bands have no names)" : "one of " + names.joined(separator: ", ")))
                }
                chosen.append(band.index)
            }
        }
        return chosen
    }

    /// The window `text` gives, checked to lie inside the raster, or the whole raster when nil.
    static func window(_ text: String?, of raster: GDALRaster) throws -> RasterWindow {
        guard let text else { return RasterWindow(x: 0, y: 0, width: raster.width, height: raster.height) }
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4, let x = numbers[0], let y = numbers[1], let w = numbers[2], let h = numbers[3],
              x >= 0, y >= 0, w >= 1, h >= 1 else {
            throw DataError.invalidArgument("\(raster.path): option window=\(text) is not x,y,w,h; expected four whole numbers: column and row of the top-left pixel (from 0), width and height (at least 1)")
        }
        // x + w ≤ width, written so that a huge w cannot overflow.
        guard w <= raster.width, x <= raster.width - w, h <= raster.height, y <= raster.height - h else {
            throw DataError.invalidArgument("\(raster.path): option window=\(text) runs outside the \(raster.width) × \(raster.height) raster; expected x + w ≤ \(raster.width) and y + h ≤ \(raster.height)")
        }
        return RasterWindow(x: x, y: y, width: w, height: h)
    }
}
