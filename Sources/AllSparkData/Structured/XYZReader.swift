/// Point-cloud text: one point per line, `x y z` or `x y z nx ny nz`, separated by spaces, tabs
/// or commas (ModelNet40's resampled `.txt` files use `x,y,z,nx,ny,nz`; CGAL's `.xyz` use spaces).
/// Every line must have the same number of values, 3 or 6. `#` comment lines and blank lines are skipped.
enum XYZReader {
    static func read(_ path: String, limits: LoadLimits) throws -> PolygonMesh {
        let text = try UTF8TextReader.read(path, limits: limits, expected: "point-cloud text (x y z [nx ny nz] per line)")
        return try parse(text, file: path, limits: limits)
    }

    static func parse(_ text: String, file: String, limits: LoadLimits) throws -> PolygonMesh {
        var positions: [Float] = []
        var normals: [Float] = []
        var columns: Int?
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" })
            if words.isEmpty || words[0].hasPrefix("#") { continue }
            guard words.count == 3 || words.count == 6 else {
                throw DataError.malformed(file: file, problem: "line \(lineNumber) has \(words.count) values; expected 3 (x y z) or 6 (x y z nx ny nz)")
            }
            if let columns, columns != words.count {
                throw DataError.malformed(file: file, problem: "line \(lineNumber) has \(words.count) values, earlier lines \(columns); expected the same number on every line")
            }
            columns = words.count
            guard positions.count / 3 < limits.maxPoints else {
                throw DataError.malformed(file: file, problem: "has more than \(limits.maxPoints) points (LoadLimits.maxPoints); expected at most \(limits.maxPoints)")
            }
            for (k, word) in words.enumerated() {
                guard let v = Double(word) else {
                    throw DataError.malformed(file: file, problem: "line \(lineNumber): value \(k + 1) '\(word.prefix(20))' is not a number; expected x y z [nx ny nz]")
                }
                let single = Float(v)
                guard v.isFinite, single.isFinite else {
                    throw DataError.malformed(file: file, problem: "line \(lineNumber): value \(k + 1) '\(word.prefix(20))' is not finite; expected finite numbers (no NaN or Inf)")
                }
                if k < 3 { positions.append(single) } else { normals.append(single) }
            }
        }
        guard !positions.isEmpty else {
            throw DataError.malformed(file: file, problem: "holds no points; expected lines of x y z [nx ny nz]")
        }
        var properties: [String: [Float]] = [:]
        if columns == 6 {
            let n = positions.count / 3
            for (k, name) in ["nx", "ny", "nz"].enumerated() {
                properties[name] = (0..<n).map { normals[3 * $0 + k] }
            }
        }
        return PolygonMesh(positions: positions, vertexProperties: properties)
    }
}
