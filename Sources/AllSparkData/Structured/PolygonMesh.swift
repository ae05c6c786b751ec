/// Vertices (with any extra per-vertex values) and polygonal faces, as PLY and OFF files hold them.
/// A point cloud is a mesh without faces.
struct PolygonMesh: Equatable {
    /// x, y, z of each vertex, interleaved.
    var positions: [Float]
    /// Other scalar per-vertex values by name ("nx", "red", "intensity").
    var vertexProperties: [String: [Float]]
    /// Vertex indices of all faces, one after another; face `f` is
    /// `faceIndices[faceStarts[f]..<faceStarts[f + 1]]`.
    var faceIndices: [Int]
    /// Offsets into `faceIndices`, `faceCount + 1` of them (starting with 0).
    var faceStarts: [Int]

    var vertexCount: Int { positions.count / 3 }
    var faceCount: Int { faceStarts.count - 1 }

    init(positions: [Float], vertexProperties: [String: [Float]] = [:], faceIndices: [Int] = [], faceStarts: [Int] = [0]) {
        self.positions = positions; self.vertexProperties = vertexProperties
        self.faceIndices = faceIndices; self.faceStarts = faceStarts
    }

    /// Checks what the readers cannot check while reading: every face has at least 3 vertices and
    /// names only existing vertices.
    func validateFaces(file: String) throws {
        for f in 0..<faceCount {
            let face = faceIndices[faceStarts[f]..<faceStarts[f + 1]]
            guard face.count >= 3 else {
                throw DataError.malformed(file: file, problem: "face \(f) has \(face.count) vertices; expected at least 3")
            }
            if let bad = face.first(where: { $0 < 0 || $0 >= vertexCount }) {
                throw DataError.malformed(file: file, problem: "face \(f) refers to vertex \(bad); expected indices 0...\(vertexCount - 1) (the file has \(vertexCount) vertices)")
            }
        }
    }
}
