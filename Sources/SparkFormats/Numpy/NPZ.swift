/// numpy's `.npz` format: a zip archive of `.npy` files, one per array, as `np.savez` (stored)
/// and `np.savez_compressed` (deflated) write them.
public enum NPZ {
    /// Reads every `.npy` member of the archive at `path`, keyed by member name without ".npy".
    /// Members that are not `.npy` files (and directory entries) are skipped, as `np.load` leaves
    /// them aside too; each is still checked against the archive's structure.
    public static func read(path: String, maxElements: Int = NPY.defaultMaxElements) throws -> [String: NumpyArray] {
        let file = try MappedFile(path: path)
        return try decode(file.bytes, name: path, maxElements: maxElements)
    }

    /// Decodes a whole `.npz` archive held in memory. `name` is used in error messages.
    public static func decode(_ bytes: UnsafeRawBufferPointer, name: String,
                              maxElements: Int = NPY.defaultMaxElements) throws -> [String: NumpyArray] {
        let archive = try ZipArchive(bytes: bytes, file: name)
        // The largest member a permitted array can need: its elements at the widest item size,
        // plus a generous allowance for the header.
        let (elementBytes, overflow) = max(0, maxElements).multipliedReportingOverflow(by: 8)
        let maxMemberBytes = overflow ? Int.max : elementBytes.addingReportingOverflow(1 << 20).partialValue
        var arrays: [String: NumpyArray] = [:]
        for member in archive.members where member.name.hasSuffix(".npy") {
            let contents = try archive.contents(of: member, maxBytes: maxMemberBytes)
            let key = String(member.name.dropLast(4))
            arrays[key] = try NPY.decode(contents, name: "\(name) member '\(member.name)'", maxElements: maxElements)
        }
        return arrays
    }

    public static func decode(_ bytes: [UInt8], name: String,
                              maxElements: Int = NPY.defaultMaxElements) throws -> [String: NumpyArray] {
        try bytes.withUnsafeBytes { try decode($0, name: name, maxElements: maxElements) }
    }

    /// The `.npz` bytes of `arrays`, in the given order, each as "<name>.npy".
    public static func encode(_ arrays: [(name: String, array: NumpyArray)], compressed: Bool = false,
                              name: String = "npz") throws -> [UInt8] {
        var writer = ZipWriter(file: name)
        var seen = Set<String>()
        for (arrayName, array) in arrays {
            guard !arrayName.isEmpty, seen.insert(arrayName).inserted else {
                throw FormatError.invalidArgument(file: name, field: "array name '\(arrayName)'",
                                                  problem: arrayName.isEmpty ? "empty name" : "the name is used twice")
            }
            try writer.add(name: arrayName + ".npy", contents: NPY.encode(array), compressed: compressed)
        }
        return try writer.finished()
    }

    /// Writes `arrays` as an `.npz` archive: stored like `np.savez`, or deflated like
    /// `np.savez_compressed` when `compressed` is true.
    public static func write(_ arrays: [(name: String, array: NumpyArray)], to path: String, compressed: Bool = false) throws {
        try OutputFile.write(encode(arrays, compressed: compressed, name: path), to: path)
    }
}
