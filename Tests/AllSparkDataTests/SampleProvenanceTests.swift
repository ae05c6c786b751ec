import Testing
@testable import AllSparkData

/// What the screens call a sample's data: a file no index.json lists is not claimed to be real.
struct SampleProvenanceTests {
    @Test func originWords() {
        #expect(SampleProvenance.unknown.origin == "origin unknown")
        #expect(SampleProvenance(source: "allspark synth sar --seed 3", licence: "CC0-1.0", isGenerated: true).origin == "generated")
        #expect(SampleProvenance(source: "Debian opencv-doc", licence: "Apache-2.0", isGenerated: false).origin == "real")
    }
}
