import Foundation

/// The world of `ObliqueSceneGenerator`: terrain and tree crowns sampled on a 1 m grid (which
/// extends beyond the 96 m block so that oblique rays reaching the horizon still hit ground), and
/// buildings as exact boxes with flat or gabled roofs so that walls stay vertical. Coordinates: x
/// east, y north, z up, metres.
struct HeightFieldScene {
    struct Building {
        var minX: Double, maxX: Double, minY: Double, maxY: Double
        var base: Double, height: Double
        /// Gable ridge along x (true) or y (false), or a flat roof (nil); ridge rise in metres.
        var gableAlongX: Bool?, rise: Double
        var roof: SIMD3<Double>, wall: SIMD3<Double>

        func roofHeight(_ x: Double, _ y: Double) -> Double {
            guard let alongX = gableAlongX else { return base + height }
            let across = alongX ? abs(y - (minY + maxY) / 2) / ((maxY - minY) / 2) : abs(x - (minX + maxX) / 2) / ((maxX - minX) / 2)
            return base + height + rise * (1 - across)
        }
        func contains(_ x: Double, _ y: Double) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }
    }

    struct Hit {
        var point: SIMD3<Double>
        var normal: SIMD3<Double>
        var albedo: SIMD3<Double>
    }

    static let margin = 100.0, cell = 1.0
    let buildings: [Building]
    let groundHeight: [Double]     // terrain + tree crowns
    let treeHeight: [Double]       // crown height above terrain (0 where no tree)
    let gridCount: Int
    let noise: ValueNoise
    let sun: SIMD3<Double>
    let roads: [(horizontal: Bool, at: Double, halfWidth: Double)]
    let grass: SIMD3<Double>, soil: SIMD3<Double>
    let maxHeight: Double

    init(_ random: inout DeterministicRandom) {
        let size = ObliqueSceneGenerator.sceneSize
        noise = ValueNoise(seed: random.next())
        let relief = random.uniform(2, 6)
        let azimuth = random.uniform(0, 2 * Double.pi), elevation = random.uniform(35, 60) * Double.pi / 180
        sun = SIMD3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation))
        grass = SIMD3(random.uniform(0.28, 0.4), random.uniform(0.4, 0.5), random.uniform(0.18, 0.26))
        soil = SIMD3(random.uniform(0.5, 0.6), random.uniform(0.42, 0.5), random.uniform(0.32, 0.38))
        var roads: [(Bool, Double, Double)] = []
        for _ in 0..<(1 + random.integer(below: 3)) { roads.append((random.chance(0.5), random.uniform(10, size - 10), random.uniform(2, 4))) }
        self.roads = roads

        // Buildings, kept apart from roads and each other.
        var buildings: [Building] = []
        let roofColours: [SIMD3<Double>] = [SIMD3(0.62, 0.32, 0.24), SIMD3(0.5, 0.5, 0.52), SIMD3(0.3, 0.3, 0.33), SIMD3(0.75, 0.73, 0.7), SIMD3(0.35, 0.42, 0.5)]
        let wallColours: [SIMD3<Double>] = [SIMD3(0.85, 0.82, 0.75), SIMD3(0.7, 0.6, 0.5), SIMD3(0.6, 0.62, 0.65), SIMD3(0.9, 0.88, 0.85)]
        let target = 5 + random.integer(below: 8)
        var attempts = 0
        while buildings.count < target && attempts < 200 {
            attempts += 1
            let w = random.uniform(6, 16), d = random.uniform(6, 16)
            let x = random.uniform(4, size - 4 - w), y = random.uniform(4, size - 4 - d)
            let overlapsBuilding = buildings.contains { x < $0.maxX + 3 && x + w > $0.minX - 3 && y < $0.maxY + 3 && y + d > $0.minY - 3 }
            let overlapsRoad = roads.contains { road in
                road.0 ? (y < road.1 + road.2 + 1 && y + d > road.1 - road.2 - 1) : (x < road.1 + road.2 + 1 && x + w > road.1 - road.2 - 1)
            }
            if overlapsBuilding || overlapsRoad { continue }
            let base = relief * noise.fractal(x + w / 2, y + d / 2, scale: 40, octaves: 3)
            let gable: Bool? = random.chance(0.4) ? random.chance(0.5) : nil
            buildings.append(Building(minX: x, maxX: x + w, minY: y, maxY: y + d, base: base - 0.5, height: random.uniform(6, 30),
                                      gableAlongX: gable, rise: random.uniform(2, 4), roof: random.pick(roofColours), wall: random.pick(wallColours)))
        }
        self.buildings = buildings

        // Terrain and trees on the grid.
        let count = Int((size + 2 * Self.margin) / Self.cell) + 1
        gridCount = count
        var ground = [Double](repeating: 0, count: count * count), trees = [Double](repeating: 0, count: count * count)
        for j in 0..<count {
            for i in 0..<count {
                let x = Double(i) * Self.cell - Self.margin, y = Double(j) * Self.cell - Self.margin
                ground[j * count + i] = relief * noise.fractal(x, y, scale: 40, octaves: 3)
            }
        }
        let treeCount = 10 + random.integer(below: 30)
        for _ in 0..<treeCount {
            let tx = random.uniform(0, size), ty = random.uniform(0, size), radius = random.uniform(2, 3.5), crown = random.uniform(4, 8)
            if buildings.contains(where: { tx > $0.minX - radius && tx < $0.maxX + radius && ty > $0.minY - radius && ty < $0.maxY + radius }) { continue }
            if roads.contains(where: { abs(($0.0 ? ty : tx) - $0.1) < $0.2 + radius }) { continue }
            let lo = { (v: Double) in max(0, Int((v + Self.margin) / Self.cell)) }
            for j in lo(ty - radius)...min(count - 1, lo(ty + radius) + 1) {
                for i in lo(tx - radius)...min(count - 1, lo(tx + radius) + 1) {
                    let x = Double(i) * Self.cell - Self.margin, y = Double(j) * Self.cell - Self.margin
                    let r = hypot(x - tx, y - ty) / radius
                    if r < 1 { trees[j * count + i] = max(trees[j * count + i], crown * (1 - r * r).squareRoot()) }
                }
            }
        }
        for k in 0..<(count * count) { ground[k] += trees[k] }
        groundHeight = ground
        treeHeight = trees
        maxHeight = max(ground.max() ?? 0, buildings.map { $0.base + $0.height + $0.rise }.max() ?? 0)
    }

    /// Bilinear lookup on a grid.
    func sample(_ grid: [Double], _ x: Double, _ y: Double) -> Double {
        let gx = min(max((x + Self.margin) / Self.cell, 0), Double(gridCount - 1) - 1e-9)
        let gy = min(max((y + Self.margin) / Self.cell, 0), Double(gridCount - 1) - 1e-9)
        let i = Int(gx), j = Int(gy), fx = gx - Double(i), fy = gy - Double(j)
        let a = grid[j * gridCount + i], b = grid[j * gridCount + i + 1]
        let c = grid[(j + 1) * gridCount + i], d = grid[(j + 1) * gridCount + i + 1]
        return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy
    }

    /// Surface height at (x, y) and the building there, if any.
    func height(_ x: Double, _ y: Double) -> (Double, Int?) {
        for (k, b) in buildings.enumerated() where b.contains(x, y) { return (b.roofHeight(x, y), k) }
        return (sample(groundHeight, x, y), nil)
    }

    /// The first surface point along the ray, by marching in 0.25 m steps from where the ray
    /// comes below the highest surface, then bisection.
    func intersect(origin: SIMD3<Double>, direction: SIMD3<Double>) -> Hit? {
        guard direction.z < -1e-6 else { return nil }
        var t = max(0, (origin.z - maxHeight - 0.5) / -direction.z)
        let tEnd = (origin.z + 20) / -direction.z
        var previous = t
        while t < tEnd {
            let p = origin + direction * t
            if p.z <= height(p.x, p.y).0 {
                var lo = previous, hi = t
                for _ in 0..<20 {
                    let mid = (lo + hi) / 2, q = origin + direction * mid
                    if q.z <= height(q.x, q.y).0 { hi = mid } else { lo = mid }
                }
                return describe(origin + direction * hi, arriving: direction, before: origin + direction * lo)
            }
            previous = t
            t += 0.25
        }
        return nil
    }

    /// Normal and albedo at a hit; `before` is a point just outside the surface along the ray.
    func describe(_ point: SIMD3<Double>, arriving direction: SIMD3<Double>, before: SIMD3<Double>) -> Hit {
        let (surface, building) = height(point.x, point.y)
        if let k = building {
            let b = buildings[k]
            if point.z >= surface - 0.15 {
                // Roof: flat, or tilted down from the ridge.
                var normal = SIMD3(0.0, 0, 1)
                if let alongX = b.gableAlongX {
                    let slope = 2 * b.rise / (alongX ? (b.maxY - b.minY) : (b.maxX - b.minX))
                    let side = alongX ? (point.y < (b.minY + b.maxY) / 2 ? -1.0 : 1.0) : (point.x < (b.minX + b.maxX) / 2 ? -1.0 : 1.0)
                    normal = PinholeCamera.normalise(alongX ? SIMD3(0, side * slope, 1) : SIMD3(side * slope, 0, 1))
                }
                return Hit(point: point, normal: normal, albedo: b.roof * (0.92 + 0.16 * noise.value(point.x * 2, point.y * 2)))
            }
            // Wall: the face the ray came through; rows of windows every 3 m, every 2.5 m along.
            let normal: SIMD3<Double>
            let along: Double
            if before.x < b.minX { normal = SIMD3(-1, 0, 0); along = point.y } else if before.x > b.maxX { normal = SIMD3(1, 0, 0); along = point.y }
            else if before.y < b.minY { normal = SIMD3(0, -1, 0); along = point.x } else { normal = SIMD3(0, 1, 0); along = point.x }
            let storey = (point.z - b.base).truncatingRemainder(dividingBy: 3), bay = abs(along).truncatingRemainder(dividingBy: 2.5)
            let window = storey > 1.0 && storey < 2.2 && bay > 0.6 && bay < 1.8 && point.z - b.base > 1
            return Hit(point: point, normal: normal, albedo: window ? SIMD3(0.15, 0.18, 0.22) : b.wall)
        }
        // Ground or tree: normal from the height gradient.
        let e = 0.25
        let gx = (sample(groundHeight, point.x + e, point.y) - sample(groundHeight, point.x - e, point.y)) / (2 * e)
        let gy = (sample(groundHeight, point.x, point.y + e) - sample(groundHeight, point.x, point.y - e)) / (2 * e)
        let normal = PinholeCamera.normalise(SIMD3(-gx, -gy, 1))
        let texture = noise.fractal(point.x + 300, point.y, scale: 6, octaves: 3)
        var albedo = grass * (0.75 + 0.5 * texture)
        if noise.fractal(point.x, point.y + 500, scale: 25, octaves: 2) > 0.62 { albedo = soil * (0.85 + 0.3 * texture) }
        if sample(treeHeight, point.x, point.y) > 0.3 { albedo = SIMD3(0.1, 0.22, 0.08) * (0.7 + 0.6 * texture) }
        else if roads.contains(where: { abs(($0.horizontal ? point.y : point.x) - $0.at) < $0.halfWidth }) {
            albedo = SIMD3(0.38, 0.38, 0.4) * (0.93 + 0.14 * texture)
        }
        return Hit(point: point, normal: normal, albedo: albedo)
    }

    /// Lambertian sunlight plus sky light; points that cannot see the sun get only sky light.
    func shade(_ hit: Hit) -> SIMD3<Double> {
        let lambert = max(0, (hit.normal * sun).sum())
        var lit = lambert > 0
        if lit {
            var t = 0.3
            while t < 80 {
                let p = hit.point + hit.normal * 0.05 + sun * t
                if p.z > maxHeight { break }
                if p.z < height(p.x, p.y).0 { lit = false; break }
                t += 0.5
            }
        }
        return hit.albedo * (0.35 + (lit ? 0.75 * lambert : 0))
    }
}
