import Foundation
import SparkEngine

// Paired visible (RGB) and thermal (IR) images of the same synthetic people, for cross-modality
// re-identification (SYSU-MM01-like: an IR query is matched against an RGB gallery).
//
// What is simulated: a pool of identities, each a body shape (shoulder and hip width, head size,
// limb thickness), clothing (colours, long or short sleeves and trousers, a bag) and clothing
// insulation. Every image draws a new pose (leg and arm swing), position, scale and background.
// RGB: clothing and skin colours with cylindrical shading under a random light level, over a
// textured wall/floor background. IR: a temperature field — skin ≈ 34 °C (the face a little
// warmer), hair ≈ 30 °C, clothes cooler than skin by insulation × 10 K (Kirchhoff/Stefan–Boltzmann:
// what a clothed body emits depends on the surface temperature of its clothes, not their colour),
// shoes ≈ 24 °C, and a background at 14–26 °C with texture and sometimes a warm object. Radiance
// ∝ T⁴ (T in kelvin), an optics blur, detector noise (NETD ≈ 0.1 K) and automatic gain control
// (the 1st–99th percentile of the frame mapped to the 8-bit range), as uncooled cameras do.
// Why the task is possible but not trivial: colour is absent in IR, so a match must come from
// body shape, clothing layout (sleeve and trouser length, bag) and the relative warmth of clothes;
// poses, scales, backgrounds and gain differ between the query and its gallery image, and
// identities with similar builds and clothes cut are drawn.
public struct InfraredPairGenerator: SyntheticGenerator {
    public var width: Int
    public var height: Int
    /// Identities in the pool; each sample folder shows `galleryCount` of them.
    public var identityCount: Int
    public var galleryCount: Int

    public init(width: Int = 64, height: Int = 128, identityCount: Int = 12, galleryCount: Int = 5) {
        self.width = width; self.height = height
        self.identityCount = identityCount; self.galleryCount = min(galleryCount, identityCount)
    }

    public var modality: Modality { .infrared }
    public var labelDescription: [String] { (0..<identityCount).map(Self.identityName) }

    static func identityName(_ index: Int) -> String { String(format: "person%02d", index) }

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let identities = (0..<identityCount).map { k -> PersonFigure.Identity in
            var random = DeterministicRandom(seed: seed).derived(1_000_000 + UInt64(k))
            return PersonFigure.Identity.random(&random)
        }
        // The command that writes these bytes again: --identities when not the default.
        let source = GeneratedImageSamples.source(.infrared, count: count, seed: seed, model: "synthetic people, RGB and thermal renderings",
                                                  options: identityCount == 12 ? "" : " --identities \(identityCount)")
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            let query = random.integer(below: identityCount)
            var others = random.permutation(identityCount).filter { $0 != query }
            others = Array(others.prefix(galleryCount - 1))
            let order = random.permutation(galleryCount)
            let galleryIdentities = order.map { $0 == 0 ? query : others[$0 - 1] }

