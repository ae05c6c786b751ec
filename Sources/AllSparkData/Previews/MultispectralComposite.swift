import SparkEngine

/// A displayable RGB picture of multispectral bands: the bands nearest red (665 nm), green (560 nm)
/// and blue (490 nm) — true colour for Sentinel-2 — each stretched between its 2nd and 98th
/// percentile, as remote-sensing viewers do (reflectances are far below 1).
public enum MultispectralComposite {
    public static func rgb(_ bands: Tensor, wavelengths: [Float]) -> Tensor {
        guard bands.rank == 3, bands.dim(0) > 0 else { return bands }
        let count = bands.dim(0)
        let indices: [Int]
        if wavelengths.count == count {
            indices = [665, 560, 490].map { BandSelection.nearestBand(to: $0, wavelengths: wavelengths) ?? 0 }
        } else if count == 13 {
            indices = [3, 2, 1]  // Sentinel-2 order B01…B12 with B8A: B04, B03, B02
        } else {
            indices = [min(2, count - 1), min(1, count - 1), 0]
        }
        let plane = bands.dim(1) * bands.dim(2)
        var scalars: [Float] = []
        for index in indices {
            let band = Array(bands.scalars[(index * plane)..<((index + 1) * plane)])
            scalars += stretch(band)
        }
        return Tensor(shape: [3, bands.dim(1), bands.dim(2)], scalars: scalars)
    }

    /// Linear stretch of the 2nd–98th percentile range to [0, 1].
    static func stretch(_ values: [Float]) -> [Float] {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first else { return values.map { _ in 0 } }
        let low = sorted[sorted.count * 2 / 100], high = sorted[min(sorted.count - 1, sorted.count * 98 / 100)]
        let range = high - low
        guard range > 0 else { return values.map { _ in first > 0 ? 0.5 : 0 } }
        return values.map { min(max(($0 - low) / range, 0), 1) }
    }
}
