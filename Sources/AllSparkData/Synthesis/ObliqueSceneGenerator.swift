import Foundation
import SparkEngine
import SparkFormats

// Multi-view oblique aerial scenes with ground-truth depth (WHU-OMVS-like: one nadir and four
// oblique cameras of a five-lens aerial system).
//
// What is simulated: a 96 m × 96 m height field — smooth terrain (fractal value noise, 2–6 m of
// relief), trees (rounded crowns 4–8 m high) and 5–12 buildings (axis-aligned blocks 6–16 m wide,
// 6–30 m high, flat or gabled roofs) — with roads painted on the ground. Five pinhole cameras look
// at the scene centre: view0 from 160 m straight down (the reference view), views 1–4 from the
// north, east, south and west tilted 45° from the vertical at 200 m, as the oblique lenses of a
// five-camera system are. Every pixel is rendered by ray casting: march the ray through the height
// field in 0.25 m steps, refine the hit by bisection, and shade it — roof, wall (with window
// rows), tree or ground colour, Lambertian sunlight from a random azimuth and 35–60° elevation,
// cast shadows by marching towards the sun, a little per-view exposure change and sensor noise.
// The depth of every pixel of the reference view along its optical axis is written as
// `depth.npy`, and each view's camera as an MVSNet `view<i>_cam.txt` (OpenCV axes: x right,
// y down, z forward; pixel centres at integer coordinates) with the depth range seen by that view
// (192 planes).
// Why it is a fair depth task: the views overlap and are calibrated, so depth follows from
// parallax; occlusion by buildings, shadows, repetitive windows and textureless roofs make it
// harder, as in real oblique imagery.
public struct ObliqueSceneGenerator: SyntheticGenerator {
    public var imageSide: Int
    public init(imageSide: Int = 128) { self.imageSide = imageSide }

    public var modality: Modality { .oblique }
    public var labelDescription: [String] { ["reference-view depth", "metres"] }

