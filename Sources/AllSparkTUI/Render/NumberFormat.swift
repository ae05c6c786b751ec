import Foundation

/// Short, fixed-looking renderings of numbers for charts, shapes and timings.
public enum NumberFormat {
    /// Four significant digits, switching to exponent form for very large or small magnitudes;
    /// NaN and infinities spelled out.
    public static func compact(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", value)
    }

    /// "850us", "12.3ms", "4.56s", "2m05s".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 1e-3 { return String(format: "%.0fus", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.1fms", seconds * 1e3) }
        if seconds < 60 { return String(format: "%.2fs", seconds) }
        let whole = Int(seconds.rounded(.down))
        return String(format: "%dm%02ds", whole / 60, whole % 60)
    }

    /// Bytes as "512 B", "4.0 KiB", "97.7 MiB".
    public static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.1f %@", value, units[unit])
    }
}
