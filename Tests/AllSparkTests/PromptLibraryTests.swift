import Foundation
import Testing
@testable import AllSpark
import AllSparkData

struct PromptLibraryTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-prompts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func builtInPromptsComeFirstAndExpandLabels() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let library = try PromptLibrary.load(modality: .rgb, file: ConfigurationTests.configPath("../prompts/rgb.txt"),
                                             labels: ["forest", "lake"], userDirectory: directory)
        #expect(library.prompts.count == 4)
        #expect(library.defaultPrompt.text == "This remote sensing image belongs to which of the following categories: forest, lake")
        #expect(library.defaultPrompt.template.contains(PromptLibrary.labelsPlaceholder))
        #expect(try library.prompt(number: 2).text == "Describe this remote sensing image briefly")
        #expect(throws: PromptError.self) { try library.prompt(number: 5) }
    }

    /// Saved prompts go to the user's file and are there when the library is loaded again.
    @Test func savedPromptsSurviveReloading() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = ConfigurationTests.configPath("../prompts/sar.txt")
        let library = try PromptLibrary.load(modality: .sar, file: file, labels: [], userDirectory: directory)
        let saved = try library.saving("Which vehicle is this?\nAnswer in one word.", labels: [])
        #expect(saved.prompts.last?.text == "Which vehicle is this? Answer in one word.")
        #expect(saved.prompts.last?.origin == .user)
        let reloaded = try PromptLibrary.load(modality: .sar, file: file, labels: [], userDirectory: directory)
        #expect(reloaded.prompts.count == library.prompts.count + 1)
        #expect(reloaded.prompts.last?.text == "Which vehicle is this? Answer in one word.")
        // Saving the same text again adds nothing; an empty prompt is refused.
        #expect(try reloaded.saving("Which vehicle is this? Answer in one word.", labels: []).prompts.count == reloaded.prompts.count)
        #expect(throws: PromptError.self) { try reloaded.saving("   ", labels: []) }
    }

    @Test func missingOrEmptyPromptFilesAreErrors() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let empty = directory + "/empty.txt"
        try "# only a comment\n\n".write(toFile: empty, atomically: true, encoding: .utf8)
        do {
            _ = try PromptLibrary.load(modality: .rgb, file: empty, labels: [], userDirectory: directory)
            Issue.record("expected an error")
        } catch { #expect("\(error)".contains("empty.txt") && "\(error)".contains("no prompts")) }
        do {
            _ = try PromptLibrary.load(modality: .rgb, file: directory + "/missing.txt", labels: [], userDirectory: directory)
            Issue.record("expected an error")
        } catch { #expect("\(error)".contains("missing.txt") && "\(error)".contains("missing")) }
    }

    /// Every modality has a prompt file whose first line is usable.
    @Test(arguments: Modality.allCases)
    func everyModalityHasPrompts(modality: Modality) throws {
        let library = try PromptLibrary.load(modality: modality, file: ConfigurationTests.configPath("../prompts/\(modality.rawValue).txt"),
                                             labels: ["a"], userDirectory: "/nonexistent")
        #expect(!library.defaultPrompt.text.isEmpty)
        #expect(!library.defaultPrompt.text.contains("{"))
    }
}
