import Foundation
import SparkEngine

/// SAR magnitude images span several orders of magnitude (bright corner reflectors over dark
/// clutter), so they are usually shown and fed to networks in decibels.
public enum SARScaling {
    /// 20·log10(magnitude), with magnitudes below `floor` raised to it (log of 0 is −∞).
    public static func decibels(_ magnitude: Tensor, floor: Float = 1e-6) throws -> Tensor {
        guard floor > 0 else { throw DataError.invalidArgument("decibel floor \(floor); expected a positive floor") }
        var out = magnitude
        out.withUnsafeMutableBufferPointer { values in
            for i in 0..<values.count { values[i] = 20 * log10f(max(values[i], floor)) }
        }
        return out
    }

    /// Decibels relative to the brightest pixel, clipped to the top `dynamicRange` dB and mapped to
    /// [0, 1] (0 = `dynamicRange` dB or more below the peak, 1 = the peak).
    public static func normalisedDecibels(_ magnitude: Tensor, dynamicRange: Float = 40) throws -> Tensor {
        guard dynamicRange > 0 else {
            throw DataError.invalidArgument("SAR dynamic range \(dynamicRange) dB; expected a positive range")
        }
        var db = try decibels(magnitude)
        let peak = db.scalars.max() ?? 0
        db.withUnsafeMutableBufferPointer { values in
            for i in 0..<values.count { values[i] = min(max((values[i] - peak + dynamicRange) / dynamicRange, 0), 1) }
        }
        return db
    }

    /// Magnitude divided by its maximum (all zeros stay zero): what the SAR loader returns.
    public static func peakNormalised(_ magnitude: Tensor) -> Tensor {
        let peak = magnitude.scalars.max() ?? 0
        guard peak > 0 else { return magnitude }
        var out = magnitude
        let inverse = 1 / peak
        out.withUnsafeMutableBufferPointer { values in for i in 0..<values.count { values[i] *= inverse } }
        return out
    }
}
