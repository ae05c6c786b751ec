import Foundation
import SparkEngine

/// Synthetic ModelNet-like point clouds: objects of 8 classes built from simple parts, their
/// surfaces sampled and then disturbed the way scanned or CAD-derived clouds differ from one another.
///
/// Model. ModelNet40 (Wu et al., "3D ShapeNets", CVPR 2015) is a set of CAD meshes; point-cloud
/// classifiers (PointNet, PointBERT) see 1024 points sampled uniformly on each mesh's surface and
/// normalised into the unit sphere. Here each object is a triangle mesh assembled from primitives
/// with random proportions, sampled area-weighted (`MeshSurfaceSampling`, as ModelNet's resampled
/// clouds are), then:
///   - posed: rotated uniformly about the vertical (z) axis, tilted up to ±8° about x and y,
///     scaled by 0.7–1.3 overall and 0.85–1.15 per axis, shifted by up to ±0.1;
///   - perturbed: Gaussian jitter σ = 0.008 (as PointNet's augmentation, `jitter_point_cloud`);
///   - partly occluded with probability 0.35: the points beyond a random plane are removed
///     (10–30 % of them), as a single scan sees only one side;
///   - brought back to 1024 points (random subset, or repeats when occlusion left fewer).
///
/// Classes and why they differ, with the overlaps that keep them from being trivial:
///   sphere (an ellipsoid after per-axis scaling), cube (near-cubic box), cylinder (top radius
///   85–100 % of the bottom), cone (a frustum whose top is 0–45 % of the base: a truncated cone
///   comes close to a short cylinder), torus (tube 8–20 % of size: thick ones look like a squashed
///   sphere), pyramid (square base, sometimes truncated: close to a cone seen from afar),
///   table (a slab on four legs or one pedestal), chair (a seat on four legs with a back 0.15–0.6
///   high: a low back is close to a small table).
/// Coordinates are z-up, in arbitrary units; the files are binary little-endian PLY.
public struct PointCloudShapeGenerator: SyntheticGenerator {
    public let modality = Modality.pointcloud
    public static let classes = ["sphere", "cube", "cylinder", "cone", "torus", "pyramid", "table", "chair"]
    public var labelDescription: [String] { Self.classes }
    public static let pointsPerCloud = 1024

