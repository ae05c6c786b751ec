import Foundation
import SparkEngine

/// infrared: a folder holding
///
/// - `query.png` or `query.jpg`: the infrared (thermal) query image; gray files become 3 channels;
/// - `gallery/`: RGB images (PNG/JPEG) of candidate identities, read in name order;
/// - optionally `index.json`: `{"match": "<gallery file name>"}`, the gallery image showing the
///   query's identity (label `.galleryMatch`).
///
/// → `.infrared(query: [3, H, W], gallery: [[3, H, W]], galleryNames: [file names without extension])`.
/// Any other file in `gallery/` is an error (so a misplaced file is noticed, not skipped). No options.
public struct InfraredLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .infrared }
    public var fileExtensions: [String] { ["/"] }

    /// Most gallery images read from one folder.
    public static let maxGalleryImages = 1000

    public struct MatchFile: Codable, Sendable, Equatable {
        public var match: String
        public init(match: String) { self.match = match }
    }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        try BoundedFile.requireDirectory(path, what: "query.png (infrared) and gallery/ (RGB images)")
        let entries = try BoundedFile.listing(of: path)
        guard let queryName = entries.first(where: { ["query.png", "query.jpg", "query.jpeg"].contains($0.lowercased()) }) else {
            throw DataError.malformed(file: path, problem: "no query image; expected query.png or query.jpg (infrared) in the folder")
        }
        let query = try ImageFile.read(path: join(path, queryName), limits: limits).tensor(rgb: true)
        var totalValues = query.count

        let galleryPath = join(path, "gallery")
        try BoundedFile.requireDirectory(galleryPath, what: "RGB gallery images (PNG or JPEG)")
        let names = try BoundedFile.listing(of: galleryPath)
        guard !names.isEmpty else {
            throw DataError.malformed(file: galleryPath, problem: "the gallery is empty; expected at least one RGB image")
        }
        guard names.count <= Self.maxGalleryImages else {
            throw DataError.malformed(file: galleryPath, problem: "\(names.count) entries; expected at most \(Self.maxGalleryImages) gallery images")
        }
        var gallery: [Tensor] = []
        for name in names {
            let file = join(galleryPath, name)
            guard ImageFile.isImageName(name), !BoundedFile.isDirectory(file) else {
                throw DataError.malformed(file: file, problem: "is not a PNG or JPEG file; expected only gallery images (.png, .jpg) in gallery/")
            }
            let image = try ImageFile.read(path: file, limits: limits).tensor(rgb: true)
            totalValues += image.count
            guard totalValues <= limits.maxElements else {
                throw DataError.malformed(file: galleryPath, problem: "the gallery decodes to more than \(limits.maxElements) values; expected fewer or smaller images")
            }
            gallery.append(image)
        }
        let galleryNames = names.map { ($0 as NSString).deletingPathExtension }

        var label: SampleLabel?
        let matchPath = join(path, "index.json")
        if FileManager.default.fileExists(atPath: matchPath) {
            var capped = limits
            capped.maxFileBytes = min(limits.maxFileBytes, 1 << 16)
            let bytes = try BoundedFile.bytes(at: matchPath, what: "{\"match\": \"<gallery image>\"}", limits: capped)
            let match: MatchFile
            do { match = try JSONDecoder().decode(MatchFile.self, from: Data(bytes)) } catch {
                throw DataError.malformed(file: matchPath, problem: "not a match description (\(error)); expected {\"match\": \"<gallery file name>\"}")
            }
            guard let index = names.firstIndex(of: match.match) ?? galleryNames.firstIndex(of: match.match) else {
                throw DataError.malformed(file: matchPath, problem: "names '\(match.match)', which is not in gallery/; expected one of " + names.joined(separator: ", "))
            }
            label = .galleryMatch(index)
        }
        return Sample(modality: .infrared, path: path,
                      content: .infrared(query: query, gallery: gallery, galleryNames: galleryNames), label: label)
    }

    private func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }
}
