import ArgumentParser
import AllSparkData

/// `allspark synth MODALITY --count N --seed S --out DIR`: writes reproducible synthetic samples
/// (same seed, same bytes) with their `index.json` and `labels.txt`, for modalities whose public
/// data sets cannot be had offline.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write synthetic samples of a modality, reproducibly.",
        discussion: """
        Each generator follows a documented physical or statistical model (see the comment at the \
        top of its source file) and writes files in the formats the loaders read, an index.json \
        that records the command (so the samples can be written again byte for byte) and a \
        labels.txt with the class names or the regression target. Entries already in the folder's \
        index.json for other files are kept.

        Modalities with a generator: \(SyntheticGenerators.all.map(\.modality.rawValue).sorted().joined(separator: ", ")).
        """)

    @Argument(help: "The modality to generate (e.g. trajectory, graph, pointcloud).")
    var modality: String

    @Option(help: "How many samples to write.")
    var count: Int = 4

    @Option(help: "The random seed: the same seed writes the same bytes.")
    var seed: UInt64 = 0

    @Option(help: "The folder to write into (created if missing). Default: samples/<modality>.")
    var out: String?

    @Option(help: "Skip this many samples of the seed's series (graph: a later split of the same road network's days).")
    var first: Int = 0

    @Option(help: "infrared: how many people the seed makes (default 12); training sets want many, so that what is learned is how people look in both bands, not these people.")
    var identities: Int?

    func validate() throws {
        guard count >= 1 && count <= 10_000 else {
            throw ValidationError("--count must be between 1 and 10000, got \(count)")
        }
        if let identities, !(5...10_000).contains(identities) {
            throw ValidationError("--identities must be between 5 (a gallery's size) and 10000, got \(identities)")
        }
    }

    func run() throws {
        let parsed: Modality
        do { parsed = try Modality.parse(modality) } catch { throw ValidationError("\(error)") }
        if identities != nil && parsed != .infrared { throw ValidationError("--identities is for infrared only") }
        let chosen: (any SyntheticGenerator)? = identities.map { InfraredPairGenerator(identityCount: $0) } as (any SyntheticGenerator)?
        guard let generator = chosen ?? SyntheticGenerators.generator(for: parsed) else {
            let available = SyntheticGenerators.all.map(\.modality.rawValue).sorted()
            throw ValidationError("no generator for \(parsed.rawValue); generators exist for: \(available.joined(separator: ", "))")
        }
        let directory = out ?? "samples/\(parsed.rawValue)"
        let written: [String]
        if first != 0 {
            guard let continuing = generator as? any ContinuingGenerator else {
                throw ValidationError("--first is for generators whose samples continue one series (graph); \(parsed.rawValue)'s samples are independent: use another --seed")
            }
            written = try continuing.generate(count: count, seed: seed, first: first, directory: directory)
        } else {
            written = try generator.generate(count: count, seed: seed, directory: directory)
        }
        for path in written { print(path) }
    }
}
