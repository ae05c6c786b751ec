/// One line of an ETH/UCY trajectory file.
struct TrajectoryObservation: Equatable {
    var frame: Int
    var pedestrian: Int
    var x: Float
    var y: Float
}

/// The positions of every pedestrian by frame, as read from an ETH/UCY text file.
struct ETHTrajectoryFile {
    /// pedestrian → frame → (x, y)
    var positions: [Int: [Int: (Float, Float)]]
    /// Every distinct frame number, ascending.
    var frames: [Int]
    /// The spacing between annotated frames (10 in the ETH and UCY files: 25 fps video annotated
    /// every 10th frame, i.e. 0.4 s or 2.5 Hz): the most common gap between consecutive frames.
    var frameStep: Int

    var pedestrians: [Int] { positions.keys.sorted() }
}

/// ETH/UCY trajectories in the four-column text form distributed with Social-GAN, TUTR and most
/// trajectory-prediction code: one observation per line,
///
///     frame  pedestrian  x  y
///
/// separated by spaces or tabs, frame and pedestrian as integers (written `780.0` in some files),
/// x and y in metres in the scene's world frame. (The original ETH `obsmat.txt` has eight columns,
/// frame, pedestrian, x, z, y, vx, vz, vy; it is not read here: convert it to the four columns.)
/// Lines starting with `#` and empty lines are skipped.
enum ETHTrajectoryReader {
    static func parse(_ text: String, file: String, maxRows: Int) throws -> ETHTrajectoryFile {
        var positions: [Int: [Int: (Float, Float)]] = [:]
        var frameSet: Set<Int> = []
        var rows = 0
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            guard fields.count == 4 else {
                throw DataError.malformed(file: file, problem: "line \(lineNumber) has \(fields.count) fields; expected 4: frame pedestrian x y")
            }
            rows += 1
            guard rows <= maxRows else {
                throw DataError.malformed(file: file, problem: "has more than \(maxRows) observations (LoadLimits.maxRows); expected at most \(maxRows)")
            }
            func number(_ index: Int, _ name: String) throws -> Double {
                guard let value = Double(fields[index]) else {
                    throw DataError.malformed(file: file, problem: "line \(lineNumber): \(name) '\(fields[index])' is not a number; expected frame pedestrian x y")
                }
                guard value.isFinite else {
                    throw DataError.malformed(file: file, problem: "line \(lineNumber): \(name) is \(fields[index]); expected a finite number")
                }
                return value
            }
            func integer(_ index: Int, _ name: String) throws -> Int {
                let value = try number(index, name)
                guard value == value.rounded(), abs(value) < 1e12 else {
                    throw DataError.malformed(file: file, problem: "line \(lineNumber): \(name) '\(fields[index])' is not a whole number; expected an integer \(name) id")
                }
                return Int(value)
            }
            let frame = try integer(0, "frame")
            let pedestrian = try integer(1, "pedestrian")
            let x = try number(2, "x"), y = try number(3, "y")
            guard abs(x) < 1e30, abs(y) < 1e30 else {
                throw DataError.malformed(file: file, problem: "line \(lineNumber): position (\(x), \(y)) is out of Float range; expected coordinates in metres")
            }
            if positions[pedestrian]?[frame] != nil {
                throw DataError.malformed(file: file, problem: "line \(lineNumber): pedestrian \(pedestrian) appears twice in frame \(frame); expected one position per pedestrian and frame")
            }
            positions[pedestrian, default: [:]][frame] = (Float(x), Float(y))
            frameSet.insert(frame)
        }
        let frames = frameSet.sorted()
        guard frames.count >= 2 else {
            throw DataError.malformed(file: file, problem: "holds \(frames.count) distinct frame\(frames.count == 1 ? "" : "s"); expected observations over at least 2 frames (lines of: frame pedestrian x y)")
        }
        var gaps: [Int: Int] = [:]
        for (a, b) in zip(frames, frames.dropFirst()) { gaps[b - a, default: 0] += 1 }
        // Most common gap; ties go to the smaller gap so the choice does not depend on hashing.
        let step = gaps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
        return ETHTrajectoryFile(positions: positions, frames: frames, frameStep: step)
    }
}
