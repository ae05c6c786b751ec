import Foundation
import SparkEngine
import SparkFormats

/// Writes Y4M files (what the video generator produces and the loader reads back).
public enum Y4MWriter {
    /// Encodes frames `[frames, 3, height, width]` in [0, 1] as limited-range BT.601 Y4M.
    public static func encode(_ frames: Tensor, framesPerSecond: (Int, Int), chroma: Y4MHeader.Chroma = .c420jpeg) -> [UInt8] {
        precondition(frames.rank == 4 && frames.shape[1] == 3, "expected [frames, 3, H, W], got \(frames.shape)")
        let count = frames.shape[0], height = frames.shape[2], width = frames.shape[3]
        let header = Y4MHeader(width: width, height: height, frameRateNumerator: framesPerSecond.0,
                               frameRateDenominator: framesPerSecond.1, chroma: chroma)
        var bytes = Array(header.line.utf8)
        let frameValues = 3 * width * height
        for f in 0..<count {
            let rgb = Array(frames.scalars[(f * frameValues)..<((f + 1) * frameValues)])
            let frame = YUVConversion.frame(fromRGB: rgb, width: width, height: height, chroma: chroma)
            bytes += Array("FRAME\n".utf8)
            bytes += frame.luma
            bytes += frame.cb
            bytes += frame.cr
        }
        return bytes
    }

    public static func write(_ frames: Tensor, framesPerSecond: (Int, Int), chroma: Y4MHeader.Chroma = .c420jpeg, to path: String) throws {
        do { try Data(encode(frames, framesPerSecond: framesPerSecond, chroma: chroma)).write(to: URL(fileURLWithPath: path)) } catch {
            throw DataError.unreadable(file: path, problem: "cannot write the Y4M video: \(readableReason(error))")
        }
    }
}
