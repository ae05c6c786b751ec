import SparkEngine
import SparkFormats

/// A traffic recording as read from a PEMS-style NPZ archive.
struct TrafficSeries {
    /// `[steps, nodes, features]`, feature 0 the speed (mph) or flow.
    var data: Tensor
    /// Fraction of the day of each step, in [0, 1).
    var timeOfDay: [Float]
    /// Day of the week of each step, 0 = Monday … 6 = Sunday.
    var dayOfWeek: [Int]
    /// The sensor id of each node, when the archive names them (the distance CSV uses these ids).
    var sensorIDs: [Int64]?

    var steps: Int { data.dim(0) }
    var nodes: Int { data.dim(1) }
    var features: Int { data.dim(2) }
}

/// PEMS-style NPZ archives (as in the STAEformer / DCRNN data preparation):
///
/// - `data`: `(T, N, C)`, any numeric dtype, C ≥ 1, feature 0 = speed or flow; finite values.
/// - `time_of_day`: `(T,)` fraction of the day in [0, 1), and `day_of_week`: `(T,)` integers
///   0 (Monday) … 6 — or, when either is absent, both derived from
///   `start`: 0-d or `(1,)` integer, seconds since 1970-01-01 00:00 of the first step in the
///   sensors' local time (so no time zone is applied), and `interval_minutes`: the spacing of
///   steps (5 for METR-LA and PEMS-BAY).
/// - `sensor_ids`: optional `(N,)` integers, the ids the distance CSV's from/to columns use.
enum TrafficSeriesReader {
    static func read(_ path: String, limits: LoadLimits) throws -> TrafficSeries {
        let bytes = try LimitedFileReader.read(path, limits: limits, expected: "a PEMS-style NPZ archive (data, time_of_day, day_of_week)")
        let arrays = try translatingFormatErrors(file: path) { try NPZ.decode(bytes, name: path, maxElements: limits.maxElements) }
        func fail(_ problem: String) -> DataError { .malformed(file: path, problem: problem) }

        guard let data = arrays["data"] else {
            throw fail("has no array 'data' (it has: \(arrays.keys.sorted().joined(separator: ", "))); expected data of shape (T, N, C)")
        }
        guard data.shape.count == 3, data.shape.allSatisfy({ $0 >= 1 }) else {
            throw fail("array 'data' has shape \(data.shape); expected (T, N, C) with every dimension ≥ 1")
        }
        let (steps, nodes, features) = (data.shape[0], data.shape[1], data.shape[2])
        let values = data.floats()
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let t = bad / (nodes * features), n = (bad / features) % nodes, c = bad % features
            throw fail("array 'data' holds \(values[bad]) at [\(t), \(n), \(c)]; expected finite values (missing readings as 0, as in METR-LA)")
        }

        var timeOfDay: [Float], dayOfWeek: [Int]
        if let tod = arrays["time_of_day"], let dow = arrays["day_of_week"] {
            guard tod.shape == [steps], dow.shape == [steps] else {
                throw fail("time_of_day has shape \(tod.shape) and day_of_week \(dow.shape); expected (\(steps),) each, one per step of data")
            }
            timeOfDay = tod.floats()
            if let bad = timeOfDay.firstIndex(where: { !($0 >= 0 && $0 < 1) }) {
                throw fail("time_of_day[\(bad)] is \(timeOfDay[bad]); expected a fraction of the day in [0, 1)")
            }
            guard let days = dow.exactInt64s() else {
                throw fail("day_of_week holds values that are not whole numbers; expected 0 (Monday) … 6 (Sunday)")
            }
            if let bad = days.firstIndex(where: { !(0...6).contains($0) }) {
                throw fail("day_of_week[\(bad)] is \(days[bad]); expected 0 (Monday) … 6 (Sunday)")
            }
            dayOfWeek = days.map { Int($0) }
        } else if let start = arrays["start"], let interval = arrays["interval_minutes"] {
            guard start.count == 1, let seconds = start.exactInt64s()?.first, abs(seconds) < 1 << 40 else {
                throw fail("array 'start' is \(start.shape) \(start.dtype); expected one whole number of seconds since 1970-01-01")
            }
            let minutes = interval.doubles().first ?? .nan
            guard interval.count == 1, minutes.isFinite, minutes > 0, minutes <= 10_080 else {
                throw fail("array 'interval_minutes' is \(interval.count == 1 ? String(minutes) : "of shape \(interval.shape)"); expected one number of minutes in (0, 10080]")
            }
            (timeOfDay, dayOfWeek) = derivedCalendar(startSeconds: seconds, intervalMinutes: minutes, steps: steps)
        } else {
            throw fail("has neither time_of_day and day_of_week nor start and interval_minutes (it has: \(arrays.keys.sorted().joined(separator: ", "))); expected one of the two pairs")
        }

        var sensorIDs: [Int64]?
        if let ids = arrays["sensor_ids"] {
            guard ids.shape == [nodes], let exact = ids.exactInt64s() else {
                throw fail("sensor_ids has shape \(ids.shape) \(ids.dtype); expected (\(nodes),) whole numbers, one per node")
            }
            guard Set(exact).count == exact.count else {
                throw fail("sensor_ids repeats an id; expected \(nodes) distinct ids")
            }
            sensorIDs = exact
        }
        return TrafficSeries(data: Tensor(shape: data.shape, scalars: values), timeOfDay: timeOfDay, dayOfWeek: dayOfWeek, sensorIDs: sensorIDs)
    }

    /// Time of day and day of week of each step from the first step's time (1970-01-01 was a Thursday).
    static func derivedCalendar(startSeconds: Int64, intervalMinutes: Double, steps: Int) -> ([Float], [Int]) {
        var timeOfDay: [Float] = [], dayOfWeek: [Int] = []
        for step in 0..<steps {
            let seconds = Double(startSeconds) + Double(step) * intervalMinutes * 60
            let days = (seconds / 86_400).rounded(.down)
            let secondOfDay = seconds - days * 86_400
            timeOfDay.append(Float(secondOfDay / 86_400))
            let weekday = (Int(days) + 3) % 7
            dayOfWeek.append(weekday < 0 ? weekday + 7 : weekday)
        }
        return (timeOfDay, dayOfWeek)
    }
}
