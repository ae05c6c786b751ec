/// A freeway sensor network like METR-LA's (207 loop detectors on Los Angeles freeways): several
/// freeways, each with one chain of sensors per direction, joined at interchanges.
struct RoadNetwork {
    struct Sensor {
        var id: Int64
        var freeway: Int
        /// 0 runs towards the city centre (inbound, busy in the morning), 1 away from it.
        var direction: Int
        /// The next sensor downstream in the same direction (where a queue spills back from).
        var downstream: Int?
        /// Demand relative to capacity at this sensor (a lane drop or on-ramp makes it larger).
        var demandFactor: Double
        /// Speed with no congestion, mph.
        var freeFlowMPH: Double
    }

    var sensors: [Sensor]
    /// Directed road links: (from, to, metres).
    var links: [(Int, Int, Double)]

    /// `count` sensors on `freeways` freeways (two directions each), 0.8–2.0 km apart, with an
    /// interchange between each pair of freeways with probability 0.7.
    static func make(sensorCount count: Int, freeways: Int, random: inout DeterministicRandom) -> RoadNetwork {
        let chains = 2 * freeways
        var sensors: [Sensor] = []
        var links: [(Int, Int, Double)] = []
        var positions: [[Double]] = []     // km mark of each sensor along its chain, per chain
        var members: [[Int]] = []          // sensor indices per chain, in travel order
        var nextID: Int64 = 700_000
        for chain in 0..<chains {
            let size = count / chains + (chain < count % chains ? 1 : 0)
            var km = random.uniform(0, 1), marks: [Double] = [], indices: [Int] = []
            for _ in 0..<size {
                nextID += Int64(1 + random.integer(below: 3000))
                let index = sensors.count
                if let previous = indices.last {
                    sensors[previous].downstream = index
                    links.append((previous, index, (km - marks.last!) * 1000))
                }
                sensors.append(Sensor(id: nextID, freeway: chain / 2, direction: chain % 2, downstream: nil,
                                      demandFactor: random.uniform(0.8, 1.1) * (random.chance(0.12) ? 1.2 : 1.0),
                                      freeFlowMPH: min(72, max(55, random.normal(mean: 66, deviation: 3)))))
                marks.append(km); indices.append(index)
                km += random.uniform(0.8, 2.0)
            }
            positions.append(marks); members.append(indices)
        }
        // Interchanges: where freeway f (at km a) meets freeway g (at km b), every direction of f
        // gets a ramp to every direction of g: from f's last sensor before a to g's first after b.
        for f in 0..<freeways {
            for g in (f + 1)..<max(f + 1, freeways) where random.chance(0.7) {
                let a = random.uniform(0.25, 0.75), b = random.uniform(0.25, 0.75)
                for (from, fraction1) in [(f, a), (g, b)] {
                    let to = from == f ? g : f, fraction2 = from == f ? b : a
                    for fromChain in [2 * from, 2 * from + 1] {
                        let marks1 = positions[fromChain], crossing1 = marks1.first! + fraction1 * (marks1.last! - marks1.first!)
                        guard let before = marks1.lastIndex(where: { $0 <= crossing1 }) else { continue }
                        for toChain in [2 * to, 2 * to + 1] {
                            let marks2 = positions[toChain], crossing2 = marks2.first! + fraction2 * (marks2.last! - marks2.first!)
                            guard let after = marks2.firstIndex(where: { $0 > crossing2 }) else { continue }
                            let metres = ((crossing1 - marks1[before]) + (marks2[after] - crossing2) + 0.5) * 1000
                            links.append((members[fromChain][before], members[toChain][after], metres))
                        }
                    }
                }
            }
        }
        return RoadNetwork(sensors: sensors, links: links)
    }

    /// Road distances (metres) from every sensor to every sensor it reaches within `limit`,
    /// itself included at 0: the rows of a `from,to,cost` CSV (Dijkstra on the directed links).
    func distances(within limit: Double) -> [(Int, Int, Double)] {
        let n = sensors.count
        var outgoing = [[(Int, Double)]](repeating: [], count: n)
        for (a, b, d) in links { outgoing[a].append((b, d)) }
        var rows: [(Int, Int, Double)] = []
        for source in 0..<n {
            var best = [Double](repeating: .infinity, count: n)
            var done = [Bool](repeating: false, count: n)
            best[source] = 0
            while true {
                var current = -1
                for i in 0..<n where !done[i] && best[i] <= limit && (current < 0 || best[i] < best[current]) { current = i }
                guard current >= 0 else { break }
                done[current] = true
                rows.append((source, current, best[current]))
                for (next, d) in outgoing[current] where best[current] + d < best[next] { best[next] = best[current] + d }
            }
        }
        return rows
    }
}
