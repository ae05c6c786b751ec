import Foundation
import SparkEngine
import SparkFormats

/// Synthetic freeway traffic in the METR-LA layout: speeds (mph) of 207 sensors every 5 minutes,
/// one day per PEMS-style NPZ file, with a shared `distances.csv` (from,to,cost in metres).
///
/// Model. Speeds follow demand relative to capacity, the way loop-detector data behave:
///   - Daily demand: on weekdays a morning peak (Gaussian around 07:45, σ 1.1 h) strongest on the
///     inbound direction, an evening peak (17:30, σ 1.4 h) strongest outbound, a midday plateau and
///     a night trough; on weekends one broad midday hump (13:30, σ 3 h) and no commute peaks.
///     Each sensor scales it by a demand factor (0.8–1.1, ×1.2 at lane drops), each day by ±5 %.
///   - Congestion where demand exceeds capacity: c = logistic((demand − 1) / 0.08) in (0, 1).
///   - Spill-back: a queue grows upstream, c_i(t) = max(local c_i(t), 0.92 · c_downstream(t − 1)),
///     one sensor (~1.4 km) per 5 minutes, a backward wave of about 10 mph as observed on freeways
///     (kinematic-wave theory, Lighthill & Whitham 1955; Daganzo's cell transmission model 1994).
///   - Incidents: Poisson, 1.5 a day, at a random sensor between 06:00 and 20:00 for 20–90 min,
///     blocking 40–90 % of capacity; they spread upstream by the same rule.
///   - Speed = free-flow speed (55–72 mph) × (1 − 0.75 c), plus AR(1) fluctuation (φ = 0.7,
///     σ = 1.2 mph) and sensor noise (σ = 0.8 mph), clipped to 3–80 mph.
///   - Missing readings are 0, as in METR-LA: 0.2 % at random, and with probability 0.03 per
///     sensor and day an outage of 30 min to 3 h. (Metrics must mask zeros, as STAEformer does.)
/// What varies between files: the day (weekday or weekend), the day's demand, incidents, noise.
/// The network (sensors, interchanges, distances) depends on the seed only.
///
/// Files: `traffic-NNN.npz` with `data` (288, 207, 1) float32, `sensor_ids` (207,) int64, and
/// either `time_of_day` + `day_of_week` (even NNN) or `start` + `interval_minutes` (odd NNN), so
/// both documented calendar forms are exercised; `distances.csv`; `index.json` (one 12-step
/// window per file: a commute peak on weekdays, midday at weekends); `labels.txt`.
public struct TrafficGenerator: ContinuingGenerator {
    public let modality = Modality.graph
    public var labelDescription: [String] { ["speed of every sensor over the next 12 steps of 5 min", "mph"] }

    public static let sensorCount = 207
    public static let stepsPerDay = 288
    static let intervalMinutes = 5.0
    /// 2012-03-01 00:00, the first day of METR-LA's recording period, in seconds since 1970.
    static let firstDay: Int64 = 1_330_560_000

    public init() {}

    public func generate(count: Int, seed: UInt64, directory: String) throws -> [String] {
        try generate(count: count, seed: seed, first: 0, directory: directory)
    }

