import Foundation
import SparkEngine
import SparkFormats

// SAR target chips (MSTAR-like): ten vehicle-like targets seen at any aspect over grass clutter.
//
// What is simulated (after Oliver & Quegan, "Understanding Synthetic Aperture Radar Images", 1998,
// and the point-scatterer models used for MSTAR ATR studies): each target is a set of point
// scatterers placed on a schematic vehicle — hull box corners and edges, turret, gun barrel, road
// wheels, dozer blade, cab and cargo box — with dimensions taken from the public length/width of
// the ten MSTAR SOC vehicles (2S1, BMP2, BRDM2, BTR60, BTR70, D7, T62, T72, ZIL131, ZSU234). These
// are schematic stand-ins with the real vehicles' proportions, not their radar signatures.
// Imaging: the radar looks from the top of the chip at 15° depression; the target is rotated to a
// random aspect (0–360°), heights are laid over towards the radar by h·tan 15°, and the ground
// behind the target (down-range) is shadowed over h·cot 15°. Each scatterer's amplitude depends on
// aspect — faces and edges "flash" when their normal points at the radar, corners are nearly
// isotropic — and carries a random phase; the chip is the coherent sum of their point-spread
// responses (a separable sinc of 0.3 m resolution at 0.2 m pixels with a Hann taper, mimicking
// the Taylor weighting of MSTAR). Clutter has a slowly varying texture and fully developed
// speckle: intensity × Gamma(L, 1/L) with L = 1…4 looks (the multiplicative product model); the
// shadow keeps only a noise floor. Magnitude = √intensity, 128 × 128 pixels (25.6 m).
// Why the classes differ, and where they overlap: the layouts differ in length, width, turret
// position, barrel length and wheels, but pairs are alike by design (T62/T72, BTR60/BTR70,
// 2S1/ZSU234), aspect changes which scatterers dominate, 10 % of scatterers drop out at random and
// amplitudes vary ±30 %, as articulation and occlusion do in real chips.
public struct SARChipGenerator: SyntheticGenerator {
    public var side: Int
    public init(side: Int = 128) { self.side = side }

    public static let classes = ["2S1", "BMP2", "BRDM2", "BTR60", "BTR70", "D7", "T62", "T72", "ZIL131", "ZSU234"]
    public var modality: Modality { .sar }
    public var labelDescription: [String] { Self.classes }

    static let pixelSpacing = 0.2       // metres per pixel
    static let resolution = 0.3         // metres (−3 dB width of the response)
    static let depression = 15.0 * Double.pi / 180

    /// One point scatterer in vehicle coordinates (x forward, y left, z up, metres).
    struct Scatterer {
        var x: Double, y: Double, z: Double
        var amplitude: Double
        /// Outward normal in the ground plane, or nil for a nearly isotropic corner.
        var normal: (Double, Double)?
    }

    /// Boxes (for layover and shadow heights) and scatterers of a vehicle.
    struct Layout {
        var scatterers: [Scatterer] = []
        var boxes: [(x: Double, y: Double, length: Double, width: Double, height: Double)] = []

        mutating func box(x: Double, y: Double = 0, length: Double, width: Double, bottom: Double, top: Double, strength: Double = 1) {
            boxes.append((x, y, length, width, top))
            let hx = length / 2, hy = width / 2
            for sx in [-1.0, 1.0] {
                for sy in [-1.0, 1.0] {
                    // Top corners, and bottom corners forming dihedrals with the ground (brighter).
                    scatterers.append(Scatterer(x: x + sx * hx, y: y + sy * hy, z: top, amplitude: 1.2 * strength, normal: nil))
                    scatterers.append(Scatterer(x: x + sx * hx, y: y + sy * hy, z: bottom, amplitude: (bottom < 0.3 ? 2.0 : 0.8) * strength, normal: nil))
                }
            }
            // Edges along the sides and the ends, which flash at broadside.
            var t = -hx + 0.6
            while t < hx - 0.3 {
                for sy in [-1.0, 1.0] { scatterers.append(Scatterer(x: x + t, y: y + sy * hy, z: top, amplitude: 0.7 * strength, normal: (0, sy))) }
                t += 0.6
            }
            t = -hy + 0.6
            while t < hy - 0.3 {
                for sx in [-1.0, 1.0] { scatterers.append(Scatterer(x: x + sx * hx, y: y + t, z: top, amplitude: 0.7 * strength, normal: (sx, 0))) }
                t += 0.6
            }
        }

