import Foundation
import SparkEngine
import SparkFormats

// Hyperspectral pixels like those of the ROSIS sensor over Pavia University: 103 bands from 430
// to 860 nm, nine classes (asphalt, meadows, gravel, trees, painted metal sheets, bare soil,
// bitumen, self-blocking bricks, shadows).
//
// What is simulated: each pixel is a linear mixture of endmember spectra (`SpectralLibrary`,
// Keshava & Mustard, "Spectral unmixing", IEEE SPM 2002) — the class's own material with abundance
// 0.6–1 and one or two neighbouring materials for the rest (meadows with soil, asphalt with
// bitumen, bricks with gravel …, as mixed pixels at 1.3 m are). Endmember variability: each
// spectrum is scaled by N(1, 0.08) and tilted by N(0, 0.04) across the range, as moisture,
// ageing and view angle do. Illumination scales the pixel by 0.75–1.15; shadows are any urban
// material lit only by diffuse skylight (×0.08–0.25 with a blue-weighted λ⁻² tint). Sensor noise
// is Gaussian, σ = 0.003 rising to 0.009 at the ends of the range, where ROSIS's signal-to-noise
// ratio falls.
// Outputs: samples cycle through the classes and three formats — an NPY spectrum (103,) with a
// wavelength sidecar, a CSV spectrum with a wavelength header row, and an 8 × 8 × 103 NPY cube
// (the class in a central region, other classes around it) whose index entry picks a central
// pixel with the `row`/`col` options.
// Why the classes differ, and where they overlap: the spectra separate vegetation from built and
// bare surfaces, but asphalt/bitumen, gravel/bricks/bare soil and meadows/trees differ only in
// level and slope, which illumination and variability blur — the confusions seen on Pavia.
public struct HSISpectrumGenerator: SyntheticGenerator {
    public init() {}

    public static let classes = ["Asphalt", "Meadows", "Gravel", "Trees", "Painted metal sheets", "Bare Soil", "Bitumen", "Self-Blocking Bricks", "Shadows"]
    public var modality: Modality { .hsi }
    public var labelDescription: [String] { Self.classes }

    /// ROSIS: 103 bands spaced evenly from 430 to 860 nm.
    public static let wavelengths: [Double] = (0..<103).map { 430 + Double($0) * 430 / 102 }

    typealias Material = SpectralLibrary.Material

