/// A colour scale for values in 0…1, as piecewise-linear interpolation between stops.
public struct ColourRamp: Sendable, Equatable {
    public var stops: [(position: Double, r: Double, g: Double, b: Double)]

    public static func == (a: ColourRamp, b: ColourRamp) -> Bool {
        a.stops.count == b.stops.count && zip(a.stops, b.stops).allSatisfy {
            $0.position == $1.position && $0.r == $1.r && $0.g == $1.g && $0.b == $1.b
        }
    }

    public init(stops: [(position: Double, r: Double, g: Double, b: Double)]) {
        precondition(stops.count >= 2, "a ramp needs at least two stops")
        self.stops = stops
    }

    /// Five samples of matplotlib's viridis (at 0, 0.25, 0.5, 0.75, 1): dark blue to yellow,
    /// perceptually ordered and readable by colour-blind users.
    public static let viridis = ColourRamp(stops: [
        (0.00, 68, 1, 84), (0.25, 59, 82, 139), (0.50, 33, 145, 140), (0.75, 94, 201, 98), (1.00, 253, 231, 37),
    ])

    /// Blue (negative) through near-white (zero) to red (positive), for signed values.
    public static let diverging = ColourRamp(stops: [
        (0.0, 49, 54, 149), (0.5, 240, 240, 240), (1.0, 165, 0, 38),
    ])

    /// The colour at `t` (clamped to 0…1; NaN is treated as 0), rounded to the nearest integer.
    public func colour(at t: Double) -> TerminalColour {
        let x = t.isNaN ? 0 : min(1, max(0, t))
        var upper = 1
        while upper < stops.count - 1 && stops[upper].position < x { upper += 1 }
        let a = stops[upper - 1], b = stops[upper]
        let span = b.position - a.position
        let f = span > 0 ? (x - a.position) / span : 0
        func mix(_ u: Double, _ v: Double) -> UInt8 { UInt8((u + (v - u) * f).rounded()) }
        return .rgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }
}
