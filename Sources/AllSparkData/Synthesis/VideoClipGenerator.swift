import Foundation
import SparkEngine

// Short clips of one moving object each, for action recognition (UCF101-like classes, much simpler).
//
// What is simulated: a camera watching a textured background (value noise, slowly panning) with
// one actor whose motion defines the class —
//   bouncing:       a ball under gravity, y(t) = floor − h·|sin(π t / P)|, drifting sideways;
//   walking_left / walking_right: a person figure translating at 0.6–2 px per frame with a gait
//                   cycle (legs and arms swinging in antiphase, period 6–12 frames);
//   rotating:       a bar or cross spinning about its centre at 0.12–0.4 rad per frame;
//   growing:        a disc or square expanding from 3–6 to 14–24 px radius;
//   waving:         a standing person raising one arm and swinging it (period 4–8 frames).
// Per clip: colours, sizes, speeds, phases, start positions, pan velocity, illumination flicker
// (±3 %) and sensor noise (σ = 0.02) are drawn at random. Frames are written as Y4M 4:2:0
// (limited-range BT.601), as the loader reads them.
// Why the classes differ, and where they overlap: the classes are defined only by motion — a single
// frame of walking_left and walking_right looks alike, as do frames of waving and walking, or of
// rotating and growing — so a model has to use time; slow walkers and swaying wavers, or small
// slow-growing shapes and slow rotations, make some clips ambiguous.
public struct VideoClipGenerator: SyntheticGenerator {
    public var width: Int
    public var height: Int
    public var frames: Int
    public var framesPerSecond: Int

    public init(width: Int = 64, height: Int = 64, frames: Int = 16, framesPerSecond: Int = 8) {
        self.width = width; self.height = height; self.frames = frames; self.framesPerSecond = framesPerSecond
    }

