import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// LAS point clouds: the fixtures laspy wrote (scripts/reference/make_las_fixtures.py) read back
/// as laspy reads them, and every lying or truncated header refused with the file, the field and
/// what was expected.
@Suite("Structured: LAS point clouds")
struct StructuredLASTests {
    static let fixtures = ["las12-format0.las", "las12-format3-rgb.las", "las14-format6.las", "las14-format7-rgb.las"]

    static var fixtureFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/las").path
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: (fixtureFolder as NSString).appendingPathComponent(name))))
    }

    /// What laspy read back from one fixture (an entry of `expected.json`).
    struct LaspyReading: Decodable {
        var version: String
        var pointFormat: Int
        var recordLength: Int
        var pointCount: Int
        var scale, offset, min, max: [Double]
        var systemIdentifier, generatingSoftware: String
        /// x, y, z scaled, and every per-point value the reader should return, by name.
        var points: [String: [Double]]
    }

    static func expected(_ name: String) throws -> LaspyReading {
        let data = try Data(contentsOf: URL(fileURLWithPath: (fixtureFolder as NSString).appendingPathComponent("expected.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try #require(try decoder.decode([String: LaspyReading].self, from: data)[name])
    }

    func load(_ path: String, limits: LoadLimits = .standard) throws -> Sample {
        try PointCloudLoader().load(path: path, options: [:], limits: limits)
    }

    @Test(arguments: fixtures)
    func readsWhatLaspyReads(name: String) throws {
        let reference = try Self.expected(name)
        let path = (Self.fixtureFolder as NSString).appendingPathComponent(name)
        let cloud = try LASReader.read(path, limits: .standard)
        let header = cloud.header
        #expect("\(header.versionMajor).\(header.versionMinor)" == reference.version)
        #expect(header.pointFormat.id == reference.pointFormat)
        #expect(header.recordLength == reference.recordLength)
        #expect(header.pointCount == reference.pointCount)
        #expect(header.scale == reference.scale)
        #expect(header.offset == reference.offset)
        #expect(header.minimum == reference.min)
        #expect(header.maximum == reference.max)
        #expect(header.systemIdentifier == reference.systemIdentifier)
        #expect(header.generatingSoftware == reference.generatingSoftware)

        let values = reference.points
        // Same Double arithmetic (X · scale + offset) as laspy, then rounded once to Float.
        for (axis, name) in ["x", "y", "z"].enumerated() {
            let mine = stride(from: axis, to: cloud.points.positions.count, by: 3).map { cloud.points.positions[$0] }
            #expect(mine == (try #require(values[name])).map(Float.init), "\(name) differs from laspy")
        }
        let properties = values.filter { !["x", "y", "z"].contains($0.key) }
        #expect(Set(cloud.points.vertexProperties.keys) == Set(properties.keys))
        for (property, column) in properties {
            #expect(cloud.points.vertexProperties[property] == column.map(Float.init), "\(property) differs from laspy")
        }
    }

    @Test func theSampleDescribesTheHeader() throws {
        let sample = try load((Self.fixtureFolder as NSString).appendingPathComponent("las14-format7-rgb.las"))
        guard case .pointCloud(let points, let properties) = sample.content else {
            Issue.record("not a point cloud: \(sample.content)"); return
        }
        #expect(points.shape == [40, 3])
        #expect(properties["red"]?.count == 40)
        let note = try #require(sample.conversion)
        for fragment in ["LAS 1.4", "point format 7", "40 points of 40 bytes", "scale (0.001, 0.002, 0.0001)",
                         "offset (-73.5, 40.75, 10.0)", "x -2063.754…1886.699", "z 5.2933…14.9426",
                         "system \"allspark fixture\"", "software \"laspy 2.7.0\""] {
            #expect(note.contains(fragment), "conversion lacks '\(fragment)': \(note)")
        }
    }

    /// samples/pointcloud/elephant.las is elephant.off's vertices written by laspy at a 1e-7 scale.
    @Test func theCommittedSampleIsTheElephantsVertices() throws {
        let folder = (StructuredSamplesTests.repositoryRoot as NSString).appendingPathComponent("samples/pointcloud")
        let las = try SampleLoaders.load(.pointcloud, SampleReference(path: (folder as NSString).appendingPathComponent("elephant.las")))
        let off = try SampleLoaders.load(.pointcloud, SampleReference(path: (folder as NSString).appendingPathComponent("elephant.off")))
        guard case .pointCloud(let points, let properties) = las.content, case .pointCloud(let reference, _) = off.content else {
            Issue.record("not point clouds"); return
        }
        #expect(points.shape == [2775, 3])
        #expect(zip(points.scalars, reference.scalars).allSatisfy { abs($0 - $1) <= 1e-7 })
        #expect(properties["classification"]?.allSatisfy { $0 == 1 } == true)
        #expect(las.provenance.licence.hasPrefix("CC0-1.0"))
        #expect(las.label == .className("elephant"))
        #expect(las.conversion?.hasPrefix("LAS 1.4 point format 6, 2775 points of 30 bytes") == true)
    }

    @Test func headerTextIsPrintableASCII() throws {
        var bytes = try Self.fixture("las12-format0.las")
        bytes.replaceSubrange(26..<32, with: [0x61, 0x1B, 0x5B, 0xFF, 0x62, 0x00])  // a ESC [ 0xFF b NUL
        let header = try LASReader.parse(bytes, file: "t.las", limits: .standard).header
        #expect(header.systemIdentifier == "a?[?b")
    }

    /// The fixture bytes with `edit` applied, written to a file; the error must name that file.
    func expectRefused(_ fixture: String, as name: String = "bad.las", limits: LoadLimits = .standard, mentions: [String],
                       sourceLocation: SourceLocation = #_sourceLocation, _ edit: (inout [UInt8]) -> Void) throws {
        var bytes = try Self.fixture(fixture)
        edit(&bytes)
        let folder = try StructuredTempFolder()
        let path = try folder.write(name, bytes: bytes)
        expectLoadError(file: path, mentions: mentions, sourceLocation: sourceLocation) { _ = try load(path, limits: limits) }
    }

    static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: $0) }
    }

    @Test func truncatedFilesAreRefused() throws {
        // las12-format0.las: a 227-byte header, then 40 points of 20 bytes (1027 bytes in all).
        try expectRefused("las12-format0.las", mentions: ["signature 'LASF'"]) { $0.removeSubrange(3...) }
        try expectRefused("las12-format0.las", mentions: ["100 bytes", "smallest LAS header (227 bytes)"]) { $0.removeSubrange(100...) }
        try expectRefused("las12-format0.las", mentions: ["226 bytes", "smallest LAS header"]) { $0.removeSubrange(226...) }
        try expectRefused("las12-format0.las", mentions: ["40 points of 20 bytes", "has 0 bytes there", "truncated"]) { $0.removeSubrange(227...) }
        try expectRefused("las12-format0.las", mentions: ["40 points of 20 bytes", "has 799 bytes there"]) { $0.removeLast() }
        // las14-format7-rgb.las: a 375-byte header, one VLR, points from byte 621.
        try expectRefused("las14-format7-rgb.las", mentions: ["header size is 375 bytes", "only 300"]) { $0.removeSubrange(300...) }
        try expectRefused("las14-format7-rgb.las", mentions: ["offset to point data is 621", "end of the file (500)"]) { $0.removeSubrange(500...) }
        try expectRefused("las14-format7-rgb.las", mentions: ["40 points of 40 bytes", "truncated"]) { $0.removeSubrange(1000...) }
    }

    /// A small fuzz pass inside the suite: every prefix of a file, and every header byte set to
    /// 0x00, 0x7F, 0x80 and 0xFF, is read or refused with a DataError — never a trap.
    @Test(arguments: ["las12-format0.las", "las14-format7-rgb.las"])
    func everyPrefixAndHeaderByteIsReadOrRefused(name: String) throws {
        let bytes = try Self.fixture(name)
        func readOrRefuse(_ input: [UInt8]) {
            do { _ = try LASReader.parse(input, file: "t.las", limits: .standard) } catch is DataError {} catch {
                Issue.record("not a DataError: \(error)")
            }
        }
        for length in 0..<bytes.count { readOrRefuse(Array(bytes[..<length])) }
        for position in 0..<min(bytes.count, 375) {
            for value: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
                var mutated = bytes
                mutated[position] = value
                readOrRefuse(mutated)
            }
        }
    }

    @Test func lyingHeadersAreRefused() throws {
        try expectRefused("las12-format0.las", mentions: ["signature 'LASF'", "4c 41 53 47"]) { $0[3] = UInt8(ascii: "G") }
        try expectRefused("las12-format0.las", mentions: ["version 2.0", "expected 1.2, 1.3 or 1.4"]) { $0[24] = 2; $0[25] = 0 }
        try expectRefused("las12-format0.las", mentions: ["point data record format 11 is unknown", "0 to 10"]) { $0[104] = 11 }
        try expectRefused("las12-format0.las", mentions: ["record length is 19 bytes", "point format 0", "at least 20"]) {
            Self.put(UInt16(19), at: 105, in: &$0)
        }
        try expectRefused("las14-format7-rgb.las", mentions: ["record length is 35 bytes", "point format 7", "at least 36"]) {
            Self.put(UInt16(35), at: 105, in: &$0)
        }
        try expectRefused("las12-format0.las", mentions: ["offset to point data is 5000", "end of the file (1027)"]) {
            Self.put(UInt32(5000), at: 96, in: &$0)
        }
        try expectRefused("las12-format0.las", mentions: ["offset to point data is 100", "end of the header (227)"]) {
            Self.put(UInt32(100), at: 96, in: &$0)
        }
        try expectRefused("las14-format6.las", mentions: ["header size is 227 bytes", "at least 375 for LAS 1.4"]) {
            Self.put(UInt16(227), at: 94, in: &$0)
        }
        try expectRefused("las12-format0.las", mentions: ["x scale factor is 0.0", "non-zero"]) {
            Self.put(UInt64(0), at: 131, in: &$0)
        }
        try expectRefused("las12-format0.las", mentions: ["point 0", "not a finite Float"]) {
            Self.put((1e300).bitPattern, at: 131, in: &$0)
        }
    }

    @Test func claimedPointCountsAreBoundedBeforeAllocating() throws {
        // LAS 1.4's 64-bit count: 2⁶² points is refused by the limit, and, with no limit, by the size.
        try expectRefused("las14-format6.las", mentions: ["4611686018427387904 points", "LoadLimits.maxPoints"]) {
            Self.put(UInt64(1) << 62, at: 247, in: &$0)
        }
        var unlimited = LoadLimits()
        unlimited.maxPoints = .max
        try expectRefused("las14-format6.las", limits: unlimited, mentions: ["4611686018427387904 points of 30 bytes", "more than 9223372036854775807"]) {
            Self.put(UInt64(1) << 62, at: 247, in: &$0)
        }
        try expectRefused("las14-format6.las", limits: unlimited, mentions: ["18446744073709551615 points"]) {
            Self.put(UInt64.max, at: 247, in: &$0)
        }
        // The legacy 32-bit count of LAS 1.2.
        try expectRefused("las12-format0.las", mentions: ["4294967295 points", "LoadLimits.maxPoints"]) {
            Self.put(UInt32.max, at: 107, in: &$0)
        }
        try expectRefused("las12-format0.las", limits: unlimited, mentions: ["4294967295 points of 20 bytes", "truncated"]) {
            Self.put(UInt32.max, at: 107, in: &$0)
        }
        try expectRefused("las12-format0.las", mentions: ["has no vertices"]) { Self.put(UInt32(0), at: 107, in: &$0) }
    }

    @Test func compressedFilesGetTheDecompressionHint() throws {
        let hint = ["LAZ (compressed LAS) is not supported", "laszip -i file.laz -o file.las", "pdal translate file.laz file.las"]
        try expectRefused("las12-format0.las", as: "scan.laz", mentions: hint + ["extension is .laz"]) { _ in }
        try expectRefused("las14-format6.las", mentions: hint + ["0x86", "bit 7"]) { $0[104] |= 0x80 }
        // Bit 6 alone is not LASzip's marker: masked off (as laspy does), the file reads as format 0.
        var bytes = try Self.fixture("las12-format0.las")
        bytes[104] |= 0x40
        #expect(try LASReader.parse(bytes, file: "t.las", limits: .standard).points.vertexCount == 40)
        // A missing .laz is reported as missing, not as compressed.
        let folder = try StructuredTempFolder()
        expectLoadError(file: folder.file("gone.laz"), mentions: ["no such file"]) { _ = try load(folder.file("gone.laz")) }
    }

    /// One point in each format 0–10, written from the specification's layouts, so the formats
    /// without a laspy fixture (1, 2, 4, 5, 8, 9, 10) are read at the right offsets too.
    @Test(arguments: 0...10)
    func everyFormatReadsItsFields(format: Int) throws {
        let layout = try #require(LASPointFormat(id: format))
        let extended = format >= 6
        var bytes = try Self.fixture("las14-format6.las")
        bytes.removeSubrange(375...)  // the bare 1.4 header, points at 375
        bytes[104] = UInt8(format)
        Self.put(UInt16(layout.minimumLength + 3), at: 105, in: &bytes)  // with 3 extra bytes
        Self.put(UInt32(375), at: 96, in: &bytes)
        Self.put(UInt64(1), at: 247, in: &bytes)
        var record = [UInt8](repeating: 0xEE, count: layout.minimumLength + 3)
        Self.put(Int32(-4000), at: 0, in: &record)
        Self.put(Int32(0), at: 4, in: &record)
        Self.put(Int32(2), at: 8, in: &record)
        Self.put(UInt16(777), at: 12, in: &record)
        record[14] = extended ? 0xC3 : 0b0010_1011  // returns 3 of 12 / 3 of 5
        record[15] = extended ? 0x00 : 0xE9         // legacy: class 9 under the three flag bits
        if extended { record[16] = 201 }
        let rgb: [UInt16] = [65535, 256, 1]
        if let offset = layout.rgbOffset {
            for (k, value) in rgb.enumerated() { Self.put(value, at: offset + 2 * k, in: &record) }
        }
        let cloud = try LASReader.parse(bytes + record, file: "f\(format).las", limits: .standard)
        let scale = cloud.header.scale, offset = cloud.header.offset
        #expect(cloud.points.positions == [Float(-4000 * scale[0] + offset[0]), Float(offset[1]), Float(2 * scale[2] + offset[2])])
        let properties = cloud.points.vertexProperties
        #expect(properties["intensity"] == [777])
        #expect(properties["return_number"] == [3])
        #expect(properties["number_of_returns"] == [extended ? 12 : 5])
        #expect(properties["classification"] == [extended ? 201 : 9])
        let hasColour = [2, 3, 5, 7, 8, 10].contains(format)
        #expect((layout.rgbOffset != nil) == hasColour)
        #expect(properties["red"] == (hasColour ? [65535] : nil))
        #expect(properties["green"] == (hasColour ? [256] : nil))
        #expect(properties["blue"] == (hasColour ? [1] : nil))
    }
}
