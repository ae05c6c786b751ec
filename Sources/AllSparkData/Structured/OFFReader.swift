/// OFF (Object File Format, as written by Geomview, CGAL and the ModelNet data sets).
///
///     OFF                 ← or COFF (vertex colours), NOFF (vertex normals), CNOFF (both)
///     V F E               ← vertex, face and edge counts (E is ignored)
///     x y z [extras]      ← V vertex lines
///     n i1 … in [colour]  ← F face lines
///
/// Also read: the variant with the counts on the keyword's line (`OFF 8 6 0`, as in ModelNet40),
/// `#` comments anywhere, blank lines. Vertex extras are kept as properties: nx ny nz for NOFF,
/// red green blue [alpha] for COFF (in the file's own scale). Face colours are dropped.
enum OFFReader {
    static func read(_ path: String, limits: LoadLimits) throws -> PolygonMesh {
        let text = try UTF8TextReader.read(path, limits: limits, expected: "an OFF mesh")
        return try parse(text, file: path, limits: limits)
    }

    static func parse(_ text: String, file: String, limits: LoadLimits) throws -> PolygonMesh {
        // Lines without comments, keeping their numbers for messages.
        var lines: [(number: Int, words: [Substring])] = []
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if !words.isEmpty { lines.append((number, words)) }
        }
        guard let first = lines.first else {
            throw DataError.malformed(file: file, problem: "holds only comments or blank lines; expected an OFF mesh")
        }
        // "OFF8" etc. would be a typo; "OFF" glued to a number is not a variant anyone writes.
        let keyword = String(first.words[0])
        let declaredExtras: [String]
        switch keyword {
        case "OFF": declaredExtras = []
        case "NOFF": declaredExtras = ["nx", "ny", "nz"]
        case "COFF": declaredExtras = ["red", "green", "blue", "alpha"]
        case "CNOFF": declaredExtras = ["nx", "ny", "nz", "red", "green", "blue", "alpha"]
        default:
            throw DataError.malformed(file: file, problem: "line \(first.number) starts with '\(keyword.prefix(20))'; expected the keyword OFF (or COFF, NOFF, CNOFF)")
        }
        var cursor = 1
        var countWords = Array(first.words.dropFirst())
        if countWords.isEmpty {
            guard lines.count > 1 else {
                throw DataError.malformed(file: file, problem: "ends after the OFF keyword; expected a line with the vertex, face and edge counts")
            }
            countWords = lines[1].words; cursor = 2
        }
        let countLine = lines[cursor - 1].number
        guard countWords.count >= 2, countWords.count <= 3,
              let vertexCount = Int(countWords[0]), let faceCount = Int(countWords[1]),
              vertexCount >= 0, faceCount >= 0 else {
            throw DataError.malformed(file: file, problem: "line \(countLine): '\(countWords.joined(separator: " "))'; expected the counts V F E as whole numbers ≥ 0")
        }
        guard vertexCount <= limits.maxPoints, faceCount <= limits.maxPoints else {
            throw DataError.malformed(file: file, problem: "line \(countLine): declares \(vertexCount) vertices and \(faceCount) faces; expected at most \(limits.maxPoints) of each (LoadLimits.maxPoints)")
        }
        // One line per vertex and face: a count beyond the lines present is a lying header,
        // refused before anything is allocated.
        let available = lines.count - cursor
        guard vertexCount + faceCount <= available else {
            throw DataError.malformed(file: file, problem: "line \(countLine) declares \(vertexCount) vertices and \(faceCount) faces, but only \(available) data lines follow; expected one line per vertex and per face (truncated?)")
        }

        func value(_ word: Substring, line: Int, what: String) throws -> Float {
            guard let v = Double(word) else {
                throw DataError.malformed(file: file, problem: "line \(line): \(what) '\(word.prefix(20))' is not a number; expected a finite number")
            }
            let single = Float(v)
            guard v.isFinite, single.isFinite else {
                throw DataError.malformed(file: file, problem: "line \(line): \(what) '\(word.prefix(20))' is not finite; expected finite numbers (no NaN or Inf)")
            }
            return single
        }

        // COFF colours may be RGB without alpha (the first vertex line tells): alpha is then not kept.
        var extraNames = declaredExtras
        if keyword.hasPrefix("C"), vertexCount > 0, lines[cursor].words.count == 3 + extraNames.count - 1 {
            extraNames.removeLast()
        }
        let needed = 3 + extraNames.count
        var positions = [Float](); positions.reserveCapacity(vertexCount * 3)
        var extras = [[Float]](repeating: [], count: extraNames.count)
        for v in 0..<vertexCount {
            let (line, words) = lines[cursor + v]
            guard words.count >= needed else {
                throw DataError.malformed(file: file, problem: "line \(line): vertex \(v) has \(words.count) values; expected \(needed) (x y z\(extraNames.isEmpty ? "" : " " + extraNames.joined(separator: " ")))")
            }
            for k in 0..<3 { positions.append(try value(words[k], line: line, what: "vertex \(v) coordinate")) }
            for k in 0..<extraNames.count {
                extras[k].append(try value(words[3 + k], line: line, what: "vertex \(v) \(extraNames[k])"))
            }
        }
        var faceIndices = [Int](), faceStarts = [0]
        faceStarts.reserveCapacity(faceCount + 1)
        for f in 0..<faceCount {
            let (line, words) = lines[cursor + vertexCount + f]
            guard let n = Int(words[0]), n >= 0, n <= words.count - 1 else {
                throw DataError.malformed(file: file, problem: "line \(line): face \(f) starts with '\(words[0].prefix(20))', but \(words.count - 1) values follow; expected a vertex count n and then n vertex indices")
            }
            for k in stride(from: 1, through: n, by: 1) {
                guard let index = Int(words[k]) else {
                    throw DataError.malformed(file: file, problem: "line \(line): face \(f) vertex index '\(words[k].prefix(20))' is not a whole number; expected an index 0...\(max(0, vertexCount - 1))")
                }
                faceIndices.append(index)
            }
            faceStarts.append(faceIndices.count)
        }
        if lines.count > cursor + vertexCount + faceCount {
            let extra = lines[cursor + vertexCount + faceCount]
            throw DataError.malformed(file: file, problem: "line \(extra.number): data after the \(vertexCount) vertices and \(faceCount) faces the header declares; expected the file to end there (counts wrong?)")
        }
        var properties: [String: [Float]] = [:]
        for (name, values) in zip(extraNames, extras) { properties[name] = values }
        let mesh = PolygonMesh(positions: positions, vertexProperties: properties, faceIndices: faceIndices, faceStarts: faceStarts)
        try mesh.validateFaces(file: file)
        return mesh
    }
}
