/// Colour arithmetic for the generators' painters.
enum Paint {
    static func jitter(_ colour: (r: Float, g: Float, b: Float), _ amount: Double, _ random: inout DeterministicRandom) -> (r: Float, g: Float, b: Float) {
        let brightness = Float(random.normal() * amount)
        return (colour.r + brightness + Float(random.normal() * amount / 2),
                colour.g + brightness + Float(random.normal() * amount / 2),
                colour.b + brightness + Float(random.normal() * amount / 2))
    }

    static func mix(_ a: (r: Float, g: Float, b: Float), _ b: (r: Float, g: Float, b: Float), _ t: Float) -> (r: Float, g: Float, b: Float) {
        (a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t)
    }

    static func scale(_ a: (r: Float, g: Float, b: Float), _ s: Float) -> (r: Float, g: Float, b: Float) {
        (a.r * s, a.g * s, a.b * s)
    }
}
