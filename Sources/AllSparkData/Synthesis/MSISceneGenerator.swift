import Foundation
import SparkEngine
import SparkFormats

// Sentinel-2-like 13-band multispectral patches of the ten EuroSAT land-cover classes.
//
// What is simulated: a 64 × 64 patch at 10 m (EuroSAT's size) as a per-pixel linear mixture of
// material reflectance spectra (`SpectralLibrary`: vegetation with its red edge, conifer forest,
// dry grass, soil, water, asphalt, concrete, roof tiles, metal roofs), averaged over each
// Sentinel-2 MSI band (centre and width from ESA's Sentinel-2 User Handbook: B01 443 nm … B12
// 2190 nm). Each class has its own layout of abundances — parcels of crop and soil with row
// stripes (AnnualCrop), textured canopy (Forest), patchy grass/shrub/soil (HerbaceousVegetation),
// a paved road across vegetation (Highway), large roofs and paved lots (Industrial), smooth grass
// (Pasture), orchard rows over soil (PermanentCrop), houses, gardens and streets (Residential), a
// water band (River), open water (SeaLake). Then, as in Level-1C top-of-atmosphere data:
// Rayleigh path reflectance ∝ λ⁻⁴ is added and the surface signal attenuated, strongly in B09
// (water vapour, 945 nm) and almost completely in B10 (cirrus band, 1375 nm); the 20 m bands are
// averaged over 2 × 2 pixels and the 60 m bands over 6 × 6 (EuroSAT resampled them to 10 m);
// sensor noise σ ≈ 0.003; values are stored as uint16 digital numbers = reflectance × 10000 (the
// L1C quantification), with a sidecar naming the bands and their wavelengths.
// Why the classes differ, and where they overlap: spectra separate vegetation, soil, water and
// built-up surfaces, layouts separate classes made of the same materials (AnnualCrop vs
// PermanentCrop vs Pasture; Highway vs Residential vs Industrial; River vs SeaLake). Vegetation
// vigour, soil brightness, illumination (×0.85–1.15) and layouts vary per patch, and mixtures at
// 10 m blur the boundaries — HerbaceousVegetation vs Pasture and River vs SeaLake stay confusable.
public struct MSISceneGenerator: SyntheticGenerator {
    public var side: Int
    public init(side: Int = 64) { self.side = side }

    public static let classes = ["AnnualCrop", "Forest", "HerbaceousVegetation", "Highway", "Industrial",
                                 "Pasture", "PermanentCrop", "Residential", "River", "SeaLake"]
    public var modality: Modality { .msi }
    public var labelDescription: [String] { Self.classes }

    /// Sentinel-2A MSI bands: name, centre wavelength (nm), bandwidth (nm), native resolution (m).
    public static let bands: [(name: String, centre: Double, width: Double, metres: Int)] = [
        ("B01", 443, 21, 60), ("B02", 490, 66, 10), ("B03", 560, 36, 10), ("B04", 665, 31, 10),
        ("B05", 705, 15, 20), ("B06", 740, 15, 20), ("B07", 783, 20, 20), ("B08", 842, 106, 10),
        ("B8A", 865, 21, 20), ("B09", 945, 20, 60), ("B10", 1375, 31, 60), ("B11", 1610, 91, 20), ("B12", 2190, 175, 20),
    ]

