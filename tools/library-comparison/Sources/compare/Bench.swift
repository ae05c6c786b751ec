import OurCSV
import Foundation
import SparkFormats

/// Speed and memory on realistic files. Each (parser, file) runs in its own child so its peak RSS
/// is its own: one untimed warm-up, then `runs` timed runs; the child prints the median.
let runs = 5

/// Wall and CPU milliseconds of `body`. The CPU time is the steadier number on a shared machine
/// (every parser here runs on one thread).
func milliseconds(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    func now(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }
    let wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID)
    try body()
    return (now(CLOCK_MONOTONIC) - wall, now(CLOCK_PROCESS_CPUTIME_ID) - cpu)
}

/// The child: `time-one npz|npz-write|csv|csv-parse PARSER FILE`. Prints `RESULT <median wall ms>
/// <min> <max> <median CPU ms> <RSS before MiB> <peak RSS MiB>` and a digest line.
func timeOne(kind: String, parser: String, file: String) {
    do {
        var digest = ""
        var timed: () throws -> Void
        switch kind {
        case "npz":
            // From memory, as `NPZ.decode` and the fuzz targets read (the file is read once, untimed),
            // except `ZIPFoundation+guards/file`, which opens the file each time.
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            timed = { digest = ZipParsers.floatsDigest(try ZipParsers.decode(parser, bytes, path: file)) }
        case "npz-write":
            let decoded = try NPZ.read(path: file)
            let arrays = decoded.keys.sorted().map { (name: $0, array: decoded[$0]!) }
            let output = file + "." + parser.replacingOccurrences(of: "/", with: "-") + ".npz"
            timed = {
                let bytes = try ZipParsers.encode(parser, arrays)
                try Data(bytes).write(to: URL(fileURLWithPath: output))
                digest = "\(bytes.count) bytes → \(output)"
            }
        case "csv-parse":
            timed = { digest = CSVParsers.digest(try CSVParsers.parseOnly(parser, path: file)) }
        case "csv":
            timed = {
                if parser == "ours" {
                    // One load parses and types every row (it returns row 0).
                    _ = try TableLoader().load(path: file, options: [:], limits: .standard)
                } else {
                    digest = CSVParsers.digest(try CSVParsers.read(parser, path: file))
                }
            }
        default: usage()
        }
        let before = peakRSSMiB()
        try timed()
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<runs { let t = try milliseconds(timed); wall.append(t.wall); cpu.append(t.cpu) }
        let peak = peakRSSMiB()
        if kind == "csv" && parser == "ours" { digest = CSVParsers.digest(try CSVParsers.ours(path: file, shown: 1)) }
        wall.sort(); cpu.sort()
        print(String(format: "RESULT %.1f %.1f %.1f %.1f %.0f %.0f", wall[runs / 2], wall[0], wall[runs - 1], cpu[runs / 2], before, peak))
        print(digest)
    } catch {
        print("ERROR \(error)")
    }
}

/// `bench-npz FILE...`, `bench-csv FILE`: one row per (file, parser); `kinds` are timed in turn.
func benchRead(kinds: [String], parsers: [String], files: [String]) {
    print("| file | what is timed | parser | median wall ms (of \(runs)) | min–max | median CPU ms | peak RSS MiB (before) | result |")
    print("|---|---|---|---|---|---|---|---|")
    var digests: [String] = []
    for file in files {
        for kind in kinds {
            var oursDigest: String?
            for parser in parsers {
                let (cells, digest) = timeInChild(kind: kind, parser: parser, file: file)
                if parser == "ours" { oursDigest = digest; digests.append("\(kind) \((file as NSString).lastPathComponent): \(digest)") }
                let same = parser == "ours" ? "reference" : (digest == oursDigest ? "same as ours" : "**differs**: \(digest)")
                print("| \((file as NSString).lastPathComponent) | \(what[kind] ?? kind) | \(parser) | \(cells) | \(same) |")
            }
        }
    }
    print("\nWhat ours read (the other parsers' results are compared with it):")
    for digest in digests { print("- \(digest)") }
}

let what = ["npz": "decode every member to Float", "csv": "read, parse and type every field",
            "csv-parse": "read and parse to strings"]

/// `bench-npz-write FILE`: the arrays of FILE written back by each writer (stored and deflated).
/// The outputs are left beside FILE so `scripts/make-inputs.py check` can load them with numpy.
func benchNPZWrite(file: String) {
    print("| writer | median wall ms (of \(runs)) | min–max | median CPU ms | peak RSS MiB (before) | output |")
    print("|---|---|---|---|---|---|")
    for writer in ZipParsers.writerNames {
        let (cells, digest) = timeInChild(kind: "npz-write", parser: writer, file: file)
        print("| \(writer) | \(cells) | \(digest) |")
    }
}

func timeInChild(kind: String, parser: String, file: String) -> (cells: String, digest: String) {
    switch Child.run(["time-one", kind, parser, file], timeout: 600) {
    case .exited(0, let stdout, _):
        let lines = stdout.split(separator: "\n").map(String.init)
        guard let result = lines.first, result.hasPrefix("RESULT ") else { return ("– | – | – | –", stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let f = result.split(separator: " ").dropFirst().map(String.init)
        return ("\(f[0]) | \(f[1])–\(f[2]) | \(f[3]) | \(f[5]) (\(f[4]))", lines.dropFirst().joined(separator: " "))
    case .exited(let code, let stdout, let stderr):
        return ("exit \(code) | | | ", stdout + stderr)
    case .signalled(let signal, let stderr):
        return ("**CRASH** \(Child.signalName(signal)) | | | ", stderr)
    case .timedOut(let seconds):
        return ("**HANG** > \(Int(seconds)) s | | | ", "")
    }
}
