/// The places the social-force generator simulates: walls (line segments), round pillars, and
/// flows of pedestrians from a source area to a target area, each through optional waypoints.
struct SocialForceScene {
    struct Rect {
        var x0, y0, x1, y1: Double
        func point(_ random: inout DeterministicRandom) -> (Double, Double) {
            (random.uniform(x0, x1), random.uniform(y0, y1))
        }
    }

    struct Flow {
        var source: Rect
        /// Intermediate targets (a door) before the final one.
        var waypoints: [Rect]
        var target: Rect
        /// Mean arrivals per second (a Poisson process).
        var rate: Double
    }

    struct Wall { var ax, ay, bx, by: Double }
    struct Pillar { var x, y, radius: Double }

    var name: String
    var walls: [Wall]
    var pillars: [Pillar]
    var flows: [Flow]

    /// Four scenes like the ETH/UCY ones: a corridor with two opposite flows (like the ETH "hotel"
    /// entrance), two flows crossing at right angles in the open, a plaza with a pillar and flows
    /// between all sides (like "univ"), and a room emptying through a 1.2 m door.
    static let all: [SocialForceScene] = [corridor, crossing, plaza, bottleneck]

    static let corridor = SocialForceScene(
        name: "corridor",
        walls: [Wall(ax: 0, ay: 0, bx: 24, by: 0), Wall(ax: 0, ay: 5, bx: 24, by: 5)],
        pillars: [],
        flows: [
            Flow(source: Rect(x0: 0, y0: 0.6, x1: 1, y1: 4.4), waypoints: [], target: Rect(x0: 23.5, y0: 0.6, x1: 24.5, y1: 4.4), rate: 0.35),
            Flow(source: Rect(x0: 23, y0: 0.6, x1: 24, y1: 4.4), waypoints: [], target: Rect(x0: -0.5, y0: 0.6, x1: 0.5, y1: 4.4), rate: 0.35),
        ])

    static let crossing = SocialForceScene(
        name: "crossing", walls: [], pillars: [],
        flows: [
            Flow(source: Rect(x0: 0, y0: 6, x1: 1, y1: 10), waypoints: [], target: Rect(x0: 16, y0: 6, x1: 17, y1: 10), rate: 0.3),
            Flow(source: Rect(x0: 6, y0: 0, x1: 10, y1: 1), waypoints: [], target: Rect(x0: 6, y0: 16, x1: 10, y1: 17), rate: 0.3),
        ])

    static let plaza: SocialForceScene = {
        let sides = [Rect(x0: 0, y0: 1, x1: 0.5, y1: 13), Rect(x0: 19.5, y0: 1, x1: 20, y1: 13),
                     Rect(x0: 1, y0: 0, x1: 19, y1: 0.5), Rect(x0: 1, y0: 13.5, x1: 19, y1: 14)]
        var flows: [Flow] = []
        for (i, source) in sides.enumerated() {
            for (j, target) in sides.enumerated() where i != j {
                flows.append(Flow(source: source, waypoints: [], target: target, rate: 0.05))
            }
        }
        return SocialForceScene(name: "plaza", walls: [], pillars: [Pillar(x: 10, y: 7, radius: 1.2)], flows: flows)
    }()

    static let bottleneck = SocialForceScene(
        name: "bottleneck",
        walls: [Wall(ax: 10, ay: 0, bx: 10, by: 4.4), Wall(ax: 10, ay: 5.6, bx: 10, by: 10),
                Wall(ax: 0, ay: 0, bx: 10, by: 0), Wall(ax: 0, ay: 10, bx: 10, by: 10)],
        pillars: [],
        flows: [Flow(source: Rect(x0: 1, y0: 1, x1: 6, y1: 9), waypoints: [Rect(x0: 10.3, y0: 4.8, x1: 10.5, y1: 5.2)],
                     target: Rect(x0: 15, y0: 3, x1: 16, y1: 7), rate: 0.5)])
}