    public static let classes = ["bouncing", "walking_left", "walking_right", "rotating", "growing", "waving"]
    public var modality: Modality { .video }
    public var labelDescription: [String] { Self.classes }

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let source = GeneratedImageSamples.source(.video, count: count, seed: seed, model: "moving-object clips")
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            let name = Self.classes[index % Self.classes.count]
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            let clip = render(name, &random)
            let file = String(format: "synth_video_%02d.y4m", index)
            let path = GeneratedImageSamples.path(directory, file)
            try Y4MWriter.write(clip, framesPerSecond: (framesPerSecond, 1), to: path)
            written.append(path)
            entries.append(SampleCatalog.Entry(file: file, title: "generated clip: \(name.replacingOccurrences(of: "_", with: " "))",
                                               source: source, licence: GeneratedImageSamples.licence, generated: true,
                                               label: .init(class: name)))
        }
        written.append(try GeneratedImageSamples.writeLabels(Self.classes, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    /// One actor's look in one frame: the colour it paints at a pixel, or nil.
    typealias Actor = (_ frame: Int, _ x: Double, _ y: Double) -> (r: Float, g: Float, b: Float)?

    func render(_ name: String, _ random: inout DeterministicRandom) -> Tensor {
        let w = Double(width), h = Double(height), t = Double(frames)
        let colour = (Float(random.uniform(0.1, 0.95)), Float(random.uniform(0.1, 0.95)), Float(random.uniform(0.1, 0.95)))
        let actor: Actor
        switch name {
        case "bouncing":
            let radius = random.uniform(0.06, 0.12) * h, period = random.uniform(6, 12)
            let floor = h * random.uniform(0.8, 0.92) - radius, jump = random.uniform(0.3, 0.55) * h
            let x0 = random.uniform(0.25, 0.75) * w, vx = random.uniform(-1.2, 1.2), phase = random.uniform(0, period)
            actor = { f, x, y in
                let cx = x0 + vx * Double(f), cy = floor - jump * abs(sin(Double.pi * (Double(f) + phase) / period))
                let d = hypot(x - cx, y - cy) / radius
                return d < 1 ? Paint.scale(colour, Float(1.1 - 0.5 * d * d)) : nil
            }
        case "walking_left", "walking_right":
            let direction = name == "walking_left" ? -1.0 : 1.0
            let speed = random.uniform(0.6, 2.0), period = random.uniform(6, 12), stride = random.uniform(0.25, 0.45)
            let size = random.uniform(0.45, 0.65) * h, feet = random.uniform(0.88, 0.97) * h
            let start = w / 2 - direction * speed * t / 2 + random.uniform(-0.1, 0.1) * w
            var identityRandom = random.derived(77)
            let identity = PersonFigure.Identity.random(&identityRandom)
            let phase = random.uniform(0, 2 * Double.pi)
            actor = { f, x, y in
                let figure = PersonFigure(identity: identity, pose: .walking(phase: phase + 2 * Double.pi * Double(f) / period, stride: stride))
                let cx = start + direction * speed * Double(f)
                guard let (material, across) = figure.material(x: (x - cx) / size, y: (feet - y) / size) else { return nil }
                return Paint.scale(identity.colours[material]!, Float(1 - 0.35 * across * across))
            }
        case "rotating":
            let length = random.uniform(0.3, 0.55) * h, thickness = random.uniform(0.06, 0.11) * h
            let omega = random.pick([-1.0, 1.0]) * random.uniform(0.12, 0.4), angle0 = random.uniform(0, Double.pi)
            let cross = random.chance(0.5)
            let cx = w / 2 + random.uniform(-0.1, 0.1) * w, cy = h / 2 + random.uniform(-0.1, 0.1) * h
            actor = { f, x, y in
                let a = angle0 + omega * Double(f)
                let u = (x - cx) * cos(a) + (y - cy) * sin(a), v = -(x - cx) * sin(a) + (y - cy) * cos(a)
                let inBar = abs(u) < length / 2 && abs(v) < thickness / 2
                let inCross = cross && abs(v) < length / 2 && abs(u) < thickness / 2
                return inBar || inCross ? Paint.scale(colour, Float(0.9 + 0.2 * u / length)) : nil
            }
        case "growing":
            let r0 = random.uniform(0.05, 0.09) * h, r1 = random.uniform(0.22, 0.37) * h
            let square = random.chance(0.4)
            let cx = w / 2 + random.uniform(-0.15, 0.15) * w, cy = h / 2 + random.uniform(-0.15, 0.15) * h
            actor = { f, x, y in
                let r = r0 + (r1 - r0) * Double(f) / max(t - 1, 1)
                let d = square ? max(abs(x - cx), abs(y - cy)) / r : hypot(x - cx, y - cy) / r
                return d < 1 ? Paint.scale(colour, Float(1.05 - 0.3 * d)) : nil
            }
        default:  // waving
            let period = random.uniform(4, 8), size = random.uniform(0.5, 0.7) * h, feet = random.uniform(0.88, 0.97) * h
            let cx = random.uniform(0.35, 0.65) * w, sway = random.uniform(0, 0.08)
            let right = random.chance(0.5)
            var identityRandom = random.derived(77)
            let identity = PersonFigure.Identity.random(&identityRandom)
            actor = { f, x, y in
                let wave = 2.5 + 0.5 * sin(2 * Double.pi * Double(f) / period)
                var pose = PersonFigure.Pose()
                if right { pose.rightArm = wave } else { pose.leftArm = -wave }
                pose.leftLeg = sway * sin(Double(f)); pose.rightLeg = -pose.leftLeg
                let figure = PersonFigure(identity: identity, pose: pose)
                guard let (material, across) = figure.material(x: (x - cx) / size, y: (feet - y) / size) else { return nil }
                return Paint.scale(identity.colours[material]!, Float(1 - 0.35 * across * across))
            }
        }

        let noise = ValueNoise(seed: random.next())
        let ground = Paint.jitter((0.45, 0.5, 0.42), 0.12, &random), sky = Paint.jitter((0.6, 0.68, 0.78), 0.1, &random)
        let horizon = random.uniform(0.35, 0.7) * h
        let pan = (random.uniform(-0.5, 0.5), random.uniform(-0.2, 0.2))
        let plane = width * height
        var scalars = [Float](repeating: 0, count: frames * 3 * plane)
        for f in 0..<frames {
            let flicker = Float(1 + random.uniform(-0.03, 0.03))
            for y in 0..<height {
                for x in 0..<width {
                    let px = Double(x) + 0.5, py = Double(y) + 0.5
                    let bx = px + pan.0 * Double(f), by = py + pan.1 * Double(f)
                    let texture = Float(noise.fractal(bx, by, scale: 14, octaves: 3))
                    var c = Paint.scale(by < horizon ? sky : ground, 0.8 + 0.4 * texture)
                    if let painted = actor(f, px, py) { c = painted }
                    let base = f * 3 * plane + y * width + x
                    scalars[base] = c.r * flicker + Float(random.normal() * 0.02)
                    scalars[base + plane] = c.g * flicker + Float(random.normal() * 0.02)
                    scalars[base + 2 * plane] = c.b * flicker + Float(random.normal() * 0.02)
                }
            }
        }
        return Tensor(shape: [frames, 3, height, width], scalars: scalars.map { min(max($0, 0), 1) })
    }
}
