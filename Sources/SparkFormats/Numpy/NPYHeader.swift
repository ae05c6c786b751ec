/// The parsed header of a `.npy` file: what the bytes after it hold.
struct NPYHeader: Equatable {
    var dtype: NumpyDType
    var byteOrder: NumpyByteOrder
    var fortranOrder: Bool
    var shape: [Int]

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let requiredKeys: Set<String> = ["descr", "fortran_order", "shape"]

    /// Interprets the header dict text. `name` is the file (or archive member) for error messages.
    static func parse(_ text: [UInt8], name: String) throws -> NPYHeader {
        let literal = try PythonLiteral.parse(text, file: name, field: "header")
        guard case .dict(let entries) = literal else {
            throw FormatError.malformed(file: name, field: "header", problem: "the header is not a dict",
                                        expected: "{'descr': ..., 'fortran_order': ..., 'shape': (...)}")
        }
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in entries {
            guard case .string(let keyText) = key else {
                throw FormatError.malformed(file: name, field: "header", problem: "a dict key is not a string",
                                            expected: "the keys 'descr', 'fortran_order' and 'shape'")
            }
            guard requiredKeys.contains(keyText) else {
                throw FormatError.malformed(file: name, field: "header key '\(keyText)'", problem: "unknown key",
                                            expected: "only 'descr', 'fortran_order' and 'shape'")
            }
            if fields[keyText] != nil {
                throw FormatError.malformed(file: name, field: "header key '\(keyText)'", problem: "the key appears twice",
                                            expected: "each key once")
            }
            fields[keyText] = value
        }
        for key in requiredKeys.sorted() where fields[key] == nil {
            throw FormatError.malformed(file: name, field: "header key '\(key)'", problem: "the key is missing",
                                        expected: "'descr', 'fortran_order' and 'shape'")
        }

        let (dtype, byteOrder) = try parseDescr(fields["descr"]!, name: name)
        guard case .bool(let fortranOrder) = fields["fortran_order"]! else {
            throw FormatError.malformed(file: name, field: "header 'fortran_order'", problem: "the value is not True or False",
                                        expected: "True or False")
        }
        guard case .tuple(let dimensions) = fields["shape"]! else {
            throw FormatError.malformed(file: name, field: "header 'shape'", problem: "the value is not a tuple",
                                        expected: "a tuple of non-negative integers such as (3, 4), (5,) or ()")
        }
        var shape: [Int] = []
        for (axis, dimension) in dimensions.enumerated() {
            guard case .int(let size) = dimension, size >= 0 else {
                throw FormatError.malformed(file: name, field: "header 'shape' dimension \(axis)",
                                            problem: "not a non-negative integer", expected: "a non-negative integer")
            }
            shape.append(size)
        }
        return NPYHeader(dtype: dtype, byteOrder: byteOrder, fortranOrder: fortranOrder, shape: shape)
    }

    /// Reads a descr such as '<f4', '>i8' or '|b1'.
    private static func parseDescr(_ value: PythonLiteral, name: String) throws -> (NumpyDType, NumpyByteOrder) {
        let supported = "<f4 <f8 |u1 <u2 <i2 <i4 <i8 |b1 <c8 (and big-endian '>' forms)"
        guard case .string(let descr) = value else {
            throw FormatError.unsupported(file: name, field: "header 'descr'",
                                          feature: "a structured (record) dtype", supported: supported)
        }
        var code = Substring(descr)
        var order: Character = "="
        if let first = code.first, "<>|=".contains(first) {
            order = first
            code = code.dropFirst()
        }
        guard let dtype = NumpyDType(typeCode: String(code)) else {
            throw FormatError.unsupported(file: name, field: "header 'descr'", feature: "dtype '\(descr)'", supported: supported)
        }
        if dtype.itemSize == 1 { return (dtype, .notApplicable) }
        switch order {
        case "<": return (dtype, .little)
        case ">": return (dtype, .big)
        case "=":
            // '=' is the writer's native order; numpy itself never writes it to a file.
            return (dtype, UInt16(1).littleEndian == 1 ? .little : .big)
        default:
            throw FormatError.malformed(file: name, field: "header 'descr'",
                                        problem: "'\(descr)' gives no byte order for a \(dtype.itemSize)-byte type",
                                        expected: "'<' or '>' before the type code")
        }
    }

    /// The header dict as numpy writes it, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
    static func text(dtype: NumpyDType, shape: [Int]) -> String {
        let order = dtype.itemSize == 1 ? "|" : "<"
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        return "{'descr': '\(order)\(dtype.typeCode)', 'fortran_order': False, 'shape': \(shapeText), }"
    }
}
