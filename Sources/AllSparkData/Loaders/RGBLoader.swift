/// rgb: one PNG or JPEG photograph → `.image([3, H, W])` in [0, 1]. Gray files become three equal
/// channels; alpha is dropped. No options.
public struct RGBLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .rgb }
    public var fileExtensions: [String] { ImageFile.extensions }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        let image = try ImageFile.read(path: path, limits: limits)
        return Sample(modality: .rgb, path: path, content: .image(image.tensor(rgb: true)))
    }
}