    public init() {}

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        guard count >= 1 else { throw DataError.invalidArgument("synth pointcloud: --count must be at least 1, got \(count)") }
        try GeneratedSampleWriter.prepare(directory)
        let source = GeneratedSampleWriter.source(modality, count: count, seed: seed, model: "parametric shapes, area-weighted surface sampling")
        var written: [String] = []
        var entries: [SampleCatalog.Entry] = []
        let root = DeterministicRandom(seed: seed)
        for index in 0..<count {
            let className = Self.classes[index % Self.classes.count]
            var random = root.derived(UInt64(index))
            let points = try Self.cloud(of: className, random: &random)
            let name = "synthetic-\(GeneratedSampleWriter.zeroPadded(index, width: 3))-\(className).ply"
            let path = (directory as NSString).appendingPathComponent(name)
            try GeneratedSampleWriter.write(PLYWriter.binaryPointCloud(points, comment: "allspark synth pointcloud: \(className), seed \(seed), sample \(index)"), to: path)
            written.append(path)
            entries.append(SampleCatalog.Entry(file: name, title: "Synthetic \(className)", source: source,
                                               licence: GeneratedSampleWriter.licence, generated: true,
                                               label: .init(class: className)))
        }
        try GeneratedSampleWriter.writeIndex(entries, directory: directory)
        written.append((directory as NSString).appendingPathComponent(SampleCatalog.indexFileName))
        written.append(try GeneratedSampleWriter.writeLabels(Self.classes, directory: directory))
        return written
    }

    /// One object's points `[1024 × 3]`, flattened.
    static func cloud(of className: String, random: inout DeterministicRandom) throws -> [Float] {
        let mesh = shape(className, random: &random)
        let sampled = try MeshSurfaceSampling.sample(mesh, count: 2 * pointsPerCloud, seed: random.next(), file: className)
        var points = pose(sampled.positions.map(Double.init), random: &random)
        if random.chance(0.35) { points = occlude(points, random: &random) }
        let n = points.count / 3
        let chosen = PointSampling.randomIndices(pointCount: n, count: pointsPerCloud, seed: random.next())
        return chosen.flatMap { i in (0..<3).map { Float(points[3 * i + $0]) } }
    }

    static func shape(_ className: String, random: inout DeterministicRandom) -> PolygonMesh {
        var b = ShapeMeshBuilder()
        switch className {
        case "sphere":
            let rings = 12
            b.revolution(profile: (0...rings).map { k in
                let polar = Double.pi * Double(k) / Double(rings)
                return (0.5 * sin(polar), -0.5 * cos(polar))
            })
        case "cube":
            b.box(centre: (0, 0, 0), size: (1, random.uniform(0.85, 1.15), random.uniform(0.85, 1.15)))
        case "cylinder":
            let radius = random.uniform(0.3, 0.5), height = random.uniform(0.6, 1.4)
            b.revolution(profile: [(radius, -height / 2), (radius * random.uniform(0.85, 1.0), height / 2)], capBottom: true, capTop: true)
        case "cone":
            let radius = random.uniform(0.35, 0.55), height = random.uniform(0.7, 1.3)
            b.revolution(profile: [(radius, -height / 2), (radius * random.uniform(0, 0.45), height / 2)], capBottom: true, capTop: true)
        case "torus":
            b.torus(major: random.uniform(0.35, 0.5), minor: random.uniform(0.08, 0.2))
        case "pyramid":
            let side = random.uniform(0.8, 1.2), height = random.uniform(0.6, 1.2)
            // A four-sided surface of revolution is a square pyramid (rotated 45°).
            b.revolution(profile: [(side / 2.squareRoot(), -height / 2), (side / 2.squareRoot() * random.uniform(0, 0.3), height / 2)],
                         segments: 4, capBottom: true, capTop: true)
        case "table":
            let width = random.uniform(0.8, 1.4), depth = random.uniform(0.5, 1.0), top = random.uniform(0.04, 0.08)
            let height = random.uniform(0.6, 0.8), leg = random.uniform(0.04, 0.08)
            b.box(centre: (0, 0, height - top / 2), size: (width, depth, top))
            if random.chance(0.2) {
                b.revolution(profile: [(leg * 3, 0), (leg, 0.1), (leg, height - top)], capBottom: true)
            } else {
                for (sx, sy) in [(-1.0, -1.0), (1, -1), (-1, 1), (1, 1)] {
                    b.box(centre: (sx * (width / 2 - leg), sy * (depth / 2 - leg), (height - top) / 2), size: (leg, leg, height - top))
                }
            }
        default: // chair
            let seat = random.uniform(0.4, 0.5), thickness = 0.05
            let height = random.uniform(0.4, 0.5), leg = random.uniform(0.03, 0.05), back = random.uniform(0.15, 0.6)
            b.box(centre: (0, 0, height), size: (seat, seat, thickness))
            for (sx, sy) in [(-1.0, -1.0), (1, -1), (-1, 1), (1, 1)] {
                b.box(centre: (sx * (seat / 2 - leg), sy * (seat / 2 - leg), (height - thickness / 2) / 2), size: (leg, leg, height - thickness / 2))
            }
            b.box(centre: (0, seat / 2 - thickness / 2, height + thickness / 2 + back / 2), size: (seat, thickness, back))
        }
        return b.mesh
    }

    /// Rotation, tilt, scaling, translation and jitter (see the type's comment).
    static func pose(_ points: [Double], random: inout DeterministicRandom) -> [Double] {
        let yaw = random.uniform(0, 2 * Double.pi)
        let tiltX = random.uniform(-8, 8) * Double.pi / 180, tiltY = random.uniform(-8, 8) * Double.pi / 180
        let overall = random.uniform(0.7, 1.3)
        let scale = (0..<3).map { _ in overall * random.uniform(0.85, 1.15) }
        let shift = (0..<3).map { _ in random.uniform(-0.1, 0.1) }
        var out = [Double](repeating: 0, count: points.count)
        for i in 0..<(points.count / 3) {
            var x = points[3 * i] * scale[0], y = points[3 * i + 1] * scale[1], z = points[3 * i + 2] * scale[2]
            (y, z) = (y * cos(tiltX) - z * sin(tiltX), y * sin(tiltX) + z * cos(tiltX))
            (x, z) = (x * cos(tiltY) + z * sin(tiltY), -x * sin(tiltY) + z * cos(tiltY))
            (x, y) = (x * cos(yaw) - y * sin(yaw), x * sin(yaw) + y * cos(yaw))
            out[3 * i] = x + shift[0] + random.normal(mean: 0, deviation: 0.008)
            out[3 * i + 1] = y + shift[1] + random.normal(mean: 0, deviation: 0.008)
            out[3 * i + 2] = z + shift[2] + random.normal(mean: 0, deviation: 0.008)
        }
        return out
    }

    /// Removes the 10–30 % of points farthest along a random direction.
    static func occlude(_ points: [Double], random: inout DeterministicRandom) -> [Double] {
        let n = points.count / 3
        var direction = (0..<3).map { _ in random.normal() }
        let length = max(1e-12, direction.reduce(0) { $0 + $1 * $1 }.squareRoot())
        direction = direction.map { $0 / length }
        let projections = (0..<n).map { i in (0..<3).reduce(0.0) { $0 + points[3 * i + $1] * direction[$1] } }
        let removed = Int(Double(n) * random.uniform(0.1, 0.3))
        let threshold = projections.sorted()[n - removed - 1]
        var kept: [Double] = []
        for i in 0..<n where projections[i] <= threshold { kept += points[(3 * i)..<(3 * i + 3)] }
        return kept
    }
}
