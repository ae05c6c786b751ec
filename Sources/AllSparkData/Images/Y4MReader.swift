/// Reads Y4M files (see `Y4MHeader` for the accepted layout) frame by frame.
public enum Y4MReader {
    public static let magic = "YUV4MPEG2"
    /// Longest header or FRAME line accepted; real headers are well under 100 bytes.
    static let maxLineLength = 1024

    /// Reads the header and then frames `start ..< start + maxFrames` (fewer if the file ends).
    /// Sizes are checked against `limits` (file bytes, pixels per frame, frames, and decoded values
    /// `frames × 3 × W × H` against `maxElements`) before any frame is allocated.
    public static func read(path: String, start: Int = 0, maxFrames: Int? = nil, limits: LoadLimits) throws -> Y4MVideo {
        let fileSize = try BoundedFile.size(of: path, what: "a Y4M video")
        guard fileSize > 0 else {
            throw DataError.malformed(file: path, problem: "the file is empty; expected a Y4M video starting with '\(magic) '")
        }
        guard fileSize <= limits.maxFileBytes else {
            throw DataError.unreadable(file: path, problem: "the file has \(fileSize) bytes, more than the allowed \(limits.maxFileBytes); expected a Y4M video within that limit")
        }
        let reader = try ChunkedFileReader(path: path)
        guard let headerLine = try reader.readLine(maxLength: maxLineLength) else {
            throw DataError.malformed(file: path, problem: "no header line ending in a newline within the first \(maxLineLength) bytes; expected '\(magic) W… H… F…:…'")
        }
        let header = try parseHeader(headerLine, file: path, limits: limits)
        let frameBytes = header.frameBytes
        let wanted = min(maxFrames ?? limits.maxFrames, limits.maxFrames)
        // The file cannot hold more frames than this, whatever the options ask for.
        let remaining = fileSize - reader.offset
        let present = remaining / (frameBytes + 6)  // each frame has at least "FRAME\n"
        let planned = max(0, min(wanted, present - start))
        let values = try CheckedArithmetic.product([planned, 3, header.width, header.height], file: path, field: "decoded video (frames × 3 × height × width)")
        guard values <= limits.maxElements else {
            throw DataError.malformed(file: path, problem: "\(planned) frames of \(header.width) × \(header.height) would decode to \(values) values, more than the allowed \(limits.maxElements); expected fewer frames (option maxFrames) or a smaller video")
        }

        var frames: [Y4MFrame] = []
        var index = 0
        while frames.count < wanted, try !reader.isAtEnd() {
            guard let line = try reader.readLine(maxLength: maxLineLength) else {
                throw DataError.malformed(file: path, problem: "frame \(index) at byte \(reader.offset): no FRAME line ending in a newline; expected 'FRAME' and \(frameBytes) bytes of planes (file truncated?)")
            }
            guard line.starts(with: Array("FRAME".utf8)), line.count == 5 || line[5] == 0x20 else {
                let shown = String(decoding: line.prefix(20), as: UTF8.self)
                throw DataError.malformed(file: path, problem: "frame \(index) at byte \(reader.offset - line.count - 1): line starts '\(shown)'; expected 'FRAME' (or the header's frame size is wrong)")
            }
            if index < start {
                let skipped = try reader.read(count: frameBytes)
                guard skipped.count == frameBytes else { throw truncated(path, index, skipped.count, frameBytes) }
                index += 1
                continue
            }
            let planes = try reader.read(count: frameBytes)
            guard planes.count == frameBytes else { throw truncated(path, index, planes.count, frameBytes) }
            let lumaCount = header.width * header.height
            let chromaCount = header.chromaWidth * header.chromaHeight
            frames.append(Y4MFrame(luma: Array(planes[0..<lumaCount]),
                                   cb: Array(planes[lumaCount..<(lumaCount + chromaCount)]),
                                   cr: Array(planes[(lumaCount + chromaCount)...])))
            index += 1
        }
        guard !frames.isEmpty else {
            let what = start > 0 ? "no frames from frame \(start) on (the file has \(index))" : "no frames"
            throw DataError.malformed(file: path, problem: "\(what); expected at least one 'FRAME' with \(frameBytes) bytes of planes")
        }
        return Y4MVideo(header: header, frames: frames)
    }

