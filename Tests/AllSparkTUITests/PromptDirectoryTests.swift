import AllSparkData
import Foundation
import Testing
@testable import AllSpark
@testable import AllSparkTUI

/// The user prompt directory set in the interface is the one the session it opens reads: the
/// controller puts it into the configuration it hands to the driver (the session's own use of the
/// configuration's directory is tested in AllSparkTests/PipelineTests+Prompts).
@Suite struct PromptDirectoryTests {
    final class Handed: @unchecked Sendable { var configuration: AllSparkConfiguration? }

    @Test func theInterfacesPromptDirectoryReachesTheSessionsConfiguration() throws {
        let directory = NSTemporaryDirectory() + "allspark-tui-prompt-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "Name the land cover in one word\n".write(toFile: directory + "/rgb.txt", atomically: true, encoding: .utf8)

        let c = makeController(try SampleFixture.make())
        c.promptUserDirectory = directory
        let handed = Handed()
        let driver = ScriptedDriver()
        c.startPipeline(PipelineFactory(loadConfiguration: { try AllSparkConfiguration.load(path: ConfigurationFixture.path) },
                                        makeDriver: { configuration, _ in handed.configuration = configuration; return driver }))
        c.settle()
        #expect(handed.configuration?.promptUserDirectory == directory)
        let library = try #require(c.promptLibrary(for: .rgb))
        #expect(library.prompts.map(\.text) == ["Which class: forest, meadow, lake", "Describe this image briefly",
                                                "Name the land cover in one word"])
        #expect(try handed.configuration?.prompts(.rgb) == library, "the session reads the same library")
    }
}
