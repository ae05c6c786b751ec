import Foundation
import SparkFormats

/// MVSNet camera files (`*_cam.txt`), as written by MVSNet, R-MVSNet and the WHU-OMVS tools:
///
/// ```
/// extrinsic
/// r11 r12 r13 t1        world → camera, 4 × 4, last row 0 0 0 1
/// r21 r22 r23 t2
/// r31 r32 r33 t3
/// 0 0 0 1
///
/// intrinsic
/// fx s cx               3 × 3, last row 0 0 1
/// 0 fy cy
/// 0 0 1
///
/// depth_min depth_interval [depth_num [depth_max]]
/// ```
///
/// Camera axes follow OpenCV: x right, y down, z forward; depth is the camera z coordinate.
public enum MVSNetCameraFile {
    /// Camera files are a few hundred bytes; anything far larger is not one.
    static let maxBytes = 64 << 10

    public static func read(path: String, limits: LoadLimits) throws -> Camera {
        var capped = limits
        capped.maxFileBytes = min(limits.maxFileBytes, maxBytes)
        let bytes = try BoundedFile.bytes(at: path, what: "an MVSNet camera file (extrinsic 4×4, intrinsic 3×3, depth range)", limits: capped)
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Camera {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        var index = 0
        func expectKeyword(_ word: String) throws {
            guard index < tokens.count, tokens[index].lowercased() == word else {
                let found = index < tokens.count ? "'\(tokens[index].prefix(20))'" : "the end of the file"
                throw DataError.malformed(file: file, problem: "found \(found) where the keyword '\(word)' belongs; expected the MVSNet layout 'extrinsic' + 16 numbers, 'intrinsic' + 9 numbers, then 'depth_min depth_interval [depth_num [depth_max]]'")
            }
            index += 1
        }
        func numbers(_ count: Int, _ field: String) throws -> [Float] {
            var values: [Float] = []
            for k in 0..<count {
                guard index < tokens.count, let value = Float(tokens[index]) else {
                    let found = index < tokens.count ? "'\(tokens[index].prefix(20))'" : "the end of the file"
                    throw DataError.malformed(file: file, problem: "\(field) value \(k + 1) of \(count) is \(found); expected a number")
                }
                guard value.isFinite else {
                    throw DataError.malformed(file: file, problem: "\(field) value \(k + 1) is \(tokens[index]); expected a finite number")
                }
                values.append(value)
                index += 1
            }
            return values
        }
        try expectKeyword("extrinsic")
        let extrinsic = try numbers(16, "extrinsic")
        try expectKeyword("intrinsic")
        let intrinsic = try numbers(9, "intrinsic")
        var depth: [Float] = []
        while index < tokens.count && depth.count < 4 {
            depth += try numbers(1, "depth range")
        }
        guard index == tokens.count else {
            throw DataError.malformed(file: file, problem: "unexpected text '\(tokens[index].prefix(20))' after the depth range; expected at most 4 depth values")
        }

        let lastRow = Array(extrinsic[12..<16])
        guard zip(lastRow, [0, 0, 0, 1] as [Float]).allSatisfy({ abs($0 - $1) < 1e-4 }) else {
            throw DataError.malformed(file: file, problem: "extrinsic last row is \(lastRow); expected 0 0 0 1")
        }
        let rotation = [extrinsic[0], extrinsic[1], extrinsic[2], extrinsic[4], extrinsic[5], extrinsic[6], extrinsic[8], extrinsic[9], extrinsic[10]]
        let determinant = rotation[0] * (rotation[4] * rotation[8] - rotation[5] * rotation[7])
            - rotation[1] * (rotation[3] * rotation[8] - rotation[5] * rotation[6])
            + rotation[2] * (rotation[3] * rotation[7] - rotation[4] * rotation[6])
        guard abs(determinant - 1) < 1e-2 else {
            throw DataError.malformed(file: file, problem: "extrinsic rotation has determinant \(determinant); expected a rotation (determinant 1)")
        }
        guard zip(Array(intrinsic[6..<9]), [0, 0, 1] as [Float]).allSatisfy({ abs($0 - $1) < 1e-4 }) else {
            throw DataError.malformed(file: file, problem: "intrinsic last row is \(Array(intrinsic[6..<9])); expected 0 0 1")
        }
        guard intrinsic[0] > 0, intrinsic[4] > 0, intrinsic[3] == 0 else {
            throw DataError.malformed(file: file, problem: "intrinsic has fx = \(intrinsic[0]), fy = \(intrinsic[4]), k21 = \(intrinsic[3]); expected fx > 0, fy > 0 and 0 below fx")
        }
        guard depth.count >= 2 else {
            throw DataError.malformed(file: file, problem: "the depth range has \(depth.count) value(s); expected 'depth_min depth_interval [depth_num [depth_max]]'")
        }
        guard depth[0] >= 0, depth[1] > 0 else {
            throw DataError.malformed(file: file, problem: "depth_min \(depth[0]), depth_interval \(depth[1]); expected depth_min ≥ 0 and depth_interval > 0")
        }
        var depthCount: Int?
        if depth.count >= 3 {
            guard depth[2] >= 1, depth[2] <= 100_000, depth[2] == depth[2].rounded() else {
                throw DataError.malformed(file: file, problem: "depth_num is \(depth[2]); expected a whole number of depth planes from 1 to 100000")
            }
            depthCount = Int(depth[2])
        }
        var depthMax: Float?
        if depth.count == 4 {
            guard depth[3] > depth[0] else {
                throw DataError.malformed(file: file, problem: "depth_max \(depth[3]) is not above depth_min \(depth[0]); expected depth_max > depth_min")
            }
            depthMax = depth[3]
        }
        return Camera(extrinsic: extrinsic, intrinsic: intrinsic, depthMin: depth[0], depthInterval: depth[1],
                      depthCount: depthCount, depthMax: depthMax)
    }

    /// The file text for `camera` (what the oblique generator and the sample scripts write).
    public static func text(_ camera: Camera) -> String {
        func row(_ values: ArraySlice<Float>) -> String { values.map { format($0) }.joined(separator: " ") }
        var lines = ["extrinsic"]
        for r in 0..<4 { lines.append(row(camera.extrinsic[(4 * r)..<(4 * r + 4)])) }
        lines += ["", "intrinsic"]
        for r in 0..<3 { lines.append(row(camera.intrinsic[(3 * r)..<(3 * r + 3)])) }
        var depth = [format(camera.depthMin), format(camera.depthInterval)]
        if let n = camera.depthCount { depth.append(String(n)) }
        if let m = camera.depthMax { depth.append(format(m)) }
        lines += ["", depth.joined(separator: " "), ""]
        return lines.joined(separator: "\n")
    }

    public static func write(_ camera: Camera, to path: String) throws {
        do { try text(camera).write(toFile: path, atomically: false, encoding: .utf8) } catch {
            throw DataError.unreadable(file: path, problem: "cannot write the camera file: \(readableReason(error))")
        }
    }

    /// Shortest text that reads back as the same Float.
    static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : "\(value)"
    }
}
