import Foundation

/// The public header block of a LAS file (ASPRS LAS 1.2–1.4), checked field by field against the
/// file's size before the points are read: a header that lies (a count of 2⁶² points, an offset
/// past the end, a record too short for its format) is an error, never an allocation or a trap.
///
/// Versions 1.0 and 1.1 have the same 227-byte layout as 1.2 and are read like it; 1.3 adds the
/// waveform offset (235 bytes), 1.4 the extended VLRs and a 64-bit point count (375 bytes).
/// Variable-length records between the header and the points (projection, extra-bytes
/// descriptions) are skipped, as is anything after the points (waveforms, extended VLRs).
struct LASHeader: Equatable {
    var versionMajor: Int
    var versionMinor: Int
    /// The 32-byte text fields, cut at the first NUL, anything outside printable ASCII as "?".
    var systemIdentifier: String
    var generatingSoftware: String
    var headerSize: Int
    var pointDataOffset: Int
    var pointFormat: LASPointFormat
    var recordLength: Int
    /// The 64-bit count of LAS 1.4 when set, else the legacy 32-bit count.
    var pointCount: Int
    /// x, y, z: a coordinate is the stored integer × scale + offset.
    var scale: [Double]
    var offset: [Double]
    var minimum: [Double]
    var maximum: [Double]

    static let signature: [UInt8] = Array("LASF".utf8)
    /// The header of LAS 1.0–1.2, the smallest there is.
    static let smallestHeaderSize = 227

    /// The shortest header each version's fields need.
    static func minimumHeaderSize(minor: Int) -> Int {
        switch minor {
        case ...2: return 227
        case 3: return 235
        default: return 375
        }
    }

    static func parse(_ bytes: [UInt8], file: String, limits: LoadLimits) throws -> LASHeader {
        func malformed(_ problem: String) -> DataError { .malformed(file: file, problem: problem) }

        guard bytes.starts(with: signature) else {
            let found = bytes.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw malformed("does not start with the signature 'LASF' (found bytes \(found)); expected a LAS point cloud")
        }
        guard bytes.count >= smallestHeaderSize else {
            throw malformed("is \(bytes.count) bytes, shorter than the smallest LAS header (\(smallestHeaderSize) bytes); expected a complete header (truncated?)")
        }
        let major = Int(bytes[24]), minor = Int(bytes[25])
        guard major == 1, (0...4).contains(minor) else {
            throw malformed("is LAS version \(major).\(minor), which is not supported; expected 1.2, 1.3 or 1.4 (or the older 1.0, 1.1)")
        }
        let formatByte = bytes[104]
        // LASzip marks a compressed file by setting bit 7 of the format byte; like laspy, the
        // reader masks the top two bits off the format number (formats stop at 10).
        if formatByte & 0x80 != 0 {
            throw LASReader.compressedFileError(file: file, reason: "the point format byte 0x\(String(formatByte, radix: 16)) has the compression bit 7 set")
        }
        let formatID = Int(formatByte & 0x3F)
        guard let format = LASPointFormat(id: formatID) else {
            throw malformed("point data record format \(formatID) is unknown; expected a format from \(LASPointFormat.known.lowerBound) to \(LASPointFormat.known.upperBound - 1)")
        }

        let headerSize = Int(bytes.littleEndianUInt16(at: 94))
        let needed = minimumHeaderSize(minor: minor)
        guard headerSize >= needed else {
            throw malformed("header size is \(headerSize) bytes; expected at least \(needed) for LAS 1.\(minor)")
        }
        guard headerSize <= bytes.count else {
            throw malformed("header size is \(headerSize) bytes, but the file has only \(bytes.count); expected the whole header (truncated?)")
        }
        let pointDataOffset = Int(bytes.littleEndianUInt32(at: 96))
        guard pointDataOffset >= headerSize, pointDataOffset <= bytes.count else {
            throw malformed("offset to point data is \(pointDataOffset); expected a byte from the end of the header (\(headerSize)) to the end of the file (\(bytes.count))")
        }
        let recordLength = Int(bytes.littleEndianUInt16(at: 105))
        guard recordLength >= format.minimumLength else {
            throw malformed("point data record length is \(recordLength) bytes, shorter than point format \(formatID) needs; expected at least \(format.minimumLength)")
        }

        let pointCount = try checkedPointCount(bytes, minor: minor, file: file, limits: limits)
        let (pointBytes, overflow) = pointCount.multipliedReportingOverflow(by: recordLength)
        let available = bytes.count - pointDataOffset
        guard !overflow, pointBytes <= available else {
            let size = overflow ? "more than \(Int.max)" : String(pointBytes)
            throw malformed("header declares \(pointCount) points of \(recordLength) bytes (\(size) bytes from byte \(pointDataOffset)), but the file has \(available) bytes there; expected the file to hold every point its header declares (truncated?)")
        }

        let scale = (0..<3).map { bytes.littleEndianFloat64(at: 131 + 8 * $0) }
        let offset = (0..<3).map { bytes.littleEndianFloat64(at: 155 + 8 * $0) }
        for (axis, name) in ["x", "y", "z"].enumerated() {
            guard scale[axis].isFinite, scale[axis] != 0 else {
                throw malformed("\(name) scale factor is \(scale[axis]); expected a finite, non-zero number (e.g. 0.01)")
            }
            guard offset[axis].isFinite else {
                throw malformed("\(name) offset is \(offset[axis]); expected a finite number")
            }
        }
        // Stored as max x, min x, max y, min y, max z, min z.
        let bounds = (0..<6).map { bytes.littleEndianFloat64(at: 179 + 8 * $0) }
        return LASHeader(versionMajor: major, versionMinor: minor,
                         systemIdentifier: printableASCII(bytes[26..<58]), generatingSoftware: printableASCII(bytes[58..<90]),
                         headerSize: headerSize, pointDataOffset: pointDataOffset, pointFormat: format,
                         recordLength: recordLength, pointCount: pointCount, scale: scale, offset: offset,
                         minimum: [bounds[1], bounds[3], bounds[5]], maximum: [bounds[0], bounds[2], bounds[4]])
    }

