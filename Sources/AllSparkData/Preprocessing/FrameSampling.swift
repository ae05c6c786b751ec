import SparkEngine

/// Choosing T frames of a clip for a video encoder.
public enum FrameSampling {
    /// T indices spread uniformly over `frameCount` frames, each at the centre of its segment:
    /// index k = floor((k + 0.5) · frameCount / T). Short clips repeat frames (in order).
    public static func uniformIndices(frameCount: Int, target: Int) throws -> [Int] {
        guard frameCount > 0, target > 0 else {
            throw DataError.invalidArgument("frame sampling of \(target) from \(frameCount) frames; expected positive counts")
        }
        return (0..<target).map { k in min(frameCount - 1, (2 * k + 1) * frameCount / (2 * target)) }
    }

    /// The frames `[frames, C, H, W]` at `uniformIndices`.
    public static func sample(_ video: Tensor, target: Int) throws -> Tensor {
        guard video.rank == 4 else {
            throw DataError.invalidArgument("frame sampling from a tensor shaped \(video.shape); expected [frames, channels, height, width]")
        }
        let indices = try uniformIndices(frameCount: video.dim(0), target: target)
        let frameSize = video.count / video.dim(0)
        var scalars: [Float] = []
        scalars.reserveCapacity(target * frameSize)
        for i in indices { scalars += video.scalars[(i * frameSize)..<((i + 1) * frameSize)] }
        var shape = video.shape
        shape[0] = target
        return Tensor(shape: shape, scalars: scalars)
    }
}
