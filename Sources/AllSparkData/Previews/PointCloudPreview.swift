import Foundation
import SparkEngine

/// Point clouds: an orthographic view from above and to the side (turned 35° about the vertical
/// z axis, tilted 25°) of the cloud scaled into the unit sphere, nearer points drawn over farther
/// ones; coloured by height (blue low, orange high), or in grey by nearness without colour.
enum PointCloudPreview {
    static let maxDrawnPoints = 50_000

    static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        guard case .pointCloud(let points, let properties) = sample.content, points.dim(0) > 0 else {
            return Preview(lines: [], caption: "not a point cloud")
        }
        let normalised = PointNormalisation.centredInUnitSphere(points).points
        let n = normalised.dim(0)
        let yaw = 35 * Double.pi / 180, tilt = 25 * Double.pi / 180
        var canvas = PlotCanvas(width: options.width, height: options.height, unicode: options.unicode)
        let scale = min(Double(canvas.dotWidth - 1), Double(canvas.dotHeight - 1) * canvas.dotAspect) / 2
        let stride = max(1, n / maxDrawnPoints)
        for i in Swift.stride(from: 0, to: n, by: stride) {
            let x = Double(normalised[i, 0]), y = Double(normalised[i, 1]), z = Double(normalised[i, 2])
            let rx = x * cos(yaw) - y * sin(yaw), ry = x * sin(yaw) + y * cos(yaw)
            let screenY = z * cos(tilt) - ry * sin(tilt), depth = ry * cos(tilt) + z * sin(tilt)  // depth: larger is farther
            let dx = Int((Double(canvas.dotWidth - 1) / 2 + rx * scale).rounded())
            let dy = Int((Double(canvas.dotHeight - 1) / 2 - screenY * scale / canvas.dotAspect).rounded())
            let nearness = (1 - depth) / 2
            let colour: Preview.Colour
            if options.colour {
                let base = PreviewStyle.heightRamp((z + 1) / 2), shade = 0.55 + 0.45 * nearness
                colour = Preview.Colour(r: UInt8(Double(base.r) * shade), g: UInt8(Double(base.g) * shade), b: UInt8(Double(base.b) * shade))
            } else {
                let grey = UInt8(70 + 185 * max(0, min(1, nearness)))
                colour = Preview.Colour(r: grey, g: grey, b: grey)
            }
            canvas.plot(dx, dy, colour: colour, priority: -depth)
        }
        let extent = (0..<3).map { axis -> Float in
            let values = Swift.stride(from: axis, to: points.count, by: 3).map { points.scalars[$0] }
            return (values.max() ?? 0) - (values.min() ?? 0)
        }
        var caption = "\(n) points, extent " + extent.map { String(format: "%.3g", $0) }.joined(separator: " x ")
        if !properties.isEmpty { caption += ", with " + properties.keys.sorted().joined(separator: " ") }
        if case .className(let name)? = sample.label { caption += ", class \(name)" }
        return Preview(rows: canvas.rows { $0 }, caption: PreviewStyle.text(caption, options))
    }
}
