import Foundation

/// Triangle meshes of simple solids (boxes, surfaces of revolution, tori), built in Double and
/// handed to `MeshSurfaceSampling` as a `PolygonMesh`. Used by the point-cloud generator to make
/// ModelNet-like objects from parts.
struct ShapeMeshBuilder {
    private(set) var vertices: [Double] = []
    private(set) var triangles: [Int] = []

    private mutating func vertex(_ x: Double, _ y: Double, _ z: Double) -> Int {
        vertices += [x, y, z]
        return vertices.count / 3 - 1
    }

    private mutating func quad(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
        triangles += [a, b, c, a, c, d]
    }

    /// An axis-aligned box from its centre and full sizes.
    mutating func box(centre: (Double, Double, Double), size: (Double, Double, Double)) {
        let (cx, cy, cz) = centre, (sx, sy, sz) = (size.0 / 2, size.1 / 2, size.2 / 2)
        var corner = [Int]()
        for k in 0..<8 {
            corner.append(vertex(cx + (k & 1 == 0 ? -sx : sx), cy + (k & 2 == 0 ? -sy : sy), cz + (k & 4 == 0 ? -sz : sz)))
        }
        quad(corner[0], corner[1], corner[3], corner[2])  // bottom (z−)
        quad(corner[4], corner[5], corner[7], corner[6])  // top (z+)
        quad(corner[0], corner[1], corner[5], corner[4])  // y−
        quad(corner[2], corner[3], corner[7], corner[6])  // y+
        quad(corner[0], corner[2], corner[6], corner[4])  // x−
        quad(corner[1], corner[3], corner[7], corner[5])  // x+
    }

    /// A surface of revolution about the z axis through `centre`: `profile` is (radius, z) from
    /// bottom to top; radius 0 closes the surface at that end. `capBottom`/`capTop` add flat discs.
    mutating func revolution(profile: [(Double, Double)], centre: (Double, Double) = (0, 0), segments: Int = 24,
                             capBottom: Bool = false, capTop: Bool = false) {
        var rings: [[Int]] = []
        for (radius, z) in profile {
            rings.append((0..<segments).map { s in
                let angle = 2 * Double.pi * Double(s) / Double(segments)
                return vertex(centre.0 + radius * cos(angle), centre.1 + radius * sin(angle), z)
            })
        }
        for r in 0..<(rings.count - 1) {
            for s in 0..<segments {
                let t = (s + 1) % segments
                quad(rings[r][s], rings[r][t], rings[r + 1][t], rings[r + 1][s])
            }
        }
        if capBottom, let (radius, z) = profile.first, radius > 0 { cap(rings[0], centre: (centre.0, centre.1, z)) }
        if capTop, let (radius, z) = profile.last, radius > 0 { cap(rings[rings.count - 1], centre: (centre.0, centre.1, z)) }
    }

    private mutating func cap(_ ring: [Int], centre: (Double, Double, Double)) {
        let middle = vertex(centre.0, centre.1, centre.2)
        for s in 0..<ring.count { triangles += [middle, ring[s], ring[(s + 1) % ring.count]] }
    }

    /// A torus about the z axis: ring radius `major`, tube radius `minor`.
    mutating func torus(major: Double, minor: Double, segments: Int = 32, tubeSegments: Int = 12) {
        var grid: [[Int]] = []
        for s in 0..<segments {
            let u = 2 * Double.pi * Double(s) / Double(segments)
            grid.append((0..<tubeSegments).map { t in
                let v = 2 * Double.pi * Double(t) / Double(tubeSegments)
                let r = major + minor * cos(v)
                return vertex(r * cos(u), r * sin(u), minor * sin(v))
            })
        }
        for s in 0..<segments {
            for t in 0..<tubeSegments {
                quad(grid[s][t], grid[(s + 1) % segments][t], grid[(s + 1) % segments][(t + 1) % tubeSegments], grid[s][(t + 1) % tubeSegments])
            }
        }
    }

    var mesh: PolygonMesh {
        PolygonMesh(positions: vertices.map { Float($0) }, faceIndices: triangles,
                    faceStarts: Array(stride(from: 0, through: triangles.count, by: 3)))
    }
}