    /// LAS 1.4's 64-bit count when it is set (writers leave the legacy one 0 for formats 6–10 and
    /// above 2³² − 1 points), the legacy 32-bit count otherwise; within `limits.maxPoints`.
    private static func checkedPointCount(_ bytes: [UInt8], minor: Int, file: String, limits: LoadLimits) throws -> Int {
        let legacy = UInt64(bytes.littleEndianUInt32(at: 107))
        let extended = minor >= 4 ? bytes.littleEndianUInt64(at: 247) : 0
        let count = extended != 0 ? extended : legacy
        guard count <= UInt64(limits.maxPoints) else {
            throw DataError.malformed(file: file, problem: "header declares \(count) points, more than \(limits.maxPoints) (LoadLimits.maxPoints); expected at most \(limits.maxPoints)")
        }
        return Int(count)
    }

    /// A fixed-size text field as printable ASCII: cut at the first NUL, other bytes outside
    /// 0x20–0x7E shown as "?", so a stray control byte cannot reach the terminal.
    static func printableASCII(_ field: ArraySlice<UInt8>) -> String {
        let characters = field.prefix { $0 != 0 }.map { (0x20...0x7E).contains($0) ? Character(Unicode.Scalar($0)) : "?" }
        return String(characters).trimmingCharacters(in: .whitespaces)
    }

    /// One line for the sample stage: what the file is and how its integers became coordinates.
    var summary: String {
        let axes = ["x", "y", "z"]
        let bounds = axes.indices.map { "\(axes[$0]) \(Self.decimal(minimum[$0], scale: scale[$0]))…\(Self.decimal(maximum[$0], scale: scale[$0]))" }
        return "LAS \(versionMajor).\(versionMinor) point format \(pointFormat.id), \(pointCount) points of \(recordLength) bytes; "
            + "coordinates = integer × scale (\(scale.map { "\($0)" }.joined(separator: ", "))) + offset (\(offset.map { "\($0)" }.joined(separator: ", "))); "
            + "header bounds \(bounds.joined(separator: ", ")); system \"\(systemIdentifier)\", software \"\(generatingSoftware)\""
    }

    /// `value` with as many decimals as the scale resolves (0.001 → 3), so bounds read as stored.
    private static func decimal(_ value: Double, scale: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let decimals = min(10, max(0, Int((-log10(abs(scale)) - 1e-9).rounded(.up))))
        return String(format: "%.\(decimals)f", value)
    }
}
