import Foundation

/// Every sample loader and synthetic generator, by modality.
/// The lists are assembled from per-area files (`Registry+Images.swift`, `Registry+Structured.swift`).
public enum SampleLoaders {
    public static var all: [any SampleLoader] { imageLoaders + structuredLoaders }

    /// The loaders for a modality (a modality may accept several formats).
    public static func loaders(for modality: Modality) -> [any SampleLoader] {
        all.filter { $0.modality == modality }
    }

    /// The class list `allspark synth` and `scripts/fetch-data` write beside samples: not a sample.
    public static let labelsFileName = "labels.txt"

    /// Whether a file (or folder) of this name can be a sample of `modality`: a loader of the
    /// modality reads its extension, and it is not the labels file.
    public static func accepts(_ modality: Modality, name: String, isDirectory: Bool) -> Bool {
        guard name != labelsFileName else { return false }
        let ext = isDirectory ? "/" : (name as NSString).pathExtension.lowercased()
        return loaders(for: modality).contains { $0.fileExtensions.contains(ext) }
    }

    /// Loads a sample of `modality` from `reference`, choosing the loader by file extension (or the
    /// folder loader for a directory), and fills in provenance and label from the folder's
    /// `index.json` when it lists the file.
    /// `catalog`: the folder's index when the caller has read it already (a loop over a folder
    /// passes it, or every sample would parse the whole index again: quadratic in the folder).
    public static func load(_ modality: Modality, _ reference: SampleReference,
                            limits: LoadLimits = .standard, catalog: SampleCatalog? = nil) throws -> Sample {
        let path = reference.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(file: path, problem: "no such file or folder")
        }
        let candidates = loaders(for: modality)
        let ext = isDirectory.boolValue ? "/" : (path as NSString).pathExtension.lowercased()
        guard let loader = candidates.first(where: { $0.fileExtensions.contains(ext) }) else {
            let accepted = candidates.flatMap(\.fileExtensions).map { $0 == "/" ? "a folder" : ".\($0)" }
            let what = isDirectory.boolValue ? "a folder" : ext.isEmpty ? "a file without an extension" : "a .\(ext) file"
            throw DataError.unreadable(file: path, problem: "\(modality.rawValue) samples cannot be read from \(what); expected "
                + (accepted.isEmpty ? "(no loader registered)" : accepted.joined(separator: ", ")))
        }
        var sample = try loader.load(path: path, options: reference.options, limits: limits)
        let directory = (path as NSString).deletingLastPathComponent
        let given = catalog.flatMap { ($0.directory as NSString).standardizingPath == (directory as NSString).standardizingPath ? $0 : nil }
        let folder = try given ?? SampleCatalog.read(directory: directory)
        if let entry = folder.entry(for: reference) {
            sample.provenance = entry.provenance
            if sample.label == nil { sample.label = entry.sampleLabel }
        }
        return sample
    }
}

public enum SyntheticGenerators {
    public static var all: [any SyntheticGenerator] { imageGenerators + structuredGenerators }

    public static func generator(for modality: Modality) -> (any SyntheticGenerator)? {
        all.first { $0.modality == modality }
    }
}
