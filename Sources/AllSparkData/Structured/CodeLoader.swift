import Foundation

/// Source-code samples: a UTF-8 file whose language is named from its extension. No options.
/// The label, when there is one, comes from the folder's `index.json` (for the code → documentation
/// task, the function's docstring).
public struct CodeLoader: SampleLoader {
    public let modality = Modality.code
    public var fileExtensions: [String] { Self.languages.keys.sorted() }

    /// File extension → language name, as shown to the user and given to the prompt.
    static let languages: [String: String] = [
        "py": "python", "swift": "swift", "rb": "ruby", "js": "javascript", "mjs": "javascript",
        "ts": "typescript", "c": "c", "h": "c", "cc": "c++", "cpp": "c++", "hpp": "c++",
        "java": "java", "go": "go", "rs": "rust", "php": "php", "sh": "shell", "kt": "kotlin",
        "scala": "scala", "cs": "c#", "m": "objective-c", "lua": "lua", "pl": "perl", "r": "r",
        "jl": "julia", "hs": "haskell", "sql": "sql",
    ]

    /// The language of a file name, or nil when the extension is not a known source language.
    public static func language(ofFile path: String) -> String? {
        languages[(path as NSString).pathExtension.lowercased()]
    }

    public init() {}

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        guard let language = Self.language(ofFile: path) else {
            throw DataError.unreadable(file: path, problem: "extension '.\((path as NSString).pathExtension)' names no known source language; expected one of "
                + Self.languages.keys.sorted().map { "." + $0 }.joined(separator: ", "))
        }
        let code = try UTF8TextReader.read(path, limits: limits, expected: "\(language) source code in UTF-8")
        guard code.contains(where: { !$0.isWhitespace }) else {
            throw DataError.malformed(file: path, problem: "holds only whitespace; expected \(language) source code")
        }
        return Sample(modality: .code, path: path, content: .code(code, language: language))
    }
}
