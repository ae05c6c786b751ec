/// numpy's `.npy` format: a magic string, a version, a header dict giving dtype, order and shape,
/// then the raw elements. Versions 1.0, 2.0 and 3.0 are read; 1.0 is written (2.0 only if the
/// header would not fit, which takes a shape of thousands of dimensions).
public enum NPY {
    /// Default cap on the element count of one array, so that a lying shape cannot make a reader
    /// allocate without bound (2^28 elements: 1 GiB of float32).
    public static let defaultMaxElements = 1 << 28

    /// Reads the array in the `.npy` file at `path`.
    public static func read(path: String, maxElements: Int = defaultMaxElements) throws -> NumpyArray {
        let file = try MappedFile(path: path)
        return try decode(file.bytes, name: path, maxElements: maxElements)
    }

    /// Decodes a whole `.npy` file held in memory. `name` is used in error messages.
    public static func decode(_ bytes: [UInt8], name: String, maxElements: Int = defaultMaxElements) throws -> NumpyArray {
        try bytes.withUnsafeBytes { try decode($0, name: name, maxElements: maxElements) }
    }

    /// Decodes a whole `.npy` file held in memory. `name` is used in error messages.
    public static func decode(_ bytes: UnsafeRawBufferPointer, name: String,
                              maxElements: Int = defaultMaxElements) throws -> NumpyArray {
        var reader = ByteReader(bytes, file: name)
        let magic = try reader.slice(6, field: "magic")
        guard Array(magic) == NPYHeader.magic else {
            throw FormatError.malformed(file: name, field: "magic", problem: "the file starts with \(hex(Array(magic)))",
                                        expected: "\\x93NUMPY (93 4e 55 4d 50 59)")
        }
        let major = try reader.u8("version (major)")
        let minor = try reader.u8("version (minor)")
        let headerLength: Int
        switch (major, minor) {
        case (1, 0): headerLength = Int(try reader.u16("header length"))
        case (2, 0), (3, 0): headerLength = Int(try reader.u32("header length"))
        default:
            throw FormatError.unsupported(file: name, field: "version", feature: "format version \(major).\(minor)",
                                          supported: "1.0, 2.0 and 3.0")
        }
        let headerBytes = try reader.slice(headerLength, field: "header (\(headerLength) bytes declared)")
        let header = try NPYHeader.parse(Array(headerBytes), name: name)

        let count = try CheckedSize.elementCount(header.shape, file: name, field: "header 'shape'")
        if count > maxElements {
            throw FormatError.malformed(file: name, field: "header 'shape'",
                                        problem: "shape \(header.shape) has \(count) elements, more than the limit of \(maxElements)",
                                        expected: "at most \(maxElements) elements")
        }
        let dataBytes = try CheckedSize.multiply(count, header.dtype.itemSize, file: name, field: "data size")
        if reader.remaining != dataBytes {
            let problem = reader.remaining < dataBytes
                ? "only \(reader.remaining) bytes of data follow the header (the file looks truncated)"
                : "\(reader.remaining - dataBytes) bytes follow the data"
            throw FormatError.malformed(file: name, field: "data", problem: problem,
                                        expected: "\(dataBytes) bytes for \(count) elements of \(header.dtype.typeCode)")
        }
        let raw = try reader.slice(dataBytes, field: "data")
        var values = NumpyElementCoding.decode(raw, dtype: header.dtype, count: count, bigEndian: header.byteOrder == .big)
        if header.fortranOrder { values = NumpyElementCoding.fortranToC(values, shape: header.shape) }
        return NumpyArray(validatedShape: header.shape, values: values,
                          byteOrder: header.byteOrder, fortranOrder: header.fortranOrder)
    }

    /// The `.npy` bytes of `array`: version 1.0 header, little-endian, C order, the header padded
    /// with spaces and a newline so that the data starts at a multiple of 64 bytes, as numpy does.
    public static func encode(_ array: NumpyArray) -> [UInt8] {
        let dict = Array(NPYHeader.text(dtype: array.dtype, shape: array.shape).utf8)
        // Magic (6) + version (2) + length (2 or 4) + dict + padding + "\n" ≡ 0 (mod 64).
        let fitsVersion1 = 10 + dict.count + 1 + 63 <= 10 + Int(UInt16.max)
        let prefixLength = fitsVersion1 ? 10 : 12
        let unpadded = prefixLength + dict.count + 1
        let padding = (64 - unpadded % 64) % 64
        let headerLength = dict.count + padding + 1

        var output = NPYHeader.magic
        output.reserveCapacity(prefixLength + headerLength + array.count * array.dtype.itemSize)
        if fitsVersion1 {
            output += [1, 0]
            output += [UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        } else {
            output += [2, 0]
            output += (0..<4).map { UInt8((headerLength >> (8 * $0)) & 0xFF) }
        }
        output += dict
        output += repeatElement(UInt8(ascii: " "), count: padding)
        output.append(UInt8(ascii: "\n"))
        NumpyElementCoding.encode(array.values, into: &output)
        return output
    }

    /// Writes `array` as a `.npy` file (replacing `path` only once the file is complete).
    public static func write(_ array: NumpyArray, to path: String) throws {
        try OutputFile.write(encode(array), to: path)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "(nothing)" : bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
