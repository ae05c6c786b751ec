import SparkEngine

/// Several images side by side, one column apart (infrared query and gallery, oblique views,
/// video frames), each scaled to an equal share of the width.
public enum ImageStripPreview {
    /// Narrowest useful tile, in cells.
    static let minimumTileWidth = 12

    /// How many of `count` images fit side by side in `width` cells.
    public static func capacity(count: Int, width: Int) -> Int {
        max(1, min(count, (width + 1) / (minimumTileWidth + 1)))
    }

    public static func rows(_ images: [Tensor], options: Preview.Options) -> [[Preview.Cell]] {
        let shown = Array(images.prefix(capacity(count: images.count, width: options.width)))
        guard !shown.isEmpty else { return [] }
        let tileWidth = max(1, (options.width - (shown.count - 1)) / shown.count)
        var tileOptions = options
        tileOptions.width = tileWidth
        let tiles = shown.map { RasterPreview.rows($0, options: tileOptions) }
        let height = tiles.map(\.count).max() ?? 0
        var rows: [[Preview.Cell]] = Array(repeating: [], count: height)
        for (t, tile) in tiles.enumerated() {
            for r in 0..<height {
                if t > 0 { rows[r].append(.blank) }
                let line = r < tile.count ? tile[r] : []
                rows[r] += line + Array(repeating: Preview.Cell.blank, count: max(0, tileWidth - line.count))
            }
        }
        return rows
    }
}
