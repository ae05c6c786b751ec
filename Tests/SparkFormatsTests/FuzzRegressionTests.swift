import Foundation
import Testing
@testable import SparkFormats

/// Every input the fuzzers found crashing (fuzz/README.md), committed under
/// `Tests/Fixtures/fuzz-regressions/<target>/` and fed to its parser the way the fuzz target feeds
/// it: each must now load or give a `FormatError`, never trap.
struct FuzzRegressionTests {
    static func inputs(_ target: String) throws -> [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz-regressions/\(target)").path
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
    }

    /// GGUF: the header and tensor table, then every small tensor dequantised (Sources/allspark-fuzz/GGUF.swift).
    @Test func gguf() throws {
        let inputs = try Self.inputs("gguf")
        #expect(!inputs.isEmpty)
        for path in inputs {
            do {
                let file = try GGUFFile(path: path)
                for info in file.tensors where info.type.isSupportedForDequantisation && info.elementCount <= 1 << 16 {
                    _ = try file.dequantize(info)
                }
            } catch let error as FormatError {
                #expect(error.description.contains(path), "\(error)")
            }
        }
    }

    /// The first one found: tensor 0 is 0 × 0 × 0 × 5.1e18 F32 — no elements, but a row of 2 × 10¹⁹
    /// bytes, which overflowed when the reader sized a row.
    @Test func ggufZeroDimensionWithAHugeRowIsRefused() throws {
        let path = try Self.inputs("gguf").first { $0.hasSuffix("zero-dimension-huge-row.gguf") }!
        #expect {
            _ = try GGUFFile(path: path)
        } throws: { error in
            "\(error)".contains("row size in bytes") && "\(error)".contains("overflows a 64-bit size")
        }
    }
}
