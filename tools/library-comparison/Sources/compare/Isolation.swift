import Foundation

/// Runs this executable again with `arguments` and says how that ended. A trap (a Swift fatal
/// error) or a hang in a library ends only the child; the parent reports it and goes on.
enum Child {
    enum Outcome {
        case exited(code: Int32, stdout: String, stderr: String)
        case signalled(signal: Int32, stderr: String)
        case timedOut(seconds: Double)
    }

    static func run(_ arguments: [String], timeout: Double) -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compare-child-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Output goes to files, not pipes: a child that fills a pipe would block and look hung.
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"   // a trap ends at once, without a backtrace
        process.environment = environment
        process.standardOutput = try? FileHandle(forWritingTo: out)
        process.standardError = try? FileHandle(forWritingTo: err)
        do { try process.run() } catch { return .exited(code: -1, stdout: "", stderr: "cannot start: \(error)") }
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < timeout { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return .timedOut(seconds: timeout)
        }
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if process.terminationReason == .uncaughtSignal {
            return .signalled(signal: process.terminationStatus, stderr: stderr)
        }
        return .exited(code: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    static func signalName(_ signal: Int32) -> String {
        [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV"][signal] ?? "signal \(signal)"
    }
}

/// Peak resident memory of this process so far, in MiB: VmHWM from /proc/self/status.
/// (getrusage's ru_maxrss is no good here: Linux carries it across execve, so every child would
/// report the parent's peak.)
func peakRSSMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kB = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return -1 }
    return kB / 1024
}

/// `compare bad-zip` / `bad-csv`: every case through every parser, each in a child process.
func printBadInputTable(kind: String, parsers: [String], cases: [(id: String, what: String)]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compare-cases-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let timeout = 20.0
    print("| input | what it is | " + parsers.joined(separator: " | ") + " |")
    print("|---|---|" + String(repeating: "---|", count: parsers.count))
    for (id, what) in cases {
        let path = directory.appendingPathComponent("\(id).\(kind)").path
        let bytes = kind == "zip" ? ZipCases.all.first { $0.id == id }!.bytes()
            : kind == "csv" ? CSVCases.all.first { $0.id == id }!.bytes : []
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        var cells: [String] = []
        for parser in parsers {
            let cell: String
            switch Child.run(["one", kind, parser, id, path], timeout: timeout) {
            case .exited(0, let stdout, _):
                cell = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            case .exited(let code, let stdout, let stderr):
                cell = "exit \(code): " + (stdout + stderr).trimmingCharacters(in: .whitespacesAndNewlines)
            case .signalled(let signal, let stderr):
                let message = stderr.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("error") }
                cell = "**CRASH** (\(Child.signalName(signal))" + (message.map { ": \($0)" } ?? "") + ")"
            case .timedOut(let seconds):
                cell = "**HANG** (killed after \(Int(seconds)) s)"
            }
            cells.append(cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " "))
        }
        print("| `\(id)` | \(what) | " + cells.joined(separator: " | ") + " |")
    }
}

/// The child side of `bad-zip` / `bad-csv`: one parser on one input, one line on stdout.
func runOneCase(kind: String, parser: String, caseID: String, path: String) {
    var line: String
    do {
        if kind == "npz-write" {
            line = try ZipParsers.writeCase(parser, names: ZipParsers.writerCases.first { $0.id == caseID }!.names)
        } else if kind == "zip" {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            line = "accepted: " + ZipParsers.describe(try ZipParsers.decode(parser, bytes, path: path))
        } else {
            let table = parser == "ours" ? try CSVParsers.ours(path: path) : try CSVParsers.read(parser, path: path)
            line = CSVParsers.describe(table, expected: CSVCases.all.first { $0.id == caseID }!.expected)
        }
    } catch {
        line = "error: " + "\(error)".replacingOccurrences(of: path, with: "\(caseID).\(kind)")
    }
    if line.count > 300 { line = String(line.prefix(300)) + "…" }
    let rss = peakRSSMiB()
    print(line + (rss > 100 ? " (peak RSS \(Int(rss)) MiB)" : ""))
}
