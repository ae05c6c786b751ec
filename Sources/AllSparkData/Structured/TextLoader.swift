/// Text samples: a UTF-8 file read whole (a review, a paragraph). No options.
/// The label, when there is one, comes from the folder's `index.json` (e.g. "positive").
public struct TextLoader: SampleLoader {
    public let modality = Modality.text
    public let fileExtensions = ["txt", "md", "text"]

    public init() {}

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        let text = try UTF8TextReader.read(path, limits: limits, expected: "UTF-8 text")
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw DataError.malformed(file: path, problem: "holds only whitespace; expected some UTF-8 text")
        }
        return Sample(modality: .text, path: path, content: .text(text))
    }
}
