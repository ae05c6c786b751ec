import Foundation

/// LAS point clouds (ASPRS LAS 1.2–1.4, point data record formats 0–10), uncompressed.
///
/// `LASHeader` validates the header against the file's size first; the points are then read
/// record by record: x = X · scale + offset (in Double, then Float), and these per-point values
/// under the names PLY files use: `intensity`, `classification` (formats 0–5: the low 5 bits of
/// the byte, without the synthetic/key-point/withheld flags; 6–10: the whole byte),
/// `return_number`, `number_of_returns`, and `red`, `green`, `blue` where the format has colour
/// (2, 3, 5, 7, 8, 10; 16-bit values as stored). GPS time, scan angle, user data, waveforms and
/// extra bytes are skipped.
///
/// LAZ (LASzip-compressed LAS: a `.laz` file, or a format byte with bit 7 set) is refused with a
/// message that says how to decompress it: there is no LAZ decoder on this system to call.
enum LASReader {
    /// The points, and the header for the sample stage to describe.
    struct Cloud {
        var header: LASHeader
        var points: PolygonMesh
    }

    static let expected = "a LAS point cloud (uncompressed .las)"

    static func read(_ path: String, limits: LoadLimits) throws -> Cloud {
        // A .laz file is refused before it is read: its bytes would only be read to be refused.
        var isDirectory: ObjCBool = false
        if (path as NSString).pathExtension.lowercased() == "laz",
           FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw compressedFileError(file: path, reason: "the extension is .laz")
        }
        let bytes = try LimitedFileReader.read(path, limits: limits, expected: expected)
        return try parse(bytes, file: path, limits: limits)
    }

    static func compressedFileError(file: String, reason: String) -> DataError {
        .malformed(file: file, problem: "LAZ (compressed LAS) is not supported; decompress it first, e.g. `laszip -i file.laz -o file.las` or `pdal translate file.laz file.las` (\(reason))")
    }

    static func parse(_ bytes: [UInt8], file: String, limits: LoadLimits) throws -> Cloud {
        let header = try LASHeader.parse(bytes, file: file, limits: limits)
        let format = header.pointFormat
        // The header check bounds count × record length by the file size, so these cannot overflow.
        let count = header.pointCount
        var positions = [Float](repeating: 0, count: count * 3)
        var names = ["intensity", "classification", "return_number", "number_of_returns"]
        if format.rgbOffset != nil { names += ["red", "green", "blue"] }
        var values = [[Float]](repeating: [Float](repeating: 0, count: count), count: names.count)

        for point in 0..<count {
            let record = header.pointDataOffset + point * header.recordLength
            for axis in 0..<3 {
                let stored = bytes.littleEndianInt32(at: record + 4 * axis)
                let coordinate = Float(Double(stored) * header.scale[axis] + header.offset[axis])
                guard coordinate.isFinite else {
                    throw DataError.malformed(file: file, problem: "point \(point): \(["x", "y", "z"][axis]) = \(stored) × \(header.scale[axis]) + \(header.offset[axis]) is not a finite Float; expected coordinates within ±3.4e38 (scale or offset wrong?)")
                }
                positions[3 * point + axis] = coordinate
            }
            let returns = bytes[record + 14]
            values[0][point] = Float(bytes.littleEndianUInt16(at: record + 12))
            if format.isExtended {
                values[1][point] = Float(bytes[record + 16])
                values[2][point] = Float(returns & 0x0F)
                values[3][point] = Float(returns >> 4)
            } else {
                values[1][point] = Float(bytes[record + 15] & 0x1F)
                values[2][point] = Float(returns & 0x07)
                values[3][point] = Float((returns >> 3) & 0x07)
            }
            if let rgb = format.rgbOffset {
                for channel in 0..<3 {
                    values[4 + channel][point] = Float(bytes.littleEndianUInt16(at: record + rgb + 2 * channel))
                }
            }
        }
        let properties = Dictionary(uniqueKeysWithValues: zip(names, values))
        return Cloud(header: header, points: PolygonMesh(positions: positions, vertexProperties: properties))
    }
}
