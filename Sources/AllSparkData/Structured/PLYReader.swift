import Foundation

/// PLY (Stanford polygon file format), ascii or binary little-endian.
///
/// The header names elements (`element vertex 1024`) and their properties, scalar
/// (`property float x`) or list (`property list uchar int vertex_indices`), and ends with
/// `end_header`. The body holds the elements in header order. Every scalar vertex property is
/// kept (x, y, z as positions, the rest by name); faces are read from the `face` element's
/// `vertex_indices` (or `vertex_index`) list; any other element is read past and dropped.
/// `binary_big_endian` is refused with an error that names it.
enum PLYReader {
    enum ScalarType: String {
        case int8, uint8, int16, uint16, int32, uint32, float32, float64

        /// Both spellings in use: `char uchar short ushort int uint float double` and the sized names.
        init?(plyName: String) {
            switch plyName {
            case "char", "int8": self = .int8
            case "uchar", "uint8": self = .uint8
            case "short", "int16": self = .int16
            case "ushort", "uint16": self = .uint16
            case "int", "int32": self = .int32
            case "uint", "uint32": self = .uint32
            case "float", "float32": self = .float32
            case "double", "float64": self = .float64
            default: return nil
            }
        }

        var size: Int {
            switch self {
            case .int8, .uint8: return 1
            case .int16, .uint16: return 2
            case .int32, .uint32, .float32: return 4
            case .float64: return 8
            }
        }
        var isInteger: Bool { self != .float32 && self != .float64 }
    }

    struct Property {
        var name: String
        var type: ScalarType
        /// For a list property, the type of its leading count; nil for a scalar property.
        var listCount: ScalarType?
    }

    struct Element {
        var name: String
        var count: Int
        var properties: [Property] = []
    }

    enum Format { case ascii, binaryLittleEndian }

    struct Header {
        var format: Format
        var elements: [Element]
        /// Offset of the first body byte, just after the `end_header` line.
        var bodyOffset: Int
    }

    static func read(_ path: String, limits: LoadLimits) throws -> PolygonMesh {
        let bytes = try LimitedFileReader.read(path, limits: limits, expected: "a PLY file")
        return try parse(bytes, file: path, limits: limits)
    }

    static func parse(_ bytes: [UInt8], file: String, limits: LoadLimits) throws -> PolygonMesh {
        let header = try parseHeader(bytes, file: file, limits: limits)
        guard let vertexElement = header.elements.first(where: { $0.name == "vertex" }) else {
            throw DataError.malformed(file: file, problem: "header declares no 'element vertex'; expected vertices with x, y, z")
        }
        for axis in ["x", "y", "z"] where !vertexElement.properties.contains(where: { $0.name == axis && $0.listCount == nil }) {
            throw DataError.malformed(file: file, problem: "vertex element has no scalar property '\(axis)'; expected x, y and z")
        }
        var body: PLYBodyCursor = header.format == .ascii
            ? .ascii(PLYAsciiCursor(bytes: bytes, offset: header.bodyOffset, file: file))
            : .binary(PLYBinaryCursor(bytes: bytes, offset: header.bodyOffset, file: file))

        var vertexValues: [String: [Float]] = [:]
        var faceIndices: [Int] = []
        var faceStarts: [Int] = [0]
        for element in header.elements {
            let isVertex = element.name == "vertex"
            let isFace = element.name == "face"
            let faceList = isFace ? element.properties.first { $0.listCount != nil && ($0.name == "vertex_indices" || $0.name == "vertex_index") }?.name : nil
            if isVertex {
                for p in element.properties where p.listCount == nil {
                    vertexValues[p.name] = []
                    vertexValues[p.name]!.reserveCapacity(element.count)
                }
            }
            if faceList != nil { faceStarts.reserveCapacity(element.count + 1) }
            for index in 0..<element.count {
                for property in element.properties {
                    let context = { "element \(element.name) \(index) of \(element.count), property \(property.name)" }
                    if let countType = property.listCount {
                        let length = try body.integer(countType, context)
                        guard length >= 0 else {
                            throw DataError.malformed(file: file, problem: "\(context()): negative list length \(length); expected a count ≥ 0")
                        }
                        let keep = property.name == faceList
                        for _ in 0..<length {
                            let value = try body.integer(property.type, context)
                            if keep { faceIndices.append(value) }
                        }
                        if keep { faceStarts.append(faceIndices.count) }
                    } else {
                        let value = try body.number(property.type, context)
                        if isVertex { vertexValues[property.name]!.append(value) }
                    }
                }
            }
        }
        try body.expectEnd()
        let xs = vertexValues.removeValue(forKey: "x")!, ys = vertexValues.removeValue(forKey: "y")!, zs = vertexValues.removeValue(forKey: "z")!
        var positions = [Float](repeating: 0, count: xs.count * 3)
        for i in 0..<xs.count { positions[3 * i] = xs[i]; positions[3 * i + 1] = ys[i]; positions[3 * i + 2] = zs[i] }
        let mesh = PolygonMesh(positions: positions, vertexProperties: vertexValues, faceIndices: faceIndices, faceStarts: faceStarts)
        try mesh.validateFaces(file: file)
        return mesh
    }

