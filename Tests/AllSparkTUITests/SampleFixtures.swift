import Foundation

/// A temporary `samples/` tree: text/ with an index.json listing one file twice (with options) and
/// a missing file, plus a file it does not list and two that are not samples (labels.txt, a .json);
/// rgb/ with an unreadable index; code/ empty.
/// Tests only read it, so one tree serves them all; it is removed when the test process exits.
final class SampleFixture: Sendable {
    let root: String

    /// Made once, on first use (a static `let` is initialised exactly once, even from parallel tests).
    private static let shared: Result<SampleFixture, Error> = Result {
        let made = try SampleFixture()
        atexit { if case .success(let fixture) = SampleFixture.shared { try? FileManager.default.removeItem(atPath: fixture.root) } }
        return made
    }

    /// The shared tree.
    static func make() throws -> SampleFixture { try shared.get() }

    private init() throws {
        root = NSTemporaryDirectory() + "allspark-tui-samples-\(UUID().uuidString)"
        let fm = FileManager.default
        for folder in ["text", "rgb", "code"] {
            try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try "A short review.\nSecond line.\n".write(toFile: root + "/text/review.txt", atomically: true, encoding: .utf8)
        try "a,b\r\n1,2\r\n".write(toFile: root + "/crlf.csv", atomically: true, encoding: .utf8)
        try "Unlisted text".write(toFile: root + "/text/zeta.txt", atomically: true, encoding: .utf8)
        try ".".write(toFile: root + "/text/.hidden", atomically: true, encoding: .utf8)
        // What `allspark synth` and the data sets put beside samples: neither is a text sample.
        try "negative\npositive\n".write(toFile: root + "/text/labels.txt", atomically: true, encoding: .utf8)
        try "{}".write(toFile: root + "/text/zeta.json", atomically: true, encoding: .utf8)
        try """
            {"samples": [
              {"file": "review.txt", "title": "A review", "source": "written for the tests", "licence": "CC0",
               "generated": false, "label": {"class": "positive"}},
              {"file": "review.txt", "options": {"line": "2"}, "source": "same", "licence": "CC0", "generated": true},
              {"file": "gone.txt", "source": "nowhere", "licence": "CC0", "generated": false}
            ]}
            """.write(toFile: root + "/text/index.json", atomically: true, encoding: .utf8)
        try Data([0x89, 0x50]).write(to: URL(fileURLWithPath: root + "/rgb/bunny.png"))
        try "{not json".write(toFile: root + "/rgb/index.json", atomically: true, encoding: .utf8)
    }
}
