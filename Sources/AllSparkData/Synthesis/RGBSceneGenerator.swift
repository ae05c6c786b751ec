import Foundation

// Procedural land-cover scenes seen from above (NWPU-RESISC45-like RGB aerial tiles).
//
// What is simulated: an orthophoto of one land-cover class per tile, built from the cues that
// aerial-scene classifiers rely on — the class's colour statistics (vegetation greens, water blues,
// sand and roof colours, after e.g. the USGS/ASTER spectral libraries sampled at red/green/blue),
// its texture scale (tree crowns of 5–9 px, dune wavelengths of 10–25 px, house lots of 6–10 px at
// roughly 0.5–1 m per pixel), and its layout (compact water bodies for lakes, a meandering band
// for rivers, rectangular parcels for farmland, a street grid for dense residential areas, a
// shoreline with surf for beaches).
// Parameters drawn per tile: orientation, scale, colours (jittered around class means), layout
// positions, sun-shadow strength, illumination (×0.85–1.15), atmospheric haze (0–12 % blend to
// sky colour) and sensor noise (σ = 0.012).
// Why the classes differ, and where they overlap: forest and meadow share greens and differ in
// texture scale and brightness; lake and river share water and differ in shape; farmland, desert
// and beach share soil/sand tones and differ in geometry. Clearings in forests, tree clumps in
// meadows, vegetation around water and random haze keep the classes from being separable by mean
// colour alone. The noise model is value noise (Perlin, "An image synthesizer", SIGGRAPH 1985,
// in its lattice-value form) summed over octaves.
public struct RGBSceneGenerator: SyntheticGenerator {
    /// Tile side in pixels.
    public var side: Int

    public init(side: Int = 128) { self.side = side }

    public static let classes = ["forest", "meadow", "lake", "river", "rectangular_farmland", "dense_residential", "desert", "beach"]
    public var modality: Modality { .rgb }
    public var labelDescription: [String] { Self.classes }

