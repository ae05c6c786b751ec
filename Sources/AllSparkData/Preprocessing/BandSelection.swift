import SparkEngine

/// Choosing bands of a multispectral image `[bands, H, W]`, by index or by name (the names of the
/// band sidecar, e.g. Sentinel-2's "B02"…"B12"), keeping names and wavelengths in step.
public enum BandSelection {
    public struct Bands: Sendable, Equatable {
        public var tensor: Tensor
        public var names: [String]
        public var wavelengths: [Float]
    }

    /// Bands `indices` (in the order given; repeats allowed).
    public static func select(_ tensor: Tensor, names: [String] = [], wavelengths: [Float] = [], indices: [Int]) throws -> Bands {
        guard tensor.rank == 3 else {
            throw DataError.invalidArgument("band selection from a tensor shaped \(tensor.shape); expected [bands, height, width]")
        }
        let bands = tensor.dim(0), plane = tensor.dim(1) * tensor.dim(2)
        guard !indices.isEmpty else {
            throw DataError.invalidArgument("band selection of no bands; expected at least one band index")
        }
        for index in indices where index < 0 || index >= bands {
            throw DataError.invalidArgument("band index \(index) of an image with \(bands) bands; expected 0..<\(bands)")
        }
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * plane)
        for index in indices { scalars += tensor.scalars[(index * plane)..<((index + 1) * plane)] }
        return Bands(tensor: Tensor(shape: [indices.count, tensor.dim(1), tensor.dim(2)], scalars: scalars),
                     names: names.count == bands ? indices.map { names[$0] } : [],
                     wavelengths: wavelengths.count == bands ? indices.map { wavelengths[$0] } : [])
    }

    /// Bands named `wanted` (case-insensitive; "B8A" and "B08A" style both match when the names
    /// are Sentinel-2 style).
    public static func select(_ tensor: Tensor, names: [String], wavelengths: [Float] = [], named wanted: [String]) throws -> Bands {
        guard names.count == tensor.dim(0) else {
            throw DataError.invalidArgument("band selection by name from an image without band names; expected a band sidecar with \(tensor.dim(0)) names")
        }
        let normalised = names.map(canonical)
        let indices = try wanted.map { name -> Int in
            guard let index = normalised.firstIndex(of: canonical(name)) else {
                throw DataError.invalidArgument("no band named '\(name)'; expected one of " + names.joined(separator: ", "))
            }
            return index
        }
        return try select(tensor, names: names, wavelengths: wavelengths, indices: indices)
    }

    /// "b8a", "B08A" → "B8A"; other names upper-cased.
    static func canonical(_ name: String) -> String {
        var text = name.uppercased()
        if text.hasPrefix("B"), let digits = text.dropFirst().first, digits == "0", text.count > 2 {
            text = "B" + text.dropFirst(2)
        }
        return text
    }

    /// The band whose centre wavelength is nearest `nanometres`.
    public static func nearestBand(to nanometres: Float, wavelengths: [Float]) -> Int? {
        wavelengths.indices.min { abs(wavelengths[$0] - nanometres) < abs(wavelengths[$1] - nanometres) }
    }
}
