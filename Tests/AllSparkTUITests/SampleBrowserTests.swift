import AllSparkData
import Testing
@testable import AllSparkTUI

@Suite struct SampleBrowserTests {
    /// labels.txt (the class list) and a .json no text loader reads are not listed.
    @Test func catalogEntriesFirstThenUnlistedFilesALoaderReads() throws {
        let fixture = try SampleFixture.make()
        let folder = SampleBrowser.scan(root: fixture.root, modality: .text)
        #expect(folder.problem == nil)
        #expect(folder.items.map(\.displayName) == ["A review", "review.txt#line=2", "gone.txt", "zeta.txt"])
        #expect(folder.items[0].byteCount == 29)
        #expect(folder.items[0].entry?.sampleLabel == .className("positive"))
        #expect(folder.items[2].exists == false)
        #expect(folder.items[3].entry == nil)
    }

    @Test func aBadIndexIsReportedAndFilesStillListed() throws {
        let fixture = try SampleFixture.make()
        let folder = SampleBrowser.scan(root: fixture.root, modality: .rgb)
        #expect(folder.items.map(\.name) == ["bunny.png"])
        let problem = try #require(folder.problem)
        #expect(problem.contains("index.json"))
    }

    @Test func missingAndEmptyFolders() throws {
        let fixture = try SampleFixture.make()
        #expect(SampleBrowser.scan(root: fixture.root, modality: .sar).problem?.contains("no folder") == true)
        let code = SampleBrowser.scan(root: fixture.root, modality: .code)
        #expect(code.items.isEmpty && code.problem == nil)
    }

    @Test func filterMatchesNamesAndTitles() throws {
        let fixture = try SampleFixture.make()
        let items = SampleBrowser.scan(root: fixture.root, modality: .text).items
        #expect(SampleBrowser.filter(items, by: "REVIEW").count == 2)
        #expect(SampleBrowser.filter(items, by: "zet").map(\.name) == ["zeta.txt"])
        #expect(SampleBrowser.filter(items, by: "  ").count == 4)
    }

    @Test func textPreviewReadsTheFirstLines() throws {
        let fixture = try SampleFixture.make()
        let preview = try #require(TextPreview.make(path: fixture.root + "/text/review.txt"))
        #expect(preview.plainText == "A short review.\nSecond line.")
        #expect(preview.caption == "first 2 lines")
        #expect(TextPreview.make(path: fixture.root + "/rgb/bunny.png") == nil)
        #expect(TextPreview.make(path: fixture.root + "/crlf.csv")?.rows.count == 2)
        #expect(TextPreview.make(path: fixture.root + "/text/absent.txt") == nil)
    }

    @Test func lineCommands() throws {
        #expect(try LineCommand.parse("q").get() == .quit)
        #expect(try LineCommand.parse("  modality   RGB ").get() == .modality(.rgb))
        #expect(try LineCommand.parse("filter two words").get() == .filter("two words"))
        #expect(try LineCommand.parse("demo-job").get() == .demoJob(seconds: 5))
        #expect(try LineCommand.parse("demo-job 0.5").get() == .demoJob(seconds: 0.5))
        for bad in ["", "bogus", "modality", "modality lidar", "demo-job -1", "demo-job nan", "demo-job 1 2", "quit now"] {
            guard case .failure(let error) = LineCommand.parse(bad) else { Issue.record("'\(bad)' parsed"); continue }
            #expect(!error.description.isEmpty)
        }
        guard case .failure(let error) = LineCommand.parse("modality lidar") else { return }
        #expect(error.description.contains("pointcloud"))  // the message lists what is allowed
    }

    @Test func lineHistorySkipsRepeatsAndBlanks() {
        var history = LineHistory(limit: 3)
        for line in ["a", "a", " ", "b", "c", "d"] { history.add(line) }
        #expect(history.entries == ["b", "c", "d"])
    }
}
