import Foundation

/// ENVI rasters are two files: a text header `scene.hdr` and the raw pixels beside it (`scene`,
/// `scene.img`, `scene.dat` …). GDAL's ENVI driver opens the data file and finds the header; these
/// helpers let a user name either file, and check, before GDAL opens it, that the data file holds
/// every byte the header declares: GDAL's raw reader refuses some short files ("Image file is too
/// small") and gives the missing pixels of others as zeros, silently.
enum ENVIFiles {
    /// Extensions ENVI data files carry, tried in this order beside a header (and upper-cased).
    static let dataExtensions = ["img", "dat", "raw", "bin", "bsq", "bil", "bip"]
    /// Headers list a name and a wavelength per band; hundreds of bands fit in well under this.
    static let maxHeaderBytes = 4 << 20

    static func isHeader(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "hdr" }

    /// The file GDAL should open for `path`: `path` itself, or for a header `scene.hdr` the data
    /// file it describes (`scene.img.hdr` names `scene.img`).
    static func dataFile(for path: String) throws -> String {
        guard isHeader(path) else { return path }
        _ = try BoundedFile.size(of: path, what: "an ENVI header")
        let stem = (path as NSString).deletingPathExtension
        let candidates = [stem] + dataExtensions.flatMap { [stem + "." + $0, stem + "." + $0.uppercased()] }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) && !BoundedFile.isDirectory($0) }) {
            return found
        }
        let names = ([stem] + dataExtensions.map { stem + "." + $0 }).map { ($0 as NSString).lastPathComponent }
        throw DataError.unreadable(file: path, problem: "is an ENVI header, but the data file it describes is missing; expected the raw pixels beside it as \(names.joined(separator: ", "))")
    }

    /// The header GDAL's ENVI driver reads for the data file `path` (`scene.hdr` or `scene.img.hdr`).
    static func header(for path: String) -> String? {
        let stem = (path as NSString).deletingPathExtension
        return [stem + ".hdr", stem + ".HDR", path + ".hdr", path + ".HDR"].first {
            $0 != path && FileManager.default.fileExists(atPath: $0) && !BoundedFile.isDirectory($0)
        }
    }

    /// Fails when `path` is an ENVI data file shorter than its header's offset + bands × lines ×
    /// samples × bytes per value. Files without an ENVI header beside them, and headers without
    /// those fields, are left to GDAL.
    static func checkDataSize(of path: String, size: Int) throws {
        guard let header = header(for: path) else { return }
        var limits = LoadLimits()
        limits.maxFileBytes = maxHeaderBytes
        let text = String(decoding: try BoundedFile.bytes(at: header, what: "an ENVI header", limits: limits), as: UTF8.self)
        guard text.hasPrefix("ENVI") else { return }
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            fields[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        let number = { (key: String) in fields[key].flatMap { Int($0) } }
        guard let samples = number("samples"), let lines = number("lines"), let bands = number("bands"),
              let type = number("data type"), let itemSize = bytesPerValue[type] else { return }
        let offset = number("header offset") ?? 0
        let name = (header as NSString).lastPathComponent
        let declared = "\(name) declares \(bands) bands × \(lines) lines × \(samples) samples of ENVI data type \(type) (\(itemSize) bytes each) after a \(offset)-byte header offset"
        let values = try CheckedArithmetic.product([bands, lines, samples, itemSize], file: path, field: "\(name)'s bands × lines × samples × bytes")
        let (needed, overflow) = values.addingReportingOverflow(max(offset, 0))
        guard !overflow, size >= needed else {
            throw DataError.malformed(file: path, problem: "the data file has \(size) bytes, but \(declared); expected at least \(overflow ? "that many" : String(needed)) bytes (is the data file truncated, or the header wrong?)")
        }
    }

    /// Bytes per value of ENVI's `data type` codes.
    static let bytesPerValue: [Int: Int] = [1: 1, 2: 2, 3: 4, 4: 4, 5: 8, 6: 8, 9: 16, 12: 2, 13: 4, 14: 8, 15: 8]
}