    private static func truncated(_ path: String, _ index: Int, _ got: Int, _ expected: Int) -> DataError {
        .malformed(file: path, problem: "frame \(index) is truncated: \(got) bytes of planes; expected \(expected) (W × H luma + 2 chroma planes)")
    }

    /// Parses the stream header line (without its newline).
    public static func parseHeader(_ line: [UInt8], file: String, limits: LoadLimits) throws -> Y4MHeader {
        let text = String(decoding: line, as: UTF8.self)
        var tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard tokens.first == magic else {
            let shown = String(text.prefix(12))
            throw DataError.malformed(file: file, problem: "starts with '\(shown)'; expected the Y4M signature '\(magic) '")
        }
        tokens.removeFirst()
        var width: Int?, height: Int?, rate: (Int, Int)?
        var interlacing = "p", chroma = Y4MHeader.Chroma.c420jpeg, fullRange = false
        for token in tokens {
            let tag = token.first!, value = String(token.dropFirst())
            switch tag {
            case "W": width = try positive(value, "width W", file)
            case "H": height = try positive(value, "height H", file)
            case "F": rate = try ratio(value, "frame rate F", file, allowZero: false)
            case "A": _ = try ratio(value, "pixel aspect A", file, allowZero: true)
            case "I":
                guard ["p", "t", "b", "m", "?"].contains(value) else {
                    throw DataError.malformed(file: file, problem: "interlacing 'I\(value)'; expected Ip, It, Ib, Im or I?")
                }
                interlacing = value
            case "C":
                guard let parsed = Y4MHeader.Chroma(rawValue: value) else {
                    throw DataError.malformed(file: file, problem: "colour space 'C\(value)' is not supported; expected 8-bit "
                        + Y4MHeader.Chroma.allCases.map { "C" + $0.rawValue }.joined(separator: ", "))
                }
                chroma = parsed
            case "X":
                if value.uppercased() == "COLORRANGE=FULL" { fullRange = true }
                if value.uppercased() == "COLORRANGE=LIMITED" { fullRange = false }
            default:
                break  // the format reserves unknown tags for extensions: ignore them
            }
        }
        guard let w = width, let h = height else {
            throw DataError.malformed(file: file, problem: "header has no \(width == nil ? "width (W…)" : "height (H…)"); expected 'YUV4MPEG2 W<width> H<height> F<num>:<den>'")
        }
        guard let (num, den) = rate else {
            throw DataError.malformed(file: file, problem: "header has no frame rate (F<num>:<den>); expected e.g. F25:1")
        }
        let pixels = try CheckedArithmetic.product([w, h], file: file, field: "frame size W × H")
        guard pixels <= limits.maxPixels else {
            throw DataError.malformed(file: file, problem: "frames are \(w) × \(h) pixels; expected at most \(limits.maxPixels) pixels per frame")
        }
        return Y4MHeader(width: w, height: h, frameRateNumerator: num, frameRateDenominator: den,
                         interlacing: interlacing, chroma: chroma, fullRange: fullRange)
    }

    private static func positive(_ text: String, _ field: String, _ file: String) throws -> Int {
        guard let value = Int(text), value > 0 else {
            throw DataError.malformed(file: file, problem: "\(field) is '\(text)'; expected a positive integer")
        }
        return value
    }

    private static func ratio(_ text: String, _ field: String, _ file: String, allowZero: Bool) throws -> (Int, Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]),
              allowZero ? (n >= 0 && d >= 0) : (n > 0 && d > 0) else {
            throw DataError.malformed(file: file, problem: "\(field) is '\(text)'; expected <num>:<den> with positive integers")
        }
        return (n, d)
    }
}