    typealias RGB = (r: Float, g: Float, b: Float)

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let source = GeneratedImageSamples.source(.rgb, count: count, seed: seed, model: "procedural land-cover scenes")
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            let name = Self.classes[index % Self.classes.count]
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            let canvas = render(name, &random)
            let file = String(format: "synth_rgb_%02d.png", index)
            let path = GeneratedImageSamples.path(directory, file)
            try GeneratedImageSamples.writePNG(canvas.raster(), to: path)
            written.append(path)
            entries.append(SampleCatalog.Entry(file: file, title: "generated \(name.replacingOccurrences(of: "_", with: " ")) scene",
                                               source: source, licence: GeneratedImageSamples.licence, generated: true,
                                               label: .init(class: name)))
        }
        written.append(try GeneratedImageSamples.writeLabels(Self.classes, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    func render(_ name: String, _ random: inout DeterministicRandom) -> Canvas {
        var canvas = Canvas(width: side, height: side)
        let noise = ValueNoise(seed: random.next())
        switch name {
        case "forest": forest(&canvas, noise, &random)
        case "meadow": meadow(&canvas, noise, &random)
        case "lake": lake(&canvas, noise, &random)
        case "river": river(&canvas, noise, &random)
        case "rectangular_farmland": farmland(&canvas, noise, &random)
        case "dense_residential": residential(&canvas, noise, &random)
        case "desert": desert(&canvas, noise, &random)
        default: beach(&canvas, noise, &random)
        }
        finish(&canvas, &random)
        return canvas
    }

    // MARK: - Classes

    func forest(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        let base = Paint.jitter((0.12, 0.22, 0.09), 0.03, &random)
        let autumn = Paint.jitter((0.24, 0.25, 0.08), 0.04, &random)
        let crown = random.uniform(5, 9)
        let clearing = random.chance(0.35) ? random.uniform(0.68, 0.78) : 2.0
        let grass = Paint.jitter((0.40, 0.48, 0.22), 0.04, &random)
        c.map { x, y, _ in
            let canopy = noise.fractal(Double(x), Double(y), scale: crown, octaves: 3)
            let hue = Float(noise.fractal(Double(x) + 500, Double(y), scale: 40, octaves: 2))
            var colour = Paint.mix(base, autumn, hue * 0.5)
            colour = Paint.scale(colour, Float(0.45 + 1.0 * canopy))
            if canopy < 0.33 { colour = Paint.scale(colour, 0.55) }
            if noise.fractal(Double(x) + 900, Double(y) + 300, scale: 30, octaves: 3) > clearing { colour = Paint.mix(grass, colour, 0.2) }
            return colour
        }
    }

    func meadow(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        let base = Paint.jitter((0.42, 0.52, 0.22), 0.04, &random)
        let dry = Paint.jitter((0.62, 0.58, 0.35), 0.04, &random)
        c.map { x, y, _ in
            let patch = Float(noise.fractal(Double(x), Double(y), scale: 35, octaves: 3))
            let grain = Float(noise.value(Double(x) / 1.5, Double(y) / 1.5)) - 0.5
            return Paint.scale(Paint.mix(base, dry, patch * 0.7), 0.9 + 0.2 * patch + 0.1 * grain)
        }
        // Scattered tree clumps with their shadows.
        let tree = Paint.jitter((0.12, 0.22, 0.09), 0.02, &random)
        for _ in 0..<random.integer(below: 8) {
            let cx = random.uniform(0, Double(side)), cy = random.uniform(0, Double(side)), r = random.uniform(2, 5)
            disc(&c, cx + 1.5, cy + 1.5, r, (0.1, 0.12, 0.06), alpha: 0.5)
            disc(&c, cx, cy, r, tree, alpha: 0.9)
        }
    }

    func lake(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        meadow(&c, noise, &random)
        let cx = random.uniform(0.35, 0.65) * Double(side), cy = random.uniform(0.35, 0.65) * Double(side)
        let radius = random.uniform(0.25, 0.42) * Double(side)
        let shallow = Paint.jitter((0.16, 0.30, 0.30), 0.03, &random), deep = Paint.jitter((0.04, 0.12, 0.22), 0.02, &random)
        let shore = Paint.jitter((0.50, 0.45, 0.35), 0.04, &random)
        c.map { x, y, old in
            let d = hypot(Double(x) - cx, Double(y) - cy) / radius + 0.45 * (noise.fractal(Double(x) + 77, Double(y) + 11, scale: 25, octaves: 4) - 0.5)
            if d < 1 {
                let ripple = Float(noise.value(Double(x) / 2, Double(y) / 0.8)) * 0.06
                return Paint.scale(Paint.mix(deep, shallow, Float(min(1, d * d))), 0.97 + ripple)
            }
            return d < 1.06 ? Paint.mix(old, shore, 0.7) : old
        }
    }

    func river(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        if random.chance(0.5) { meadow(&c, noise, &random) } else { farmland(&c, noise, &random) }
        let angle = random.uniform(0, Double.pi)
        let amplitude = random.uniform(0.05, 0.18) * Double(side), wavelength = random.uniform(0.6, 1.4) * Double(side)
        let phase = random.uniform(0, 2 * Double.pi), offset = random.uniform(-0.15, 0.15) * Double(side)
        let width = random.uniform(4, 11)
        let turbid = Paint.jitter((0.24, 0.30, 0.26), 0.03, &random), clear = Paint.jitter((0.08, 0.18, 0.25), 0.03, &random)
        let tree = Paint.jitter((0.12, 0.22, 0.09), 0.02, &random)
        let turbidity = Float(random.uniform(0, 1))
        c.map { x, y, old in
            let (u, v) = rotate(Double(x), Double(y), angle)
            let centre = offset + amplitude * sin(2 * Double.pi * u / wavelength + phase)
            let half = width * (0.8 + 0.4 * noise.fractal(u, 0, scale: 20, octaves: 2))
            let distance = abs(v - centre)
            if distance < half { return Paint.scale(Paint.mix(clear, turbid, turbidity), 0.95 + 0.1 * Float(noise.value(u / 3, v))) }
            if distance < half + 3 && noise.value(u / 2.5, v / 2.5 + 40) > 0.45 { return Paint.scale(tree, 0.7 + 0.6 * Float(noise.value(u, v))) }
            return old
        }
    }

    func farmland(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        let palette: [RGB] = [(0.30, 0.45, 0.15), (0.45, 0.55, 0.30), (0.70, 0.62, 0.35), (0.45, 0.35, 0.25), (0.60, 0.50, 0.40), (0.55, 0.58, 0.25)]
        let angle = random.pick([0, Double.pi / 2]) + random.uniform(-0.35, 0.35)
        let cutsU = cuts(&random, minimum: 16, maximum: 44), cutsV = cuts(&random, minimum: 16, maximum: 44)
        let parcelCount = (cutsU.count + 1) * (cutsV.count + 1)
        var colours: [RGB] = [], stripes: [(Bool, Double)] = []
        for _ in 0..<parcelCount {
            colours.append(Paint.jitter(random.pick(palette), 0.05, &random))
            stripes.append((random.chance(0.5), random.uniform(2, 5)))
        }
        let hedge = Paint.jitter((0.18, 0.28, 0.12), 0.03, &random)
        c.map { x, y, _ in
            let (u, v) = rotate(Double(x), Double(y), angle)
            let iu = cutsU.filter { $0 < u }.count, iv = cutsV.filter { $0 < v }.count
            let parcel = iv * (cutsU.count + 1) + iu
            let nearEdge = cutsU.contains { abs($0 - u) < 0.8 } || cutsV.contains { abs($0 - v) < 0.8 }
            if nearEdge { return hedge }
            let (alongU, period) = stripes[parcel]
            let stripe = Float(0.92 + 0.08 * sin(2 * Double.pi * (alongU ? v : u) / period))
            return Paint.scale(colours[parcel], stripe * (0.95 + 0.1 * Float(noise.value(u / 4, v / 4))))
        }
    }

    func residential(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        let roofs: [RGB] = [(0.60, 0.30, 0.22), (0.55, 0.55, 0.55), (0.30, 0.30, 0.32), (0.75, 0.72, 0.68), (0.50, 0.25, 0.20)]
        let angle = random.uniform(0, Double.pi / 2)
        let block = random.uniform(22, 34), street = random.uniform(3, 5), lot = random.uniform(6, 10)
        let asphalt = Paint.jitter((0.36, 0.36, 0.38), 0.03, &random), garden = Paint.jitter((0.30, 0.40, 0.18), 0.04, &random)
        let lotSeed = random.next()
        let treeChance = random.uniform(0.05, 0.25)
        c.map { x, y, _ in
            let (u, v) = rotate(Double(x), Double(y), angle)
            let bu = positiveRemainder(u, block), bv = positiveRemainder(v, block)
            if bu < street || bv < street { return Paint.scale(asphalt, 0.95 + 0.1 * Float(noise.value(u / 2, v / 2))) }
            let lu = positiveRemainder(bu - street, lot), lv = positiveRemainder(bv - street, lot)
            let lotID = ValueNoise(seed: lotSeed).lattice(Int(((u - street) / lot).rounded(.down)), Int(((v - street) / lot).rounded(.down)))
            if lotID < treeChance { return Paint.scale(garden, 0.6 + 0.5 * Float(noise.value(u / 1.5, v / 1.5))) }
            if lu < 1 || lv < 1 || lu > lot - 1 { return garden }
            let roof = roofs[Int(lotID * 997) % roofs.count]
            let ridge: Float = lu < lot / 2 ? 0.85 : 1.05   // the two slopes of a gable roof
            let shadow: Float = lv > lot - 2 ? 0.6 : 1
            return Paint.scale(roof, ridge * shadow)
        }
    }

    func desert(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        let sand = Paint.jitter((0.80, 0.66, 0.45), 0.05, &random)
        let angle = random.uniform(0, Double.pi), wavelength = random.uniform(10, 25), warp = random.uniform(0.3, 1.2)
        c.map { x, y, _ in
            let (u, v) = rotate(Double(x), Double(y), angle)
            let phase = 2 * Double.pi * (u / wavelength + warp * noise.fractal(u, v, scale: 35, octaves: 3))
            let ripple = sin(phase) + 0.35 * sin(2 * phase)  // asymmetric dune profile
            let grain = Float(noise.value(u / 1.2, v / 1.2) - 0.5) * 0.05
            return Paint.scale(sand, Float(0.86 + 0.1 * ripple) + grain)
        }
        let rock = Paint.jitter((0.35, 0.27, 0.2), 0.04, &random)
        for _ in 0..<random.integer(below: 6) {
            disc(&c, random.uniform(0, Double(side)), random.uniform(0, Double(side)), random.uniform(1, 3), rock, alpha: 0.8)
        }
    }

    func beach(_ c: inout Canvas, _ noise: ValueNoise, _ random: inout DeterministicRandom) {
        forest(&c, noise, &random)
        let angle = random.uniform(0, 2 * Double.pi)
        let shoreAt = random.uniform(-0.2, 0.15) * Double(side), sandWidth = random.uniform(10, 25)
        let deep = Paint.jitter((0.05, 0.25, 0.40), 0.03, &random), shallow = Paint.jitter((0.20, 0.50, 0.55), 0.04, &random)
        let sand = Paint.jitter((0.85, 0.78, 0.60), 0.04, &random)
        c.map { x, y, old in
            let (u, v) = rotate(Double(x), Double(y), angle)
            let shore = shoreAt + 6 * sin(u / 17) + 8 * (noise.fractal(u, 0, scale: 30, octaves: 3) - 0.5)
            let d = v - shore
            if d < 0 {
                let depth = Float(min(1, -d / 30))
                var water = Paint.mix(shallow, deep, depth)
                if d > -8 && sin(d * 1.7 + 3 * noise.value(u / 6, 0)) > 0.75 { water = Paint.mix(water, (0.95, 0.95, 0.95), 0.7) }
                return water
            }
            if d < sandWidth { return Paint.scale(sand, d < 3 ? 0.8 : 0.95 + 0.08 * Float(noise.value(u / 2, v / 2))) }
            return old
        }
    }

    // MARK: - Tools

    /// Illumination, haze and sensor noise, common to every tile.
    func finish(_ c: inout Canvas, _ random: inout DeterministicRandom) {
        let light = Float(random.uniform(0.85, 1.15)), haze = Float(random.uniform(0, 0.12))
        let sky: RGB = (0.75, 0.78, 0.82)
        for i in 0..<(c.pixels.count) {
            let channel = i / (c.width * c.height)
            let skyValue = channel == 0 ? sky.r : (channel == 1 ? sky.g : sky.b)
            c.pixels[i] = (c.pixels[i] * light) * (1 - haze) + skyValue * haze + Float(random.normal() * 0.012)
        }
    }

    func disc(_ c: inout Canvas, _ cx: Double, _ cy: Double, _ r: Double, _ colour: RGB, alpha: Float) {
        let x0 = max(0, Int(cx - r - 1)), x1 = min(side - 1, Int(cx + r + 1))
        let y0 = max(0, Int(cy - r - 1)), y1 = min(side - 1, Int(cy + r + 1))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let d = hypot(Double(x) - cx, Double(y) - cy)
                if d < r { c.blend(x, y, colour, alpha: alpha * Float(min(1, r - d))) }
            }
        }
    }

    /// Parcel boundaries along one axis, covering the tile even when rotated.
    func cuts(_ random: inout DeterministicRandom, minimum: Double, maximum: Double) -> [Double] {
        var positions: [Double] = []
        var p = -0.75 * Double(side) - random.uniform(0, maximum)
        while p < 0.75 * Double(side) { positions.append(p); p += random.uniform(minimum, maximum) }
        return positions
    }

    /// Pixel (x, y) in axes turned by `angle` about the tile centre.
    func rotate(_ x: Double, _ y: Double, _ angle: Double) -> (Double, Double) {
        let cx = x - Double(side) / 2, cy = y - Double(side) / 2
        return (cx * cos(angle) + cy * sin(angle), -cx * sin(angle) + cy * cos(angle))
    }

    func positiveRemainder(_ a: Double, _ b: Double) -> Double {
        let r = a.truncatingRemainder(dividingBy: b)
        return r < 0 ? r + b : r
    }
}
