import Foundation

/// The samples of one modality folder, as listed in its `index.json`:
///
/// ```json
/// { "samples": [
///     { "file": "bunny.ply", "options": {}, "title": "Stanford bunny",
///       "source": "CGAL libcgal-demo data.tar.gz: meshes/bunny00.off", "licence": "…",
///       "generated": false, "label": { "class": "bunny" } } ] }
/// ```
///
/// `label` is optional and holds `class` (a class name) or `value` + `unit` (a regression target).
/// Richer ground truth (future trajectory steps, depth maps, future traffic) lives in the sample
/// files themselves and is read by the loaders. `samples/SOURCES.md` is written from these files
/// by `scripts/make_sources_md.py`, so the two never disagree.
public struct SampleCatalog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Codable {
        public var file: String
        public var options: [String: String]?
        public var title: String?
        public var source: String
        public var licence: String
        public var generated: Bool
        public var label: Label?

        public struct Label: Sendable, Equatable, Codable {
            public var `class`: String?
            public var value: Double?
            public var unit: String?
            public init(class: String? = nil, value: Double? = nil, unit: String? = nil) {
                self.class = `class`; self.value = value; self.unit = unit
            }
        }

        public init(file: String, options: [String: String]? = nil, title: String? = nil, source: String,
                    licence: String, generated: Bool, label: Label? = nil) {
            self.file = file; self.options = options; self.title = title; self.source = source
            self.licence = licence; self.generated = generated; self.label = label
        }

        public var provenance: SampleProvenance {
            SampleProvenance(source: source, licence: licence, isGenerated: generated)
        }

        public var sampleLabel: SampleLabel? {
            if let name = label?.class { return .className(name) }
            if let value = label?.value { return .value(value, unit: label?.unit ?? "") }
            return nil
        }
    }

    private struct IndexFile: Codable { var samples: [Entry] }

    public var directory: String
    public var entries: [Entry]

    public init(directory: String, entries: [Entry]) {
        self.directory = directory; self.entries = entries
    }

    public static let indexFileName = "index.json"

    /// Reads `directory/index.json`. A missing index is an empty catalog; a bad one is an error.
    public static func read(directory: String) throws -> SampleCatalog {
        let path = (directory as NSString).appendingPathComponent(indexFileName)
        guard FileManager.default.fileExists(atPath: path) else {
            return SampleCatalog(directory: directory, entries: [])
        }
        // Indexes of real data sets run to a few megabytes; the size is checked before reading.
        let bytes = try BoundedFile.bytes(at: path, what: "a sample index {\"samples\": […]}", limits: .standard)
        do {
            return SampleCatalog(directory: directory, entries: try JSONDecoder().decode(IndexFile.self, from: Data(bytes)).samples)
        } catch {
            throw DataError.malformed(file: path, problem: "not a valid sample index (expected {\"samples\": [{\"file\", \"source\", \"licence\", \"generated\", …}]}): \(error)")
        }
    }

    /// Writes `directory/index.json` (sorted keys, so generators produce identical bytes).
    public func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(IndexFile(samples: entries))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(Self.indexFileName)))
    }

    /// The reference (path + options) of an entry, for loading.
    public func reference(_ entry: Entry) -> SampleReference {
        SampleReference(path: (directory as NSString).appendingPathComponent(entry.file), options: entry.options ?? [:])
    }

    /// The entry describing `reference`, if the catalog lists it (same file name and options).
    public func entry(for reference: SampleReference) -> Entry? {
        let name = (reference.path as NSString).lastPathComponent
        return entries.first { $0.file == name && ($0.options ?? [:]) == reference.options }
            ?? entries.first { $0.file == name }
    }
}