        mutating func barrel(fromX: Double, y: Double = 0, length: Double, height: Double) {
            var t = 0.0
            while t <= length {
                scatterers.append(Scatterer(x: fromX + t, y: y, z: height, amplitude: t + 0.4 > length ? 1.4 : 0.5, normal: nil))
                t += 0.4
            }
        }

        mutating func wheels(at positions: [Double], halfWidth: Double) {
            for x in positions {
                for sy in [-1.0, 1.0] { scatterers.append(Scatterer(x: x, y: sy * halfWidth, z: 0.45, amplitude: 1.6, normal: (0, sy))) }
            }
        }
    }

    static func layout(_ name: String) -> Layout {
        var v = Layout()
        switch name {
        case "2S1":
            v.box(x: 0, length: 7.3, width: 2.85, bottom: 0.4, top: 1.5)
            v.box(x: -1.2, length: 2.2, width: 2.4, bottom: 1.5, top: 2.3)
            v.barrel(fromX: -0.1, length: 4.7, height: 2.0)
        case "BMP2":
            v.box(x: 0, length: 6.7, width: 3.15, bottom: 0.4, top: 1.4)
            v.box(x: 0.5, length: 1.6, width: 1.6, bottom: 1.4, top: 2.0)
            v.barrel(fromX: 1.3, length: 2.5, height: 1.8)
        case "BRDM2":
            v.box(x: 0, length: 5.75, width: 2.35, bottom: 0.4, top: 1.6)
            v.box(x: 0, length: 1.0, width: 1.0, bottom: 1.6, top: 2.1)
            v.barrel(fromX: 0.5, length: 0.8, height: 1.9)
            v.wheels(at: [-1.6, 1.6], halfWidth: 1.15)
        case "BTR60":
            v.box(x: 0, length: 7.56, width: 2.83, bottom: 0.5, top: 1.8)
            v.wheels(at: [-2.5, -1.2, 0.6, 1.9], halfWidth: 1.4)
        case "BTR70":
            v.box(x: 0, length: 7.54, width: 2.8, bottom: 0.5, top: 1.8)
            v.box(x: 1.2, length: 0.9, width: 0.9, bottom: 1.8, top: 2.3)
            v.barrel(fromX: 1.65, length: 1.2, height: 2.1)
            v.wheels(at: [-2.5, -1.2, 0.6, 1.9], halfWidth: 1.4)
        case "D7":
            v.box(x: -0.4, length: 4.9, width: 2.5, bottom: 0.3, top: 2.0)
            v.box(x: -1.8, length: 1.5, width: 1.5, bottom: 2.0, top: 3.2)
            v.box(x: 2.6, length: 0.4, width: 3.7, bottom: 0.0, top: 1.3, strength: 1.6)
        case "T62":
            v.box(x: 0, length: 6.63, width: 3.3, bottom: 0.4, top: 1.3)
            v.box(x: 0.3, length: 2.4, width: 2.4, bottom: 1.3, top: 2.2)
            v.barrel(fromX: 1.5, length: 5.5, height: 1.9)
        case "T72":
            v.box(x: 0, length: 6.95, width: 3.6, bottom: 0.4, top: 1.3)
            v.box(x: 0.0, length: 2.5, width: 2.6, bottom: 1.3, top: 2.2)
            v.barrel(fromX: 1.25, length: 6.0, height: 1.9)
            v.box(x: 0, length: 5.6, width: 3.7, bottom: 0.5, top: 0.9, strength: 0.6)  // side skirts
        case "ZIL131":
            v.box(x: -0.85, length: 5.3, width: 2.5, bottom: 1.0, top: 2.3)
            v.box(x: 2.5, length: 1.0, width: 2.3, bottom: 1.0, top: 2.5)
            v.box(x: 3.25, length: 0.5, width: 2.0, bottom: 1.0, top: 1.5)
            v.wheels(at: [2.8, -1.5, -2.8], halfWidth: 1.2)
        default:  // ZSU234
            v.box(x: 0, length: 6.5, width: 3.1, bottom: 0.4, top: 1.3)
            v.box(x: 0, length: 2.8, width: 2.6, bottom: 1.3, top: 2.3)
            for (y, z) in [(-0.8, 2.1), (-0.5, 2.4), (0.5, 2.4), (0.8, 2.1)] { v.barrel(fromX: 1.4, y: y, length: 2.0, height: z) }
        }
        return v
    }

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let source = GeneratedImageSamples.source(.sar, count: count, seed: seed, model: "point-scatterer targets, Gamma speckle clutter")
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            let name = Self.classes[index % Self.classes.count]
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            let aspect = random.uniform(0, 360)
            let magnitude = chip(Self.layout(name), aspectDegrees: aspect, &random)
            // Alternate the two formats the loader reads: NPY float32 magnitude, 16-bit PNG.
            let asPNG = index % 2 == 1
            let file = String(format: "synth_sar_%02d.%@", index, asPNG ? "png" : "npy")
            let path = GeneratedImageSamples.path(directory, file)
            if asPNG {
                let peak = max(magnitude.max() ?? 1, 1e-12)
                let samples = magnitude.map { UInt16((Double($0) / Double(peak) * 65535).rounded()) }
                try GeneratedImageSamples.writePNG(RasterImage(width: side, height: side, channels: 1, bitDepth: 16, samples: samples), to: path)
            } else {
                try NumpyInput.write(NumpyArray(shape: [side, side], floats: magnitude), to: path)
            }
            written.append(path)
            entries.append(SampleCatalog.Entry(file: file, title: String(format: "generated %@-like target at %.0f° aspect", name, aspect),
                                               source: source, licence: GeneratedImageSamples.licence, generated: true,
                                               label: .init(class: name)))
        }
        written.append(try GeneratedImageSamples.writeLabels(Self.classes, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    /// The magnitude chip (row-major, side × side) of `layout` at `aspectDegrees`.
    func chip(_ layout: Layout, aspectDegrees: Double, _ random: inout DeterministicRandom) -> [Float] {
        let n = side
        let theta = aspectDegrees * Double.pi / 180
        let (cosT, sinT) = (cos(theta), sin(theta))
        let centre = Double(n) / 2 + random.uniform(-5, 5)
        let centreY = Double(n) / 2 + random.uniform(-5, 5)
        let tanDepression = tan(Self.depression)
        // Ground plane → pixels: x to the right, y down-range (the radar is above the chip).
        func toPixel(_ x: Double, _ y: Double, _ z: Double) -> (Double, Double) {
            let gx = x * cosT - y * sinT, gy = x * sinT + y * cosT
            return (centre + gx / Self.pixelSpacing, centreY + (gy - z * tanDepression) / Self.pixelSpacing)
        }

        // Coherent sum of the scatterers' point-spread responses.
        var real = [Double](repeating: 0, count: n * n), imaginary = [Double](repeating: 0, count: n * n)
        let width = Self.resolution / Self.pixelSpacing / 0.886  // sinc main lobe −3 dB width is 0.886 of its scale
        let reach = 8
        for s in layout.scatterers {
            if random.chance(0.1) { continue }  // occluded or articulated away
            var amplitude = s.amplitude * random.uniform(0.7, 1.3)
            if let (nx, ny) = s.normal {
                // Facing the radar means pointing towards −y (up the chip).
                let facing = -(nx * sinT + ny * cosT)
                amplitude *= 0.12 + 0.88 * pow(max(0, facing), 4)
            }
            let phase = random.uniform(0, 2 * Double.pi)
            let (px, py) = toPixel(s.x, s.y, s.z)
            let x0 = Int(px.rounded()), y0 = Int(py.rounded())
            let xLow = max(0, x0 - reach), xHigh = min(n, x0 + reach + 1)
            let yLow = max(0, y0 - reach), yHigh = min(n, y0 + reach + 1)
            guard xLow < xHigh, yLow < yHigh else { continue }  // response entirely off the chip
            for y in yLow..<yHigh {
                let wy = Self.taperedSinc((Double(y) - py) / width, Double(y) - py, Double(reach + 1))
                for x in xLow..<xHigh {
                    let w = amplitude * wy * Self.taperedSinc((Double(x) - px) / width, Double(x) - px, Double(reach + 1))
                    real[y * n + x] += w * cos(phase)
                    imaginary[y * n + x] += w * sin(phase)
                }
            }
        }

        // Radar shadow: sweep each column down-range, carrying the height of the shadow ray.
        var groundHeight = [Double](repeating: 0, count: n * n)
        for b in layout.boxes {
            let corners = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map { toPixel(b.x + $0.0 * b.length / 2, b.y + $0.1 * b.width / 2, 0) }
            let minX = max(0, Int(corners.map(\.0).min()!)), maxX = min(n - 1, Int(corners.map(\.0).max()!) + 1)
            let minY = max(0, Int(corners.map(\.1).min()!)), maxY = min(n - 1, Int(corners.map(\.1).max()!) + 1)
            guard minX <= maxX, minY <= maxY else { continue }
            for y in minY...maxY {
                for x in minX...maxX where Self.inside(Double(x), Double(y), corners) {
                    groundHeight[y * n + x] = max(groundHeight[y * n + x], b.height)
                }
            }
        }
        var shadowed = [Bool](repeating: false, count: n * n)
        let drop = Self.pixelSpacing * tanDepression
        for x in 0..<n {
            var ray = 0.0
            for y in 0..<n {
                let h = groundHeight[y * n + x]
                if ray > h + 0.05 && h == 0 { shadowed[y * n + x] = true }
                ray = max(ray - drop, h)
            }
        }

        // Clutter with texture and speckle; the target's coherent response on top.
        let noise = ValueNoise(seed: random.next())
        let clutterMean = random.uniform(0.008, 0.03), looks = Double(1 + random.integer(below: 4))
        var magnitude = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                let i = y * n + x
                let texture = 0.6 + 0.8 * noise.fractal(Double(x), Double(y), scale: 24, octaves: 3)
                let clutter = (shadowed[i] ? 0.04 : 1) * clutterMean * texture * random.gamma(shape: looks) / looks
                let target = real[i] * real[i] + imaginary[i] * imaginary[i]
                magnitude[i] = Float((target + clutter + 1e-5).squareRoot())
            }
        }
        return magnitude
    }

    /// sinc(u) with a Hann taper over ±`half` pixels.
    static func taperedSinc(_ u: Double, _ offset: Double, _ half: Double) -> Double {
        let sinc = abs(u) < 1e-9 ? 1 : sin(Double.pi * u) / (Double.pi * u)
        let taper = abs(offset) >= half ? 0 : 0.5 * (1 + cos(Double.pi * offset / half))
        return sinc * taper
    }

    /// Whether (x, y) lies inside the convex quadrilateral `corners` (in order).
    static func inside(_ x: Double, _ y: Double, _ corners: [(Double, Double)]) -> Bool {
        var sign = 0.0
        for k in 0..<corners.count {
            let (ax, ay) = corners[k], (bx, by) = corners[(k + 1) % corners.count]
            let cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
            if cross != 0 {
                if sign == 0 { sign = cross } else if (cross > 0) != (sign > 0) { return false }
            }
        }
        return true
    }
}
