import Foundation
import Testing
@testable import AllSparkData

@Suite("Structured: text and code loaders")
struct StructuredTextCodeTests {
    @Test func readsUTF8TextAndDropsTheByteOrderMark() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("review.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("Très bien — 好.\n".utf8))
        let sample = try TextLoader().load(path: path, options: [:], limits: .standard)
        #expect(sample.content == .text("Très bien — 好.\n"))
        #expect(sample.modality == .text)
    }

    @Test func codeLanguageComesFromTheExtension() throws {
        let folder = try StructuredTempFolder()
        for (name, language) in [("a.py", "python"), ("b.swift", "swift"), ("c.rb", "ruby"), ("d.js", "javascript"), ("e.c", "c"), ("F.CPP", "c++")] {
            let path = try folder.write(name, "x = 1\n")
            let sample = try CodeLoader().load(path: path, options: [:], limits: .standard)
            #expect(sample.content == .code("x = 1\n", language: language), "\(name)")
        }
        let unknown = try folder.write("notes.xyz", "x")
        expectLoadError(file: unknown, mentions: [".xyz", "expected", ".py"]) {
            _ = try CodeLoader().load(path: unknown, options: [:], limits: .standard)
        }
    }

    /// Invalid sequences, each with the offset where the bad sequence starts.
    @Test(arguments: [
        ([0x61, 0x62, 0xFF, 0x63] as [UInt8], 2, "0xFF"),          // never valid
        ([0x61, 0x80], 1, "continuation"),                         // stray continuation byte
        ([0x61, 0xC3], 1, "cut off"),                              // truncated 2-byte sequence
        ([0xC0, 0xAF], 0, "0xC0"),                                 // overlong '/'
        ([0xE0, 0x80, 0xAF], 0, "overlong"),                       // overlong 3-byte
        ([0x41, 0xED, 0xA0, 0x80], 1, "surrogate"),                // U+D800
        ([0xF4, 0x90, 0x80, 0x80], 0, "out-of-range"),             // above U+10FFFF
        ([0xE2, 0x82, 0x41], 0, "not a continuation"),             // bad third byte
    ])
    func invalidUTF8NamesTheByteOffset(bytes: [UInt8], offset: Int, reason: String) throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("bad.txt", bytes: bytes)
        expectLoadError(file: path, mentions: ["invalid UTF-8", "byte offset \(offset)", reason, "expected"]) {
            _ = try TextLoader().load(path: path, options: [:], limits: .standard)
        }
        #expect(UTF8Validation.firstFailure(in: bytes)?.offset == offset)
    }

    @Test func acceptsEveryValidEncodingLength() {
        let text = "a é € 𝄞 \u{10FFFF} \u{FFFD}"
        #expect(UTF8Validation.firstFailure(in: Array(text.utf8)) == nil)
    }

    @Test func badFilesAreErrors() throws {
        let folder = try StructuredTempFolder()
        let empty = try folder.write("empty.txt", bytes: [])
        expectLoadError(file: empty, mentions: ["empty", "expected"]) { _ = try TextLoader().load(path: empty, options: [:], limits: .standard) }
        let blank = try folder.write("blank.txt", " \n\t\n")
        expectLoadError(file: blank, mentions: ["whitespace", "expected"]) { _ = try TextLoader().load(path: blank, options: [:], limits: .standard) }
        let binary = try folder.write("binary.py", bytes: [0x78, 0x00, 0x79])
        expectLoadError(file: binary, mentions: ["NUL", "offset 1"]) { _ = try CodeLoader().load(path: binary, options: [:], limits: .standard) }
        let directory = try folder.folder("folder.txt")
        expectLoadError(file: directory, mentions: ["is a folder", "expected a file"]) { _ = try TextLoader().load(path: directory, options: [:], limits: .standard) }
        let missing = folder.file("missing.txt")
        expectLoadError(file: missing, mentions: ["no such file"]) { _ = try TextLoader().load(path: missing, options: [:], limits: .standard) }
        let large = try folder.write("large.txt", String(repeating: "word ", count: 100))
        expectLoadError(file: large, mentions: ["500 bytes", "limit of 64", "maxFileBytes"]) { _ = try TextLoader().load(path: large, options: [:], limits: structuredLimits()) }
        let fine = try folder.write("fine.txt", "fine")
        #expect(throws: DataError.self) { _ = try TextLoader().load(path: fine, options: ["row": "1"], limits: .standard) }
    }
}
