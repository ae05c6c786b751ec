import Foundation

/// A schematic standing or walking person built from capsules, a trapezoid torso and a round head,
/// in figure units: x to the right, y up, feet at y = 0, top of the head near y = 1. Shared by the
/// infrared generator (the same identity in RGB and thermal) and the video generator (walking and
/// waving clips). Proportions follow the usual drawing canon (head ≈ 1/7.5 of the height, shoulders
/// at ≈ 0.82, hips at ≈ 0.5).
struct PersonFigure {
    enum Material: Int, CaseIterable { case skin, hair, top, bottom, shoes, bag }

    /// What stays the same for one person across images.
    struct Identity {
        var shoulderHalfWidth: Double, hipHalfWidth: Double, headRadius: Double
        var armRadius: Double, legRadius: Double
        var shortSleeves: Bool, shorts: Bool, longHair: Bool, bag: Bool
        var colours: [Material: (r: Float, g: Float, b: Float)]
        /// Clothing insulation 0…1 (top, bottom): how much cooler than skin the clothes look in IR.
        var topInsulation: Double, bottomInsulation: Double

        static func random(_ random: inout DeterministicRandom) -> Identity {
            let skinTones: [(r: Float, g: Float, b: Float)] = [(0.93, 0.76, 0.64), (0.80, 0.60, 0.46), (0.62, 0.44, 0.32), (0.42, 0.29, 0.21)]
            let hair: [(r: Float, g: Float, b: Float)] = [(0.08, 0.06, 0.05), (0.30, 0.20, 0.12), (0.65, 0.52, 0.32), (0.5, 0.5, 0.5)]
            func cloth(_ random: inout DeterministicRandom) -> (r: Float, g: Float, b: Float) {
                (Float(random.uniform(0.05, 0.95)), Float(random.uniform(0.05, 0.95)), Float(random.uniform(0.05, 0.95)))
            }
            var colours: [Material: (r: Float, g: Float, b: Float)] = [:]
            colours[.skin] = Paint.jitter(random.pick(skinTones), 0.03, &random)
            colours[.hair] = random.pick(hair)
            colours[.top] = cloth(&random)
            colours[.bottom] = cloth(&random)
            colours[.shoes] = Paint.jitter((0.15, 0.13, 0.12), 0.08, &random)
            colours[.bag] = cloth(&random)
            return Identity(shoulderHalfWidth: random.uniform(0.10, 0.14), hipHalfWidth: random.uniform(0.075, 0.105),
                            headRadius: random.uniform(0.060, 0.075), armRadius: random.uniform(0.026, 0.034),
                            legRadius: random.uniform(0.038, 0.050), shortSleeves: random.chance(0.4), shorts: random.chance(0.25),
                            longHair: random.chance(0.35), bag: random.chance(0.3), colours: colours,
                            topInsulation: random.uniform(0.3, 0.9), bottomInsulation: random.uniform(0.3, 0.9))
        }
    }

    /// What changes from one image to the next: limb angles in radians from hanging straight down,
    /// positive towards +x (so a raised right arm is about +2.5).
    struct Pose {
        var leftLeg = 0.0, rightLeg = 0.0, leftArm = 0.0, rightArm = 0.0
        static func walking(phase: Double, stride: Double) -> Pose {
            let swing = stride * sin(phase)
            return Pose(leftLeg: swing, rightLeg: -swing, leftArm: -0.8 * swing, rightArm: 0.8 * swing)
        }
    }

    let identity: Identity
    let pose: Pose

    /// The material at (x, y) and how far across its part the point lies (0 on the axis, 1 at the
    /// edge, for shading), or nil outside the figure. Later parts are drawn over earlier ones.
    func material(x: Double, y: Double) -> (Material, Double)? {
        let id = identity
        var hit: (Material, Double)?
        let hipY = 0.5, shoulderY = 0.81, legLength = 0.5, armLength = 0.36
        // Legs (trousers or shorts, then skin, then shoes).
        for (side, angle) in [(-1.0, pose.leftLeg), (1.0, pose.rightLeg)] {
            let hip = (side * id.hipHalfWidth * 0.55, hipY)
            let foot = (hip.0 + sin(angle) * legLength, hip.1 - cos(angle) * legLength)
            if let (t, d) = capsule(x, y, hip, foot, id.legRadius) {
                let material: Material = t > 0.92 ? .shoes : (t < (id.shorts ? 0.45 : 1) ? .bottom : .skin)
                hit = (material, d)
            }
        }
        // Torso: a trapezoid from the hips to the shoulders.
        if y >= hipY - 0.02 && y <= shoulderY + 0.02 {
            let t = (y - hipY) / (shoulderY - hipY)
            let half = id.hipHalfWidth + (id.shoulderHalfWidth - id.hipHalfWidth) * min(max(t, 0), 1)
            if abs(x) <= half { hit = (t < 0.12 ? .bottom : .top, abs(x) / half) }
        }
        if id.bag, x > id.hipHalfWidth, x < id.hipHalfWidth + 0.08, y > 0.40, y < 0.58 { hit = (.bag, (x - id.hipHalfWidth) / 0.08) }
        // Arms (sleeves, then skin).
        for (side, angle) in [(-1.0, pose.leftArm), (1.0, pose.rightArm)] {
            let shoulder = (side * (id.shoulderHalfWidth - id.armRadius * 0.5), shoulderY - 0.01)
            let direction = angle + side * 0.08  // arms hang slightly away from the body
            let hand = (shoulder.0 + sin(direction) * armLength, shoulder.1 - cos(direction) * armLength)
            if let (t, d) = capsule(x, y, shoulder, hand, id.armRadius) {
                hit = (t < (id.shortSleeves ? 0.3 : 0.9) ? .top : .skin, d)
            }
        }
        // Neck and head, with hair over the crown (and down the sides when long).
        let headY = shoulderY + 0.02 + id.headRadius * 1.25
        if abs(x) < id.headRadius * 0.45 && y > shoulderY - 0.01 && y < headY { hit = (.skin, abs(x) / (id.headRadius * 0.45)) }
        let r = hypot(x, (y - headY) / 1.12)
        if r < id.headRadius { hit = (.skin, r / id.headRadius) }
        if r < id.headRadius * 1.08 && (y > headY + id.headRadius * 0.3 || (id.longHair && abs(x) > id.headRadius * 0.6 && y > headY - id.headRadius * 1.8)) {
            hit = (.hair, r / (id.headRadius * 1.08))
        }
        if id.longHair && abs(x) > id.headRadius * 0.55 && abs(x) < id.headRadius * 1.05 && y > headY - id.headRadius * 1.9 && y < headY {
            hit = (.hair, 0.5)
        }
        return hit
    }

    /// Where along the segment a→b (0…1) the point projects and its distance from the axis
    /// relative to `radius`, when within the capsule.
    private func capsule(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double), _ radius: Double) -> (Double, Double)? {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(max(((x - a.0) * dx + (y - a.1) * dy) / lengthSquared, 0), 1) : 0
        let distance = hypot(x - (a.0 + t * dx), y - (a.1 + t * dy))
        return distance <= radius ? (t, distance / radius) : nil
    }
}
