import AllSparkData
import Foundation

/// The loss curves of a run as a small PNG: training loss per step (blue, a running mean of 10
/// steps over the raw points in light blue) and validation loss per epoch (orange dots joined),
/// on a shared log-scaled y axis with light grid lines at each power of ten. No text: the CSV
/// files beside it hold the numbers.
public enum LossPlot {
    public static func write(training: [(step: Int, train: Float)], validation: [(step: Int, loss: Float)], to path: String,
                             width: Int = 640, height: Int = 360) throws {
        var pixels = [UInt16](repeating: 255, count: width * height * 3)
        let all = training.map(\.train) + validation.map(\.loss)
        let finite = all.filter { $0.isFinite && $0 > 0 }
        guard let lowest = finite.min(), let highest = finite.max(), let lastStep = (training.map(\.step) + validation.map(\.step)).max() else {
            try PNGCodec.write(RasterImage(width: width, height: height, channels: 3, bitDepth: 8, samples: pixels), to: path)
            return
        }
        let (low, high) = (log10(Double(lowest)) - 0.05, log10(Double(highest)) + 0.05)
        let margin = 8
        func x(_ step: Int) -> Int { margin + Int(Double(step) / Double(max(1, lastStep)) * Double(width - 2 * margin - 1)) }
        func y(_ loss: Float) -> Int {
            let t = (log10(Double(max(loss, lowest))) - low) / max(1e-9, high - low)
            return height - margin - 1 - Int(t * Double(height - 2 * margin - 1))
        }
        func plot(_ px: Int, _ py: Int, _ colour: (UInt16, UInt16, UInt16)) {
            guard px >= 0, px < width, py >= 0, py < height else { return }
            let i = (py * width + px) * 3
            pixels[i] = colour.0; pixels[i + 1] = colour.1; pixels[i + 2] = colour.2
        }
        func line(_ a: (Int, Int), _ b: (Int, Int), _ colour: (UInt16, UInt16, UInt16)) {
            let n = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
            for i in 0...n { plot(a.0 + (b.0 - a.0) * i / n, a.1 + (b.1 - a.1) * i / n, colour) }
        }
        for decade in Int(floor(low))...Int(ceil(high)) {
            let py = y(Float(pow(10, Double(decade))))
            for px in margin..<(width - margin) where px % 4 == 0 { plot(px, py, (200, 200, 200)) }
        }
        for point in training where point.train.isFinite { plot(x(point.step), y(point.train), (170, 200, 235)) }
        var smoothed: [(Int, Int)] = []
        for i in training.indices {
            let window = training[max(0, i - 9)...i].map(\.train).filter(\.isFinite)
            guard !window.isEmpty else { continue }
            smoothed.append((x(training[i].step), y(window.reduce(0, +) / Float(window.count))))
        }
        for (a, b) in zip(smoothed, smoothed.dropFirst()) { line(a, b, (30, 90, 200)) }
        let points = validation.filter { $0.loss.isFinite }.map { (x($0.step), y($0.loss)) }
        for (a, b) in zip(points, points.dropFirst()) { line(a, b, (240, 130, 20)) }
        for p in points { for dx in -2...2 { for dy in -2...2 { plot(p.0 + dx, p.1 + dy, (240, 130, 20)) } } }
        try PNGCodec.write(RasterImage(width: width, height: height, channels: 3, bitDepth: 8, samples: pixels), to: path)
    }
}
