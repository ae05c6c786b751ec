import SparkEngine

/// Trajectory samples from an ETH/UCY text file (see `ETHTrajectoryReader`): one pedestrian's 8
/// observed positions from a start frame, at the file's frame step (10 frames = 0.4 s in ETH/UCY),
/// with the 12 positions that follow as the label when the file has them all.
///
/// Options:
/// - `pedestrian`: the pedestrian id (default: the first, by id, with 8 consecutive observations).
/// - `start`: the first observed frame (default: the pedestrian's first frame that starts 8
///   consecutive observations, preferring one that is also followed by 12 future ones).
///
/// Neighbours are the other pedestrians present in all 8 observed frames, by ascending id, each
/// `[8, 2]`; a pedestrian seen in only some of those frames is left out rather than padded with
/// invented positions.
public struct TrajectoryLoader: SampleLoader {
    public let modality = Modality.trajectory
    public let fileExtensions = ["txt", "tsv", "eth"]

    public static let observedSteps = 8
    public static let futureSteps = 12

    public init() {}

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let options = try LoaderOptions(options, file: path, allowed: ["pedestrian", "start"])
        let text = try UTF8TextReader.read(path, limits: limits, expected: "ETH/UCY trajectories (lines of: frame pedestrian x y)")
        let file = try ETHTrajectoryReader.parse(text, file: path, maxRows: limits.maxRows)
        let step = file.frameStep
        let observed = Self.observedSteps, future = Self.futureSteps

        func hasAll(_ pedestrian: Int, from start: Int, steps: Int) -> Bool {
            guard let track = file.positions[pedestrian] else { return false }
            return (0..<steps).allSatisfy { track[start + $0 * step] != nil }
        }
        /// The pedestrian's first start frame with a full observation, preferring a full future too.
        func defaultStart(_ pedestrian: Int) -> Int? {
            let frames = file.positions[pedestrian]!.keys.sorted()
            return frames.first { hasAll(pedestrian, from: $0, steps: observed + future) }
                ?? frames.first { hasAll(pedestrian, from: $0, steps: observed) }
        }

        let pedestrian: Int
        let start: Int
        // Ids and frames in files are below 10¹² (see the reader); the same bound on the options
        // keeps `start + k · step` far from overflow.
        let idRange = -1_000_000_000_000...1_000_000_000_000
        switch (try options.integer("pedestrian", in: idRange), try options.integer("start", in: idRange)) {
        case let (p?, s?):
            pedestrian = p; start = s
        case let (p?, nil):
            guard file.positions[p] != nil else { throw unknownPedestrian(p, file, path) }
            guard let s = defaultStart(p) else {
                throw DataError.malformed(file: path, problem: "pedestrian \(p) is never observed in \(observed) consecutive frames \(step) apart; expected a pedestrian with at least \(observed) consecutive observations")
            }
            pedestrian = p; start = s
        case let (nil, s?):
            guard let p = file.pedestrians.first(where: { hasAll($0, from: s, steps: observed) }) else {
                throw DataError.invalidArgument("\(path): no pedestrian is observed in all \(observed) frames from start=\(s) (step \(step)); choose another start")
            }
            pedestrian = p; start = s
        case (nil, nil):
            guard let p = file.pedestrians.first(where: { defaultStart($0) != nil }) else {
                throw DataError.malformed(file: path, problem: "no pedestrian is observed in \(observed) consecutive frames \(step) frames apart; expected at least one \(observed)-step track")
            }
            pedestrian = p; start = defaultStart(p)!
        }
        guard let track = file.positions[pedestrian] else { throw unknownPedestrian(pedestrian, file, path) }
        let wanted = (0..<observed).map { start + $0 * step }
        let missing = wanted.filter { track[$0] == nil }
        if !missing.isEmpty {
            throw DataError.malformed(file: path, problem: "pedestrian \(pedestrian) is missing in frame\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of the \(observed) observed frames \(wanted.first!)...\(wanted.last!) (step \(step)); expected a position in every observed frame")
        }

        func positions(_ track: [Int: (Float, Float)], _ frames: [Int]) -> Tensor {
            Tensor(shape: [frames.count, 2], scalars: frames.flatMap { [track[$0]!.0, track[$0]!.1] })
        }
        let neighbours = file.pedestrians
            .filter { $0 != pedestrian && hasAll($0, from: start, steps: observed) }
            .map { positions(file.positions[$0]!, wanted) }
        let futureFrames = (observed..<(observed + future)).map { start + $0 * step }
        let label: SampleLabel? = futureFrames.allSatisfy { track[$0] != nil }
            ? .futureTrajectory(positions(track, futureFrames)) : nil
        return Sample(modality: .trajectory, path: path,
                      content: .trajectory(observed: positions(track, wanted), neighbours: neighbours), label: label)
    }

    private func unknownPedestrian(_ p: Int, _ file: ETHTrajectoryFile, _ path: String) -> DataError {
        let ids = file.pedestrians
        return .invalidArgument("\(path): pedestrian \(p) does not occur; the file has \(ids.count) pedestrians, ids \(ids.first!)...\(ids.last!)")
    }
}