    static let sceneSize = 96.0
    static let depthPlanes = 192

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try GeneratedImageSamples.prepare(directory)
        let source = GeneratedImageSamples.source(.oblique, count: count, seed: seed, model: "ray-cast height-field scenes, five cameras")
        var written: [String] = [], entries: [SampleCatalog.Entry] = []
        for index in 0..<count {
            var random = DeterministicRandom(seed: seed).derived(UInt64(index))
            let scene = HeightFieldScene(&random)
            let folder = String(format: "synth_oblique_%02d", index)
            let folderPath = GeneratedImageSamples.path(directory, folder)
            try GeneratedImageSamples.prepare(folderPath)
            for (v, pose) in cameraPoses().enumerated() {
                let camera = PinholeCamera(position: pose.position, target: pose.target, side: imageSide, focal: pose.focal)
                let exposure = Float(random.uniform(0.95, 1.05))
                let (colours, depth) = render(scene, camera, &random, exposure: exposure)
                let imagePath = GeneratedImageSamples.path(folderPath, "view\(v).png")
                try GeneratedImageSamples.writePNG(RasterImage.from(tensor: Tensor(shape: [3, imageSide, imageSide], scalars: colours)), to: imagePath)
                let valid = depth.filter { $0 > 0 }
                let near = (valid.min() ?? 1) * 0.98, far = (valid.max() ?? 2) * 1.02
                let interval = (far - near) / Float(Self.depthPlanes - 1)
                let cam = Camera(extrinsic: camera.extrinsic, intrinsic: camera.intrinsic, depthMin: near, depthInterval: interval,
                                 depthCount: Self.depthPlanes, depthMax: near + interval * Float(Self.depthPlanes - 1))
                let camPath = GeneratedImageSamples.path(folderPath, "view\(v)_cam.txt")
                try MVSNetCameraFile.write(cam, to: camPath)
                written += [imagePath, camPath]
                if v == 0 {
                    let depthPath = GeneratedImageSamples.path(folderPath, "depth.npy")
                    try NumpyInput.write(NumpyArray(shape: [imageSide, imageSide], floats: depth), to: depthPath)
                    written.append(depthPath)
                }
            }
            entries.append(SampleCatalog.Entry(file: folder, title: "generated town block, nadir + 4 oblique views with depth",
                                               source: source, licence: GeneratedImageSamples.licence, generated: true))
        }
        written.append(try GeneratedImageSamples.writeLabels(labelDescription, directory: directory))
        written.append(try GeneratedImageSamples.writeIndex(entries, directory: directory))
        return written
    }

    /// Nadir from 160 m, then north, east, south and west at 45° from 200 m.
    func cameraPoses() -> [(position: SIMD3<Double>, target: SIMD3<Double>, focal: Double)] {
        let centre = SIMD3(Self.sceneSize / 2, Self.sceneSize / 2, 0)
        // The nadir view covers about 100 m; the oblique views use the same lens.
        let focal = Double(imageSide) / 2 / tan(17.5 * Double.pi / 180)
        var poses = [(centre + SIMD3(0, 0, 160), centre, focal)]
        let d = 200 * sin(Double.pi / 4), h = 200 * cos(Double.pi / 4)
        for (dx, dy) in [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0)] {
            poses.append((centre + SIMD3(dx * d, dy * d, h), centre, focal))
        }
        return poses
    }

    /// The colours `[3, side, side]` and the depth (camera z, 0 where nothing was hit) of a view.
    func render(_ scene: HeightFieldScene, _ camera: PinholeCamera, _ random: inout DeterministicRandom, exposure: Float) -> ([Float], [Float]) {
        let n = imageSide, plane = n * n
        var colours = [Float](repeating: 0, count: 3 * plane), depth = [Float](repeating: 0, count: plane)
        for v in 0..<n {
            for u in 0..<n {
                let direction = camera.ray(u: Double(u), v: Double(v))
                var colour: SIMD3<Double> = SIMD3(0.7, 0.78, 0.88)  // sky, if the ray misses
                if let hit = scene.intersect(origin: camera.position, direction: direction) {
                    colour = scene.shade(hit)
                    depth[v * n + u] = Float(((hit.point - camera.position) * camera.forward).sum())
                }
                for c in 0..<3 { colours[c * plane + v * n + u] = min(max(Float(colour[c]) * exposure + Float(random.normal() * 0.01), 0), 1) }
            }
        }
        return (colours, depth)
    }
}

/// A pinhole camera in MVSNet/OpenCV convention looking from `position` at `target`.
struct PinholeCamera {
    let position: SIMD3<Double>
    let right: SIMD3<Double>, down: SIMD3<Double>, forward: SIMD3<Double>
    let focal: Double, centre: Double

    init(position: SIMD3<Double>, target: SIMD3<Double>, side: Int, focal: Double) {
        self.position = position
        let f = Self.normalise(target - position)
        // Straight down has no horizon: take north as "up" in the image, else the world's up.
        let up: SIMD3<Double> = abs(f.z) > 0.999 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
        let r = Self.normalise(Self.cross(f, up))
        forward = f; right = r; down = Self.cross(f, r)
        self.focal = focal
        centre = Double(side - 1) / 2
    }

    static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
    static func normalise(_ a: SIMD3<Double>) -> SIMD3<Double> { a / (a * a).sum().squareRoot() }

    /// The unit direction through pixel centre (u, v).
    func ray(u: Double, v: Double) -> SIMD3<Double> {
        Self.normalise(forward + right * ((u - centre) / focal) + down * ((v - centre) / focal))
    }

    /// World → camera [R | t] as 16 row-major values.
    var extrinsic: [Float] {
        let rows = [right, down, forward]
        var values: [Float] = []
        for row in rows { values += [Float(row.x), Float(row.y), Float(row.z), Float(-(row * position).sum())] }
        return values + [0, 0, 0, 1]
    }

    var intrinsic: [Float] { [Float(focal), 0, Float(centre), 0, Float(focal), Float(centre), 0, 0, 1] }
}