    /// Days `first ..< first + count` of the seed's network (a later split continues an earlier one).
    public func generate(count: Int, seed: UInt64, first: Int, directory: String) throws -> [String] {
        guard count >= 1 else { throw DataError.invalidArgument("synth graph: --count must be at least 1, got \(count)") }
        guard first >= 0, first <= 100_000 else { throw DataError.invalidArgument("synth graph: --first must be in 0…100000, got \(first)") }
        try GeneratedSampleWriter.prepare(directory)
        var source = GeneratedSampleWriter.source(modality, count: count, seed: seed, model: "demand/capacity freeway traffic with spill-back and incidents")
        if first > 0 { source = source.replacingOccurrences(of: " --seed ", with: " --first \(first) --seed ") }
        let root = DeterministicRandom(seed: seed)
        var networkRandom = root.derived(0xFFFF_FFFF)
        let network = RoadNetwork.make(sensorCount: Self.sensorCount, freeways: 4, random: &networkRandom)
        var written: [String] = []

        let distancesPath = (directory as NSString).appendingPathComponent("distances.csv")
        var csv = "from,to,cost\n"
        for (a, b, metres) in network.distances(within: 8_000) {
            csv += "\(network.sensors[a].id),\(network.sensors[b].id),\(String(format: "%.1f", metres))\n"
        }
        try GeneratedSampleWriter.write(csv, to: distancesPath)
        written.append(distancesPath)

        let firstDayOffset = Int64(networkRandom.integer(below: 90))
        // Windows where something happens: the commute peaks on weekdays, midday at weekends.
        let weekdayWindows: [(String, Int)] = [("06:45", 81), ("16:30", 198), ("07:15", 87), ("17:15", 207)]
        let weekendWindow = ("12:00", 144)
        var entries: [SampleCatalog.Entry] = []
        for index in first..<(first + count) {
            var random = root.derived(UInt64(index))
            let dayStart = Self.firstDay + (firstDayOffset + Int64(index)) * 86_400
            let (_, weekdays) = TrafficSeriesReader.derivedCalendar(startSeconds: dayStart, intervalMinutes: Self.intervalMinutes, steps: 1)
            let speeds = Self.simulateDay(network, weekday: weekdays[0], random: &random)
            let ids = NumpyArray(shape: [network.sensors.count], values: .int64(network.sensors.map(\.id)))
            var arrays: [(name: String, array: NumpyArray)] = [
                ("data", NumpyArray(shape: [Self.stepsPerDay, network.sensors.count, 1], floats: speeds)),
                ("sensor_ids", ids),
            ]
            if index % 2 == 0 {
                let (tod, dow) = TrafficSeriesReader.derivedCalendar(startSeconds: dayStart, intervalMinutes: Self.intervalMinutes, steps: Self.stepsPerDay)
                arrays.append(("time_of_day", NumpyArray(shape: [Self.stepsPerDay], floats: tod)))
                arrays.append(("day_of_week", NumpyArray(shape: [Self.stepsPerDay], values: .int64(dow.map(Int64.init)))))
            } else {
                arrays.append(("start", NumpyArray(shape: [], values: .int64([dayStart]))))
                arrays.append(("interval_minutes", NumpyArray(shape: [], values: .float64([Self.intervalMinutes]))))
            }
            let name = "traffic-\(GeneratedSampleWriter.zeroPadded(index, width: 3)).npz"
            let path = (directory as NSString).appendingPathComponent(name)
            do { try NPZ.write(arrays, to: path, compressed: true) } catch let error as FormatError { throw DataError(error, file: path) }
            written.append(path)
            let (time, step) = weekdays[0] >= 5 ? weekendWindow : weekdayWindows[index % weekdayWindows.count]
            let dayName = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekdays[0]]
            entries.append(SampleCatalog.Entry(file: name, options: ["start": String(step)],
                                               title: "Synthetic freeway speeds, \(dayName) from \(time)",
                                               source: source, licence: GeneratedSampleWriter.licence, generated: true))
        }
        try GeneratedSampleWriter.writeIndex(entries, directory: directory)
        written.append((directory as NSString).appendingPathComponent(SampleCatalog.indexFileName))
        written.append(try GeneratedSampleWriter.writeLabels(labelDescription, directory: directory))
        return written
    }

    static func gaussian(_ hour: Double, centre: Double, width: Double) -> Double {
        exp(-0.5 * ((hour - centre) / width) * ((hour - centre) / width))
    }

    /// One day of speeds, `[288 × sensors]` flattened step-major (the NPZ's (T, N, 1) order).
    static func simulateDay(_ network: RoadNetwork, weekday: Int, random: inout DeterministicRandom) -> [Float] {
        let n = network.sensors.count, steps = stepsPerDay
        let weekend = weekday >= 5
        let dayLevel = random.uniform(0.95, 1.05)
        // Incidents: (sensor, first step, last step, severity).
        var incidents: [(Int, Int, Int, Double)] = []
        var arrivals = 0.0
        while true {
            arrivals += -log(max(random.uniform(), 1e-12)) / 1.5     // exponential gaps, 1.5 a day
            guard arrivals < 1 else { break }
            let first = Int(random.uniform(6, 20) * 12)
            incidents.append((random.integer(below: n), first, first + Int(random.uniform(20, 90) / 5), random.uniform(0.4, 0.9)))
        }
        var outage = [Range<Int>?](repeating: nil, count: n)
        for i in 0..<n where random.chance(0.03) {
            let first = random.integer(below: steps), length = 6 + random.integer(below: 31)
            outage[i] = first..<min(steps, first + length)
        }
        var congestion = [Double](repeating: 0, count: n)
        var fluctuation = [Double](repeating: 0, count: n)
        var speeds = [Float](repeating: 0, count: steps * n)
        for t in 0..<steps {
            let hour = Double(t) / 12
            var local = [Double](repeating: 0, count: n)
            for (i, sensor) in network.sensors.enumerated() {
                let inbound = sensor.direction == 0
                let profile = weekend
                    ? 0.18 + 0.62 * gaussian(hour, centre: 13.5, width: 3)
                    : 0.15 + (inbound ? 0.95 : 0.6) * gaussian(hour, centre: 7.75, width: 1.1)
                        + (inbound ? 0.6 : 0.95) * gaussian(hour, centre: 17.5, width: 1.4)
                        + 0.45 * gaussian(hour, centre: 12.5, width: 2.5)
                let demand = profile * sensor.demandFactor * dayLevel
                local[i] = 1 / (1 + exp(-(demand - 1) / 0.08))
            }
            for (sensor, first, last, severity) in incidents where t >= first && t <= last {
                local[sensor] = max(local[sensor], severity)
            }
            var next = local
            for (i, sensor) in network.sensors.enumerated() {
                if let down = sensor.downstream { next[i] = max(local[i], 0.92 * congestion[down]) }
            }
            congestion = next
            for (i, sensor) in network.sensors.enumerated() {
                fluctuation[i] = 0.7 * fluctuation[i] + random.normal(mean: 0, deviation: 1.2)
                var speed = sensor.freeFlowMPH * (1 - 0.75 * congestion[i]) + fluctuation[i] + random.normal(mean: 0, deviation: 0.8)
                speed = min(80, max(3, speed))
                let missing = random.chance(0.002) || (outage[i]?.contains(t) ?? false)
                speeds[t * n + i] = missing ? 0 : Float(speed)
            }
        }
        return speeds
    }
}
