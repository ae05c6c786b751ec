import AllSparkData
import SparkEngine

extension EncoderInputError {
    /// Runs a preprocessing step of AllSparkData, reporting its errors as this encoder's input
    /// errors (the message of the step is kept: it says what was expected).
    static func preprocessing<T>(_ modality: Modality, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DataError {
            throw EncoderInputError(modality, "\(error)")
        }
    }
}

/// The `mean` and `std` keys of an input section: both absent, or each either one value (for
/// every channel) or one value per channel (band).
enum ChannelStatistics {
    static func validate(mean: [Float]?, std: [Float]?, channels: Int, in object: ConfigObject) throws {
        switch (mean, std) {
        case (nil, nil): return
        case (nil, _): throw object.error("mean", "missing; 'std' is given, so 'mean' is needed too")
        case (_, nil): throw object.error("std", "missing; 'mean' is given, so 'std' is needed too")
        case let (mean?, std?):
            for (key, values) in [("mean", mean), ("std", std)] where values.count != 1 && values.count != channels {
                throw object.error(key, "has \(values.count) values; expected 1 or \(channels) (one per channel)")
            }
            if mean.contains(where: { !$0.isFinite }) { throw object.error("mean", "expected finite numbers") }
            if std.contains(where: { !($0 > 0) || !$0.isFinite }) { throw object.error("std", "expected positive numbers") }
        }
    }

    /// One value per channel (a single value repeated).
    static func perChannel(_ values: [Float], channels: Int) -> [Float] {
        values.count == 1 ? [Float](repeating: values[0], count: channels) : values
    }

    /// Each channel of `[C, H, W]` standardised by its own mean and standard deviation (a flat
    /// channel becomes zeros): the fallback when no dataset statistics are configured.
    static func standardisedPerChannel(_ image: Tensor) throws -> Tensor {
        let (mean, std) = try ChannelNormalisation.statistics(image)
        return try ChannelNormalisation.normalise(image, mean: mean, std: std.map { $0 > 1e-12 ? $0 : 1 })
    }
}

/// Square encoder inputs from images of any aspect ratio.
enum SquareInput {
    /// The central square of `[..., H, W]` (side min(H, W)), resized bilinearly to `side` × `side`.
    /// Cropping before resizing keeps the work and memory bounded by the input and the output:
    /// resizing a 1 × 100 000 strip so its short side fits first would allocate without limit.
    static func centred(_ image: Tensor, side: Int) throws -> Tensor {
        let square = min(image.dim(-2), image.dim(-1))
        return try ImageResize.bilinear(ImageResize.centreCrop(image, height: square, width: square), height: side, width: side)
    }
}
