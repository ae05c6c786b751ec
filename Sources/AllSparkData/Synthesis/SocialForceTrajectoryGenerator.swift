import Foundation

/// Synthetic pedestrian trajectories in the ETH/UCY text format, from the social-force model.
///
/// Model: Helbing & Molnár, "Social force model for pedestrian dynamics", Phys. Rev. E 51, 4282
/// (1995). Each pedestrian a accelerates by
///   - a driving term (v⁰ₐ eₐ − vₐ) / τ towards its next target, τ = 0.5 s, desired speed
///     v⁰ ~ N(1.34, 0.26) m/s clipped to 0.7–1.9 (the paper's values), speed capped at 1.3 v⁰;
///   - repulsion from every other pedestrian b, −∇V(b) with V(b) = V⁰ e^(−b/σ), V⁰ = 2.1 m²/s²,
///     σ = 0.3 m, where b is the semi-minor axis of the ellipse around b stretched along b's
///     motion (2b = √((‖r‖ + ‖r − v_b Δt e_b‖)² − (v_b Δt)²), Δt = 2 s); forces from outside
///     the 200° field of view count at c = 0.5;
///   - repulsion from walls and pillars, −∇U with U(d) = U⁰ e^(−d/R), U⁰ = 10 m²/s², R = 0.2 m;
///   - a small fluctuation, Gaussian 0.3 m/s² per axis (the paper's "fluctuations").
/// Integration: semi-implicit Euler at 25 steps per second (one video frame each). Positions are
/// written every 10th frame (0.4 s, 2.5 Hz, as the ETH/UCY annotations) with 2 cm Gaussian
/// annotation noise, as `frame pedestrian x y` lines, metres.
///
/// Scenes (`SocialForceScene`): a corridor with opposite flows, a right-angle crossing, a plaza
/// with a pillar, a room emptying through a door. Pedestrians arrive as Poisson processes.
/// What varies between samples: the scene, the arrivals, each pedestrian's desired speed, start
/// and goal; so futures differ from straight-line extrapolation by avoidance manoeuvres,
/// queueing at the door, and speed changes in crowds.
public struct SocialForceTrajectoryGenerator: SyntheticGenerator {
    public let modality = Modality.trajectory
    public var labelDescription: [String] { ["future positions (x, y), 12 steps of 0.4 s", "m"] }

    static let framesPerSecond = 25.0
    static let framesPerRecord = 10
    static let recordedFrames = 200            // 80 s of annotations per scene file
    static let warmUpSeconds = 15.0            // let the scene fill before recording