            let folder = String(format: "synth_ir_%02d", index)
            let folderPath = GeneratedImageSamples.path(directory, folder)
            let galleryPath = GeneratedImageSamples.path(folderPath, "gallery")
            try GeneratedImageSamples.prepare(galleryPath)
            let queryPath = GeneratedImageSamples.path(folderPath, "query.png")
            try GeneratedImageSamples.writePNG(thermal(identities[query], &random), to: queryPath)
            written.append(queryPath)
            var matchName = ""
            for (slot, identity) in galleryIdentities.enumerated() {
                let name = "g\(slot).png"
                if identity == query { matchName = name }
                let path = GeneratedImageSamples.path(galleryPath, name)
                try GeneratedImageSamples.writePNG(visible(identities[identity], &random), to: path)
                written.append(path)
            }
            let matchPath = GeneratedImageSamples.path(folderPath, "index.json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try GeneratedImageSamples.write(Array(try encoder.encode(InfraredLoader.MatchFile(match: matchName))), to: matchPath)
            written.append(matchPath)
            entries.append(SampleCatalog.Entry(file: folder, title: "generated IR query of \(Self.identityName(query)) and \(galleryCount) RGB gallery images",
                                               source: source, licence: GeneratedImageSamples.licence, generated: true,
                                               label: .init(class: Self.identityName(query))))
        }
        written.append(try GeneratedImageSamples.writeLabels(labelDescription, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    /// Where the figure stands in this image: pixels → figure units.
    struct Placement {
        let centreX: Double, feetY: Double, pixelsPerUnit: Double
        static func random(width: Int, height: Int, _ random: inout DeterministicRandom) -> Placement {
            let scale = Double(height) * random.uniform(0.78, 0.92)
            return Placement(centreX: Double(width) / 2 + random.uniform(-0.08, 0.08) * Double(width),
                             feetY: Double(height) * random.uniform(0.94, 0.99), pixelsPerUnit: scale)
        }
        func figure(_ x: Int, _ y: Int) -> (Double, Double) {
            ((Double(x) + 0.5 - centreX) / pixelsPerUnit, (feetY - Double(y) - 0.5) / pixelsPerUnit)
        }
    }

    static func randomPose(_ random: inout DeterministicRandom) -> PersonFigure.Pose {
        PersonFigure.Pose.walking(phase: random.uniform(0, 2 * Double.pi), stride: random.uniform(0.05, 0.35))
    }

    func visible(_ identity: PersonFigure.Identity, _ random: inout DeterministicRandom) -> RasterImage {
        let figure = PersonFigure(identity: identity, pose: Self.randomPose(&random))
        let place = Placement.random(width: width, height: height, &random)
        let noise = ValueNoise(seed: random.next())
        let wall = Paint.jitter((0.55, 0.55, 0.52), 0.12, &random), floor = Paint.jitter((0.42, 0.40, 0.38), 0.1, &random)
        let horizon = random.uniform(0.55, 0.8) * Double(height)
        let light = Float(random.uniform(0.7, 1.15))
        var canvas = Canvas(width: width, height: height)
        canvas.map { x, y, _ in
            if let (material, across) = figure.material(x: place.figure(x, y).0, y: place.figure(x, y).1) {
                let base = identity.colours[material]!
                return Paint.scale(base, light * Float(1 - 0.35 * across * across))
            }
            let texture = Float(noise.fractal(Double(x), Double(y), scale: 12, octaves: 3))
            let background = Double(y) < horizon ? wall : floor
            return Paint.scale(background, light * (0.85 + 0.3 * texture))
        }
        for i in 0..<canvas.pixels.count { canvas.pixels[i] += Float(random.normal() * 0.02) }
        return canvas.raster()
    }

    func thermal(_ identity: PersonFigure.Identity, _ random: inout DeterministicRandom) -> RasterImage {
        let figure = PersonFigure(identity: identity, pose: Self.randomPose(&random))
        let place = Placement.random(width: width, height: height, &random)
        let noise = ValueNoise(seed: random.next())
        let ambient = random.uniform(14, 26), floorOffset = random.uniform(-3, 3)
        let horizon = random.uniform(0.55, 0.8) * Double(height)
        let warmObject = random.chance(0.4) ? (random.uniform(0, Double(width)), random.uniform(0, Double(height)), random.uniform(4, 10), random.uniform(3, 12)) : nil
        let skin = random.uniform(33.5, 34.8)
        var celsius = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (fx, fy) = place.figure(x, y)
                var t: Double
                if let (material, across) = figure.material(x: fx, y: fy) {
                    switch material {
                    case .skin: t = skin + (fy > 0.85 ? 0.6 : 0) - 0.8 * across
                    case .hair: t = 30 + random.uniform(-0.3, 0.3)
                    case .top: t = skin - identity.topInsulation * 10 - 0.8 * across
                    case .bottom: t = skin - identity.bottomInsulation * 10 - 0.8 * across
                    case .shoes: t = 24
                    case .bag: t = ambient + 1.5
                    }
                } else {
                    t = ambient + (Double(y) > horizon ? floorOffset : 0) + 1.2 * (noise.fractal(Double(x), Double(y), scale: 16, octaves: 3) - 0.5)
                    if let (ox, oy, radius, excess) = warmObject, hypot(Double(x) - ox, Double(y) - oy) < radius { t += excess }
                }
                celsius[y * width + x] = t
            }
        }
        // Radiance ∝ T⁴, a 3 × 3 binomial optics blur, detector noise, then automatic gain control.
        var radiance = celsius.map { pow(($0 + 273.15) / 300, 4) }
        radiance = blur(radiance)
        let netd = 4 * pow(307.0 / 300, 3) / 300 * 0.1  // dL/dT near skin temperature × 0.1 K
        for i in radiance.indices { radiance[i] += random.normal() * netd }
        let sorted = radiance.sorted()
        let low = sorted[sorted.count / 100], high = sorted[sorted.count * 99 / 100]
        let gray = radiance.map { Float(0.05 + 0.9 * ($0 - low) / max(high - low, 1e-9)) }
        return RasterImage.from(tensor: Tensor(shape: [1, height, width], scalars: gray))
    }

    func blur(_ values: [Double]) -> [Double] {
        var out = values
        let weights = [1.0, 2.0, 1.0]
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0, total = 0.0
                for dy in -1...1 {
                    for dx in -1...1 {
                        let yy = y + dy, xx = x + dx
                        guard yy >= 0, yy < height, xx >= 0, xx < width else { continue }
                        let w = weights[dy + 1] * weights[dx + 1]
                        sum += w * values[yy * width + xx]; total += w
                    }
                }
                out[y * width + x] = sum / total
            }
        }
        return out
    }
}
