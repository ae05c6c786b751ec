import Foundation
import Testing
@testable import AllSpark
import AllSparkData

/// The configuration JSON and the prompt files against their limits (issue: hardening, "limits";
/// docs/LIMITS.md): sizes are checked before the file is read, and counts before they are kept.
struct ConfigurationLimitsTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-limits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func expectError<E: Error & CustomStringConvertible>(_ type: E.Type, mentions fragments: [String],
                                                         sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error mentioning \(fragments)", sourceLocation: sourceLocation)
        } catch let error as E {
            for fragment in fragments where !error.description.contains(fragment) {
                Issue.record("'\(error)' does not mention '\(fragment)'", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected \(E.self), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func configurationFileSizeAndNesting() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let large = directory + "/large.json"
        try ("{\"name\": \"" + String(repeating: "x", count: ConfigObject.maxFileBytes) + "\"}").write(toFile: large, atomically: false, encoding: .utf8)
        expectError(ConfigurationError.self, mentions: [large, "bytes", "at most 1048576 bytes"]) {
            _ = try AllSparkConfiguration.load(path: large)
        }
        let deep = directory + "/deep.json"
        try ("{\"name\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}")
            .write(toFile: deep, atomically: false, encoding: .utf8)
        expectError(ConfigurationError.self, mentions: [deep, "not valid JSON", "Too many nested"]) {
            _ = try AllSparkConfiguration.load(path: deep)
        }
    }

    @Test func promptFileSizeCountAndLength() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func load(_ text: String) throws -> (String, () throws -> Void) {
            let file = directory + "/rgb.txt"
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            return (file, { _ = try PromptLibrary.load(modality: .rgb, file: file, labels: [], userDirectory: directory + "/user") })
        }
        let (large, loadLarge) = try load(String(repeating: "a\n", count: PromptLibrary.maxFileBytes / 2 + 1))
        expectError(PromptError.self, mentions: [large, "bytes", "at most 1048576 bytes"], loadLarge)
        let (many, loadMany) = try load(String(repeating: "a\n", count: PromptLibrary.maxPrompts + 1))
        expectError(PromptError.self, mentions: [many, "10001 prompts", "at most 10000"], loadMany)
        let (long, loadLong) = try load("short\n" + String(repeating: "a", count: PromptLibrary.maxPromptBytes + 1) + "\n")
        expectError(PromptError.self, mentions: [long, "prompt 2 has 8193 bytes", "at most 8192"], loadLong)

        // What cannot be loaded cannot be saved either.
        let (_, loadShort) = try load("short\n")
        try loadShort()
        let library = try PromptLibrary.load(modality: .rgb, file: directory + "/rgb.txt", labels: [], userDirectory: directory + "/user")
        expectError(PromptError.self, mentions: ["8193 bytes", "at most 8192"]) {
            _ = try library.saving(String(repeating: "b", count: PromptLibrary.maxPromptBytes + 1), labels: [])
        }
    }
}