    public init() {}

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        guard count >= 1 else { throw DataError.invalidArgument("synth trajectory: --count must be at least 1, got \(count)") }
        try GeneratedSampleWriter.prepare(directory)
        let source = GeneratedSampleWriter.source(modality, count: count, seed: seed, model: "social-force model, Helbing & Molnár 1995")
        let root = DeterministicRandom(seed: seed)
        var written: [String] = []
        var entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            let scene = SocialForceScene.all[index % SocialForceScene.all.count]
            var random = root.derived(UInt64(index))
            let lines = Self.simulate(scene, random: &random)
            let name = "social-force-\(GeneratedSampleWriter.zeroPadded(index, width: 3))-\(scene.name).txt"
            let path = (directory as NSString).appendingPathComponent(name)
            try GeneratedSampleWriter.write(lines.map(\.text).joined(separator: "\n") + "\n", to: path)
            written.append(path)
            guard let (pedestrian, start) = Self.bestSample(lines) else {
                throw DataError.malformed(file: path, problem: "the simulation produced no pedestrian with 20 consecutive positions; expected a busier scene")
            }
            entries.append(SampleCatalog.Entry(
                file: name, options: ["pedestrian": String(pedestrian), "start": String(start)],
                title: "Social-force \(scene.name): pedestrian \(pedestrian) from frame \(start)",
                source: source, licence: GeneratedSampleWriter.licence, generated: true))
        }
        try GeneratedSampleWriter.writeIndex(entries, directory: directory)
        written.append((directory as NSString).appendingPathComponent(SampleCatalog.indexFileName))
        written.append(try GeneratedSampleWriter.writeLabels(labelDescription, directory: directory))
        return written
    }

    struct Line {
        var frame: Int, pedestrian: Int, x: Double, y: Double
        var text: String { "\(frame)\t\(pedestrian)\t\(String(format: "%.2f", x))\t\(String(format: "%.2f", y))" }
    }

    struct Walker {
        var id: Int
        var x, y, vx, vy: Double
        var desiredSpeed: Double
        var targets: [(Double, Double)]
        var age: Double
    }

    /// Runs the scene and returns the recorded lines in frame order.
    static func simulate(_ scene: SocialForceScene, random: inout DeterministicRandom) -> [Line] {
        let dt = 1 / framesPerSecond
        let warmUpFrames = Int(warmUpSeconds * framesPerSecond)
        let totalFrames = warmUpFrames + recordedFrames * framesPerRecord
        var walkers: [Walker] = []
        var nextID = 1
        var lines: [Line] = []
        for frame in 0..<totalFrames {
            // Arrivals.
            for flow in scene.flows where random.chance(flow.rate * dt) {
                let (x, y) = flow.source.point(&random)
                guard !walkers.contains(where: { ($0.x - x) * ($0.x - x) + ($0.y - y) * ($0.y - y) < 0.36 }) else { continue }
                let targets = (flow.waypoints + [flow.target]).map { $0.point(&random) }
                let speed = min(1.9, max(0.7, random.normal(mean: 1.34, deviation: 0.26)))
                walkers.append(Walker(id: nextID, x: x, y: y, vx: 0, vy: 0, desiredSpeed: speed, targets: targets, age: 0))
                nextID += 1
            }
            // Forces, from the positions at the start of the step.
            let before = walkers
            for a in walkers.indices {
                var (ax, ay) = acceleration(of: before[a], among: before, index: a, scene: scene)
                ax += random.normal(mean: 0, deviation: 0.3)
                ay += random.normal(mean: 0, deviation: 0.3)
                var w = walkers[a]
                w.vx += ax * dt; w.vy += ay * dt
                let speed = (w.vx * w.vx + w.vy * w.vy).squareRoot(), limit = 1.3 * w.desiredSpeed
                if speed > limit { w.vx *= limit / speed; w.vy *= limit / speed }
                w.x += w.vx * dt; w.y += w.vy * dt
                w.age += dt
                if let (tx, ty) = w.targets.first, w.targets.count > 1, (tx - w.x) * (tx - w.x) + (ty - w.y) * (ty - w.y) < 0.36 {
                    w.targets.removeFirst()
                }
                walkers[a] = w
            }
            walkers.removeAll { w in
                let (tx, ty) = w.targets.last!
                return (w.targets.count == 1 && (tx - w.x) * (tx - w.x) + (ty - w.y) * (ty - w.y) < 0.25) || w.age > 120
            }
            if frame >= warmUpFrames && (frame - warmUpFrames) % framesPerRecord == 0 {
                let recorded = frame - warmUpFrames
                for w in walkers.sorted(by: { $0.id < $1.id }) {
                    lines.append(Line(frame: recorded, pedestrian: w.id,
                                      x: w.x + random.normal(mean: 0, deviation: 0.02), y: w.y + random.normal(mean: 0, deviation: 0.02)))
                }
            }
        }
        return lines
    }

    static func acceleration(of a: Walker, among walkers: [Walker], index: Int, scene: SocialForceScene) -> (Double, Double) {
        let tau = 0.5
        let (tx, ty) = a.targets.first!
        let dx = tx - a.x, dy = ty - a.y
        let distance = max(1e-9, (dx * dx + dy * dy).squareRoot())
        let ex = dx / distance, ey = dy / distance
        var fx = (a.desiredSpeed * ex - a.vx) / tau
        var fy = (a.desiredSpeed * ey - a.vy) / tau

        for (b, other) in walkers.enumerated() where b != index {
            let rx = a.x - other.x, ry = a.y - other.y
            guard rx * rx + ry * ry < 100 else { continue }   // beyond 10 m the force is below 10⁻¹⁴
            let speed = (other.vx * other.vx + other.vy * other.vy).squareRoot()
            let step = speed * 2.0
            let (bx, by) = speed > 1e-9 ? (other.vx / speed, other.vy / speed) : (0.0, 0.0)
            func potential(_ x: Double, _ y: Double) -> Double {
                let r = (x * x + y * y).squareRoot()
                let ahead = ((x - step * bx) * (x - step * bx) + (y - step * by) * (y - step * by)).squareRoot()
                let semiMinor = 0.5 * max(0, (r + ahead) * (r + ahead) - step * step).squareRoot()
                return 2.1 * exp(-semiMinor / 0.3)
            }
            // −∇V by central differences (the ellipse's gradient has no tidy closed form).
            let h = 1e-4
            let gx = -(potential(rx + h, ry) - potential(rx - h, ry)) / (2 * h)
            let gy = -(potential(rx, ry + h) - potential(rx, ry - h)) / (2 * h)
            let magnitude = (gx * gx + gy * gy).squareRoot()
            // In view when the pedestrian pushing us is ahead within ±100°: ea·(−f) ≥ |f| cos 100°.
            let weight = (ex * -gx + ey * -gy) >= magnitude * cos(100 * Double.pi / 180) ? 1.0 : 0.5
            fx += weight * gx; fy += weight * gy
        }

        func obstacle(distance d: Double, nx: Double, ny: Double) {
            let strength = 10 / 0.2 * exp(-max(d, 0.01) / 0.2)
            fx += strength * nx; fy += strength * ny
        }
        for wall in scene.walls {
            let wx = wall.bx - wall.ax, wy = wall.by - wall.ay
            let t = max(0, min(1, ((a.x - wall.ax) * wx + (a.y - wall.ay) * wy) / (wx * wx + wy * wy)))
            let nx = a.x - (wall.ax + t * wx), ny = a.y - (wall.ay + t * wy)
            let d = max(1e-9, (nx * nx + ny * ny).squareRoot())
            obstacle(distance: d, nx: nx / d, ny: ny / d)
        }
        for pillar in scene.pillars {
            let nx = a.x - pillar.x, ny = a.y - pillar.y
            let d = max(1e-9, (nx * nx + ny * ny).squareRoot())
            obstacle(distance: d - pillar.radius, nx: nx / d, ny: ny / d)
        }
        return (fx, fy)
    }

    /// The (pedestrian, start frame) with 20 consecutive recorded positions and the most
    /// neighbours present through its 8 observed frames; ties go to the earliest.
    static func bestSample(_ lines: [Line]) -> (Int, Int)? {
        var frames: [Int: Set<Int>] = [:]   // pedestrian → frames
        for line in lines { frames[line.pedestrian, default: []].insert(line.frame) }
        let step = framesPerRecord
        var best: (pedestrian: Int, start: Int, neighbours: Int)?
        for pedestrian in frames.keys.sorted() {
            let own = frames[pedestrian]!
            for start in own.sorted() where (0..<20).allSatisfy({ own.contains(start + $0 * step) }) {
                let observed = (0..<8).map { start + $0 * step }
                let neighbours = frames.filter { $0.key != pedestrian && observed.allSatisfy($0.value.contains) }.count
                if best == nil || neighbours > best!.neighbours { best = (pedestrian, start, neighbours) }
            }
        }
        return best.map { ($0.pedestrian, $0.start) }
    }
}
