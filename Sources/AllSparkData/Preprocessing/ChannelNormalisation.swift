import SparkEngine

/// Per-channel standardisation of channel-first images `[..., C, H, W]`: (x − mean[c]) / std[c],
/// as encoders trained on ImageNet-style statistics expect.
public enum ChannelNormalisation {
    /// ImageNet RGB statistics used by the ViT and ResNet encoders.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    public static func normalise(_ image: Tensor, mean: [Float], std: [Float]) throws -> Tensor {
        guard image.rank >= 3 else {
            throw DataError.invalidArgument("channel normalisation of a tensor shaped \(image.shape); expected [..., channels, height, width]")
        }
        let channels = image.dim(-3)
        guard mean.count == channels, std.count == channels else {
            throw DataError.invalidArgument("channel normalisation with \(mean.count) means and \(std.count) deviations for \(channels) channels; expected one of each per channel")
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw DataError.invalidArgument("channel normalisation with std \(std); expected finite means and positive deviations")
        }
        let plane = image.dim(-2) * image.dim(-1)
        var out = image
        out.withUnsafeMutableBufferPointer { values in
            for block in 0..<(values.count / max(plane, 1)) {
                let c = block % channels
                let m = mean[c], inverse = 1 / std[c]
                let base = block * plane
                for i in 0..<plane { values[base + i] = (values[base + i] - m) * inverse }
            }
        }
        return out
    }

    /// Mean and standard deviation (population) of each channel of `[C, H, W]`, for computing
    /// dataset statistics.
    public static func statistics(_ image: Tensor) throws -> (mean: [Float], std: [Float]) {
        guard image.rank == 3, image.count > 0 else {
            throw DataError.invalidArgument("channel statistics of a tensor shaped \(image.shape); expected [channels, height, width]")
        }
        let channels = image.dim(0), plane = image.dim(1) * image.dim(2)
        var means: [Float] = [], stds: [Float] = []
        for c in 0..<channels {
            let values = image.scalars[(c * plane)..<((c + 1) * plane)]
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(plane)
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(plane)
            means.append(Float(mean)); stds.append(Float(variance.squareRoot()))
        }
        return (means, stds)
    }
}
