import Foundation

/// Writes point clouds as binary little-endian PLY with float32 x, y, z (the form `PLYReader`
/// reads fastest and the smallest on disk).
enum PLYWriter {
    static func binaryPointCloud(_ positions: [Float], comment: String) -> [UInt8] {
        let count = positions.count / 3
        var bytes = Array("""
        ply
        format binary_little_endian 1.0
        comment \(comment.replacingOccurrences(of: "\n", with: " "))
        element vertex \(count)
        property float x
        property float y
        property float z
        end_header\n
        """.utf8)
        bytes.reserveCapacity(bytes.count + positions.count * 4)
        for value in positions {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }
}