    typealias Material = SpectralLibrary.Material

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let source = GeneratedImageSamples.source(.msi, count: count, seed: seed, model: "13-band mixtures of material spectra")
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            let name = Self.classes[index % Self.classes.count]
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            let reflectance = patch(name, &random)
            let file = String(format: "synth_msi_%02d.npy", index)
            let path = GeneratedImageSamples.path(directory, file)
            let numbers = reflectance.map { UInt16(min(max(($0 * 10000).rounded(), 0), 65535)) }
            try NumpyInput.write(NumpyArray(shape: [Self.bands.count, side, side], values: .uint16(numbers)), to: path)
            try BandSidecar(bands: Self.bands.map(\.name), wavelengths: Self.bands.map { Float($0.centre) }).write(for: path)
            written += [path, BandSidecar.path(for: path)]
            entries.append(SampleCatalog.Entry(file: file, title: "generated Sentinel-2-like \(name) patch",
                                               source: source, licence: GeneratedImageSamples.licence, generated: true,
                                               label: .init(class: name)))
        }
        written.append(try GeneratedImageSamples.writeLabels(Self.classes, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    /// Top-of-atmosphere reflectance `[13, side, side]`, row-major.
    func patch(_ name: String, _ random: inout DeterministicRandom) -> [Float] {
        let n = side, materials = Material.allCases.count
        let noise = ValueNoise(seed: random.next())
        // Abundances: materials × pixels, filled by the class layout.
        var abundance = [Double](repeating: 0, count: materials * n * n)
        func set(_ x: Int, _ y: Int, _ mixture: [(Material, Double)]) {
            let total = mixture.map(\.1).reduce(0, +)
            for (m, w) in mixture { abundance[m.rawValue * n * n + y * n + x] += w / max(total, 1e-9) }
        }
        let vigour = random.uniform(0.6, 1.0)
        let angle = random.uniform(0, Double.pi)
        func rotated(_ x: Int, _ y: Int) -> (Double, Double) {
            let cx = Double(x) - Double(n) / 2, cy = Double(y) - Double(n) / 2
            return (cx * cos(angle) + cy * sin(angle), -cx * sin(angle) + cy * cos(angle))
        }
        let fieldSeed = random.next()
        let period = random.uniform(3, 6), width = random.uniform(1.5, 4), offset = random.uniform(-12, 12)
        let blockSize = random.uniform(6, 12), amplitude = random.uniform(2, 10)
        for y in 0..<n {
            for x in 0..<n {
                let (u, v) = rotated(x, y)
                let patchy = noise.fractal(Double(x), Double(y), scale: 14, octaves: 3)
                let fine = noise.value(Double(x) / 2, Double(y) / 2)
                let background: [(Material, Double)] = [(.vegetation, 0.6 * patchy + 0.2), (.dryGrass, 0.5 * (1 - patchy)), (.soil, 0.15)]
                switch name {
                case "AnnualCrop":
                    let field = ValueNoise(seed: fieldSeed).lattice(Int((u / 14).rounded(.down)), Int((v / 20).rounded(.down)))
                    let green = field * vigour * (0.8 + 0.2 * sin(2 * Double.pi * u / period))
                    set(x, y, [(.vegetation, green), (.soil, 1 - green), (.dryGrass, 0.1)])
                case "Forest":
                    let canopy = noise.fractal(Double(x), Double(y), scale: 4, octaves: 2)
                    set(x, y, [(.conifer, 0.5 + 0.5 * patchy), (.vegetation, 0.4 * (1 - patchy)), (.soil, canopy < 0.3 ? 0.15 : 0)])
                case "HerbaceousVegetation":
                    set(x, y, [(.vegetation, 0.3 + 0.5 * fine * vigour), (.dryGrass, 0.5 * patchy), (.soil, 0.35 * (1 - patchy)), (.conifer, fine > 0.8 ? 0.3 : 0)])
                case "Highway":
                    let distance = abs(v - offset - 3 * sin(u / 25))
                    if distance < width { set(x, y, [(.asphalt, 0.85), (.concrete, 0.15)]) }
                    else if distance < width + 1.2 { set(x, y, [(.concrete, 0.5)] + background) }
                    else { set(x, y, background) }
                case "Industrial":
                    let block = ValueNoise(seed: fieldSeed).lattice(Int((u / (2 * blockSize)).rounded(.down)), Int((v / (2 * blockSize)).rounded(.down)))
                    if block < 0.4 { set(x, y, [(.metalRoof, 0.8), (.concrete, 0.2)]) }
                    else if block < 0.75 { set(x, y, [(.concrete, 0.7), (.asphalt, 0.3)]) }
                    else { set(x, y, [(.asphalt, 0.7), (.vegetation, 0.2 * patchy), (.soil, 0.1)]) }
                case "Pasture":
                    set(x, y, [(.vegetation, 0.55 + 0.3 * vigour * patchy), (.dryGrass, 0.35 * (1 - patchy)), (.soil, 0.05)])
                case "PermanentCrop":
                    let row = 0.5 + 0.5 * cos(2 * Double.pi * v / period), tree = 0.5 + 0.5 * cos(2 * Double.pi * u / period)
                    let canopy = pow(row * tree, 2) * vigour
                    set(x, y, [(.vegetation, canopy), (.soil, 0.7 * (1 - canopy)), (.dryGrass, 0.3 * (1 - canopy))])
                case "Residential":
                    let street = abs(u.truncatingRemainder(dividingBy: blockSize)) < 1.2 || abs(v.truncatingRemainder(dividingBy: blockSize)) < 1.2
                    let lot = ValueNoise(seed: fieldSeed).lattice(Int((u / 3).rounded(.down)), Int((v / 3).rounded(.down)))
                    if street { set(x, y, [(.asphalt, 0.7), (.concrete, 0.3)]) }
                    else if lot < 0.45 { set(x, y, [(.roofTile, 0.6), (.concrete, 0.3), (.vegetation, 0.1)]) }
                    else { set(x, y, [(.vegetation, 0.6), (.dryGrass, 0.2), (.concrete, 0.2)]) }
                case "River":
                    let distance = abs(v - offset - amplitude * sin(u / 12 + patchy))
                    set(x, y, distance < width + 1 ? [(.water, 0.9), (.soil, 0.1)] : background)
                default:  // SeaLake
                    let shore = v - offset - 18 - amplitude * (patchy - 0.5)
                    set(x, y, shore < 0 || offset < -6 ? [(.water, 0.95 + 0.05 * fine), (.vegetation, 0.02)] : background)
                }
            }
        }

        // Band reflectance: mixture × illumination, then the atmosphere, resolution and noise.
        let illumination = random.uniform(0.85, 1.15)
        let library = Material.allCases.map { m in Self.bands.map { SpectralLibrary.band(m, centre: $0.centre, width: $0.width) } }
        var bands = [Float](repeating: 0, count: Self.bands.count * n * n)
        for (b, band) in Self.bands.enumerated() {
            let rayleigh = 0.08 * pow(443 / band.centre, 4)
            let transmittance = band.name == "B10" ? 0.03 : (band.name == "B09" ? 0.35 : 0.9)
            var plane = [Double](repeating: 0, count: n * n)
            for i in 0..<(n * n) {
                var surface = 0.0
                for m in 0..<materials { surface += abundance[m * n * n + i] * library[m][b] }
                plane[i] = surface * illumination * transmittance + rayleigh
            }
            plane = Self.blockAverage(plane, side: n, block: band.metres / 10)
            for i in 0..<(n * n) { bands[b * n * n + i] = Float(plane[i] + random.normal() * 0.003) }
        }
        return bands
    }

    /// Each `block × block` square replaced by its mean (a coarser band resampled to 10 m).
    static func blockAverage(_ plane: [Double], side n: Int, block: Int) -> [Double] {
        guard block > 1 else { return plane }
        var out = plane
        for by in stride(from: 0, to: n, by: block) {
            for bx in stride(from: 0, to: n, by: block) {
                let ys = by..<min(by + block, n), xs = bx..<min(bx + block, n)
                var sum = 0.0
                for y in ys { for x in xs { sum += plane[y * n + x] } }
                let mean = sum / Double(ys.count * xs.count)
                for y in ys { for x in xs { out[y * n + x] = mean } }
            }
        }
        return out
    }
}