    static func parseHeader(_ bytes: [UInt8], file: String, limits: LoadLimits) throws -> Header {
        var offset = 0
        var lineNumber = 0
        var format: Format?
        var elements: [Element] = []
        func nextLine() -> String? {
            guard offset < bytes.count else { return nil }
            let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = bytes[offset..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            offset = min(end + 1, bytes.count)
            lineNumber += 1
            return String(decoding: line, as: UTF8.self)
        }
        guard nextLine() == "ply" else {
            throw DataError.malformed(file: file, problem: "does not start with the line 'ply'; expected a PLY file")
        }
        while true {
            guard let line = nextLine() else {
                throw DataError.malformed(file: file, problem: "header has no 'end_header' line; expected the header to end with end_header")
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first else { continue }
            switch keyword {
            case "end_header":
                guard let format else {
                    throw DataError.malformed(file: file, problem: "header has no 'format' line; expected format ascii 1.0 or format binary_little_endian 1.0")
                }
                let header = Header(format: format, elements: elements, bodyOffset: offset)
                try checkBodySize(header, bytes: bytes.count, file: file)
                return header
            case "comment", "obj_info":
                continue
            case "format":
                switch words.count > 1 ? words[1] : "" {
                case "ascii": format = .ascii
                case "binary_little_endian": format = .binaryLittleEndian
                case "binary_big_endian":
                    throw DataError.malformed(file: file, problem: "is binary_big_endian, which is not supported; expected ascii or binary_little_endian (convert the file)")
                default:
                    throw DataError.malformed(file: file, problem: "header line \(lineNumber): unknown format '\(line)'; expected ascii or binary_little_endian")
                }
            case "element":
                guard words.count == 3, let count = Int(words[2]), count >= 0 else {
                    throw DataError.malformed(file: file, problem: "header line \(lineNumber): '\(line)'; expected element NAME COUNT with a count ≥ 0")
                }
                guard count <= limits.maxPoints else {
                    throw DataError.malformed(file: file, problem: "header declares \(count) \(words[1]) elements, more than \(limits.maxPoints) (LoadLimits.maxPoints); expected at most \(limits.maxPoints)")
                }
                elements.append(Element(name: words[1], count: count))
            case "property":
                guard !elements.isEmpty else {
                    throw DataError.malformed(file: file, problem: "header line \(lineNumber): property before any element; expected element NAME COUNT first")
                }
                if words.count == 5 && words[1] == "list" {
                    guard let countType = ScalarType(plyName: words[2]), countType.isInteger, let itemType = ScalarType(plyName: words[3]) else {
                        throw DataError.malformed(file: file, problem: "header line \(lineNumber): '\(line)'; expected property list COUNT_TYPE ITEM_TYPE NAME with an integer count type")
                    }
                    elements[elements.count - 1].properties.append(Property(name: words[4], type: itemType, listCount: countType))
                } else if words.count == 3, let type = ScalarType(plyName: words[1]) {
                    elements[elements.count - 1].properties.append(Property(name: words[2], type: type, listCount: nil))
                } else {
                    throw DataError.malformed(file: file, problem: "header line \(lineNumber): '\(line)'; expected property TYPE NAME with TYPE one of char uchar short ushort int uint float double")
                }
            default:
                throw DataError.malformed(file: file, problem: "header line \(lineNumber): unknown keyword '\(keyword)'; expected format, element, property, comment or end_header")
            }
        }
    }

    /// Refuses, before anything is allocated, a header whose element counts need more bytes than
    /// the body has (a lying header): binary rows need at least their fixed-size fields, ascii rows
    /// at least one digit and one separator per property.
    private static func checkBodySize(_ header: Header, bytes: Int, file: String) throws {
        let available = bytes - header.bodyOffset
        var needed = 0
        for element in header.elements {
            let rowBytes = element.properties.reduce(0) { sum, p in
                sum + (header.format == .ascii ? 2 : (p.listCount?.size ?? p.type.size))
            }
            let (total, overflow) = element.count.multipliedReportingOverflow(by: rowBytes)
            let (sum, overflow2) = needed.addingReportingOverflow(total)
            guard !overflow, !overflow2, sum <= available else {
                throw DataError.malformed(file: file, problem: "header declares \(element.count) \(element.name) elements needing at least \(overflow || overflow2 ? "more than \(Int.max)" : String(sum)) body bytes in all, but the body has \(available); expected a file that holds what its header declares (truncated?)")
            }
            needed = sum
        }
    }
}
