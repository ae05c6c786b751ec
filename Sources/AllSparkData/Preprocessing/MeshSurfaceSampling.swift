/// Points sampled uniformly over the surface of a polygon mesh: each point falls on a triangle
/// chosen with probability proportional to its area (polygons are split into fans of triangles
/// from their first vertex), at a uniformly distributed position inside it (Osada et al., "Shape
/// distributions", 2002: p = (1−√r₁)a + √r₁(1−r₂)b + √r₁r₂c). Per-vertex properties are
/// interpolated with the same barycentric weights. Seeded: the same mesh and seed give the same points.
enum MeshSurfaceSampling {
    struct Result {
        var positions: [Float]
        var properties: [String: [Float]]
    }

    /// Fails (with `file` in the message) when the faces have no area to sample from.
    static func sample(_ mesh: PolygonMesh, count: Int, seed: UInt64, file: String) throws -> Result {
        // Triangles as vertex-index triples, with running area totals for the weighted choice.
        var triangles: [(Int, Int, Int)] = []
        var cumulative: [Double] = []
        var total = 0.0
        let p = mesh.positions
        func area(_ a: Int, _ b: Int, _ c: Int) -> Double {
            let ux = Double(p[3 * b] - p[3 * a]), uy = Double(p[3 * b + 1] - p[3 * a + 1]), uz = Double(p[3 * b + 2] - p[3 * a + 2])
            let vx = Double(p[3 * c] - p[3 * a]), vy = Double(p[3 * c + 1] - p[3 * a + 1]), vz = Double(p[3 * c + 2] - p[3 * a + 2])
            let cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx
            return 0.5 * (cx * cx + cy * cy + cz * cz).squareRoot()
        }
        for f in 0..<mesh.faceCount {
            let face = Array(mesh.faceIndices[mesh.faceStarts[f]..<mesh.faceStarts[f + 1]])
            for k in 1..<(face.count - 1) {
                let a = area(face[0], face[k], face[k + 1])
                guard a > 0 else { continue }
                triangles.append((face[0], face[k], face[k + 1]))
                total += a
                cumulative.append(total)
            }
        }
        guard total > 0, total.isFinite else {
            throw DataError.malformed(file: file, problem: "its \(mesh.faceCount) faces have no area to sample points from; expected a mesh with non-degenerate faces")
        }
        var random = DeterministicRandom(seed: seed)
        var positions = [Float](repeating: 0, count: count * 3)
        let names = mesh.vertexProperties.keys.sorted()
        var properties = [String: [Float]]()
        for name in names { properties[name] = [Float](repeating: 0, count: count) }
        for i in 0..<count {
            // Binary search for the first running total above the draw.
            let target = random.uniform() * total
            var low = 0, high = cumulative.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            let (a, b, c) = triangles[low]
            let r1 = random.uniform().squareRoot(), r2 = random.uniform()
            let wa = 1 - r1, wb = r1 * (1 - r2), wc = r1 * r2
            for axis in 0..<3 {
                positions[3 * i + axis] = Float(wa * Double(p[3 * a + axis]) + wb * Double(p[3 * b + axis]) + wc * Double(p[3 * c + axis]))
            }
            for name in names {
                let values = mesh.vertexProperties[name]!
                properties[name]![i] = Float(wa * Double(values[a]) + wb * Double(values[b]) + wc * Double(values[c]))
            }
        }
        return Result(positions: positions, properties: properties)
    }
}