    /// The class's material and its likely neighbours in a mixed pixel.
    static func materials(_ classIndex: Int) -> (Material, [Material]) {
        switch classIndex {
        case 0: return (.asphalt, [.bitumen, .concrete, .gravel])
        case 1: return (.vegetation, [.soil, .dryGrass, .conifer])
        case 2: return (.gravel, [.soil, .bricks, .asphalt])
        case 3: return (.conifer, [.vegetation, .soil])
        case 4: return (.paintedMetal, [.concrete, .asphalt])
        case 5: return (.soil, [.dryGrass, .vegetation, .gravel])
        case 6: return (.bitumen, [.asphalt, .concrete])
        case 7: return (.bricks, [.gravel, .concrete, .soil])
        default: return (.asphalt, [.concrete, .bricks, .gravel, .bitumen])  // shadowed urban surfaces
        }
    }

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let source = GeneratedImageSamples.source(.hsi, count: count, seed: seed, model: "ROSIS-like endmember mixtures")
        let wavelengths = Self.wavelengths.map { Float($0) }
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            let classIndex = index % Self.classes.count
            let name = Self.classes[classIndex]
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            var entry = SampleCatalog.Entry(file: "", title: "generated \(name.lowercased()) pixel", source: source,
                                            licence: GeneratedImageSamples.licence, generated: true, label: .init(class: name))
            switch index % 3 {
            case 0:
                entry.file = String(format: "synth_hsi_%02d.npy", index)
                let path = GeneratedImageSamples.path(directory, entry.file)
                try NumpyInput.write(NumpyArray(shape: [Self.wavelengths.count], floats: spectrum(classIndex, &random)), to: path)
                try BandSidecar(wavelengths: wavelengths).write(for: path)
                written += [path, BandSidecar.path(for: path)]
            case 1:
                entry.file = String(format: "synth_hsi_%02d.csv", index)
                let path = GeneratedImageSamples.path(directory, entry.file)
                let values = spectrum(classIndex, &random)
                let text = wavelengths.map { String(format: "%.1fnm", $0) }.joined(separator: ",") + "\n"
                    + values.map { String(format: "%.5f", $0) }.joined(separator: ",") + "\n"
                try GeneratedImageSamples.write(Array(text.utf8), to: path)
                written.append(path)
            default:
                entry.file = String(format: "synth_hsi_%02d_cube.npy", index)
                let path = GeneratedImageSamples.path(directory, entry.file)
                let (cube, row, col) = self.cube(classIndex, side: 8, &random)
                try NumpyInput.write(NumpyArray(shape: [8, 8, Self.wavelengths.count], floats: cube), to: path)
                try BandSidecar(wavelengths: wavelengths).write(for: path)
                written += [path, BandSidecar.path(for: path)]
                entry.options = ["row": String(row), "col": String(col)]
                entry.title = "generated \(name.lowercased()) pixel (\(row), \(col)) of a small scene"
            }
            entries.append(entry)
        }
        written.append(try GeneratedImageSamples.writeLabels(Self.classes, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    /// One pixel's spectrum for class `classIndex`.
    func spectrum(_ classIndex: Int, _ random: inout DeterministicRandom) -> [Float] {
        let (main, neighbours) = Self.materials(classIndex)
        var parts: [(Material, Double)] = [(main, random.uniform(0.6, 1.0))]
        let rest = 1 - parts[0].1
        let mixedWith = 1 + random.integer(below: 2)
        for _ in 0..<mixedWith { parts.append((random.pick(neighbours), rest / Double(mixedWith))) }
        let variability = parts.map { _ in (random.normal(mean: 1, deviation: 0.08), random.normal(mean: 0, deviation: 0.04)) }
        let isShadow = classIndex == 8
        let illumination = isShadow ? random.uniform(0.08, 0.25) : random.uniform(0.75, 1.15)
        return Self.wavelengths.map { nm in
            let position = (nm - 645) / 215  // −1 … 1 across the range
            var value = 0.0
            for ((material, weight), (gain, tilt)) in zip(parts, variability) {
                value += weight * SpectralLibrary.reflectance(material, at: nm) * gain * (1 + tilt * position)
            }
            if isShadow { value *= pow(430 / nm, 2) * 1.6 }  // diffuse skylight is bluer than sunlight
            value *= illumination
            let sigma = 0.003 * (1 + 2 * position * position)
            return Float(value + random.normal() * sigma)
        }
    }

    /// An `side × side × 103` cube whose central region is `classIndex` and whose border regions
    /// are other classes; returns the pixel to pick (inside the central region).
    func cube(_ classIndex: Int, side: Int, _ random: inout DeterministicRandom) -> ([Float], Int, Int) {
        let others = (0..<3).map { _ in (classIndex + 1 + random.integer(below: Self.classes.count - 1)) % Self.classes.count }
        let centreRadius = random.uniform(2, 3.2)
        let cx = Double(side) / 2 + random.uniform(-0.8, 0.8), cy = Double(side) / 2 + random.uniform(-0.8, 0.8)
        var cube: [Float] = []
        cube.reserveCapacity(side * side * Self.wavelengths.count)
        for y in 0..<side {
            for x in 0..<side {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                let pixelClass: Int
                if hypot(dx, dy) < centreRadius { pixelClass = classIndex } else {
                    let sector = Int(((atan2(dy, dx) + Double.pi) / (2 * Double.pi) * 3).rounded(.down)) % 3
                    pixelClass = others[sector]
                }
                cube += spectrum(pixelClass, &random)
            }
        }
        return (cube, Int(cy.rounded(.down)), Int(cx.rounded(.down)))
    }
}
