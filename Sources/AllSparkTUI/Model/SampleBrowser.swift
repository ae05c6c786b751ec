import AllSparkData
import Foundation
import SparkFormats

/// One item of the sample list: a catalog entry of `index.json`, or a file the catalog does not list.
public struct SampleItem: Equatable, Sendable {
    public var name: String
    public var path: String
    public var options: [String: String]
    /// Size on disk; nil for folders and missing files.
    public var byteCount: Int?
    public var exists: Bool
    public var entry: SampleCatalog.Entry?

    /// "title" from the catalog, else the file name with its options.
    public var displayName: String {
        if let title = entry?.title, !title.isEmpty { return title }
        return SampleReference(path: name, options: options).text
    }
}

/// The samples of one modality: `samples/<modality>/`, with the folder's `index.json` when it has one.
public struct SampleFolder: Equatable, Sendable {
    public var modality: Modality
    public var directory: String
    public var items: [SampleItem]
    /// Why the folder could not be listed fully (missing folder, bad index.json), shown in the pane.
    public var problem: String?
}

public enum SampleBrowser {
    /// Lists `root/<modality>/`. Catalog entries come first, in the catalog's order (a file may be
    /// listed several times with different options); files the catalog does not mention follow,
    /// sorted by name, when a loader of the modality reads them. Hidden files, the index and the
    /// labels file are left out.
    public static func scan(root: String, modality: Modality) -> SampleFolder {
        let directory = (root as NSString).appendingPathComponent(modality.rawValue)
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return SampleFolder(modality: modality, directory: directory, items: [],
                                problem: "no folder \(directory)")
        }
        var problem: String? = nil
        var catalog = SampleCatalog(directory: directory, entries: [])
        do { catalog = try SampleCatalog.read(directory: directory) } catch {
            problem = "\(error)"
        }
        let names: [String]
        do {
            names = try files.contentsOfDirectory(atPath: directory)
                .filter { !$0.hasPrefix(".") && $0 != SampleCatalog.indexFileName }
                .sorted()
        } catch {
            return SampleFolder(modality: modality, directory: directory, items: [],
                                problem: "cannot list \(directory): \(readableReason(error))")
        }
        func item(_ name: String, options: [String: String], entry: SampleCatalog.Entry?) -> SampleItem {
            let path = (directory as NSString).appendingPathComponent(name)
            var folder: ObjCBool = false
            let exists = files.fileExists(atPath: path, isDirectory: &folder)
            let size = exists && !folder.boolValue
                ? (try? files.attributesOfItem(atPath: path)[.size] as? Int) ?? nil : nil
            return SampleItem(name: name, path: path, options: options, byteCount: size, exists: exists, entry: entry)
        }
        var items = catalog.entries.map { item($0.file, options: $0.options ?? [:], entry: $0) }
        let listed = Set(catalog.entries.map(\.file))
        // Files the catalog does not list appear only when a loader of the modality reads them:
        // not the labels file, not a sample's metadata beside it.
        items += names.filter { name in
            var folder: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return !listed.contains(name) && files.fileExists(atPath: path, isDirectory: &folder)
                && SampleLoaders.accepts(modality, name: name, isDirectory: folder.boolValue)
        }.map { item($0, options: [:], entry: nil) }
        return SampleFolder(modality: modality, directory: directory, items: items, problem: problem)
    }

    /// Items whose name, title or file contain `filter` (case-insensitive); all when it is empty.
    public static func filter(_ items: [SampleItem], by filter: String) -> [SampleItem] {
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return items }
        return items.filter { $0.displayName.lowercased().contains(needle) || $0.name.lowercased().contains(needle) }
    }
}
