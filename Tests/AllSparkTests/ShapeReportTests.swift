import Foundation
import Testing
@testable import AllSpark

/// `allspark shapes` with the paper configuration prints exactly the shapes of
/// SPEC-MODALITIES.md's table (copied here row by row).
struct ShapeReportTests {
    struct Expected: Sendable {
        let modality: String
        let input: [Int]
        let tokens: [Int]
        let head: [Int]
    }

    static let paper: [Expected] = [
        Expected(modality: "text", input: [-1], tokens: [-1, 4096], head: [32001]),
        Expected(modality: "code", input: [-1], tokens: [-1, 4096], head: [32001]),
        Expected(modality: "rgb", input: [3, 420, 420], tokens: [901, 1408], head: [45]),
        Expected(modality: "msi", input: [13, 224, 224], tokens: [197, 768], head: [10]),
        Expected(modality: "hsi", input: [103], tokens: [103, 768], head: [9]),
        Expected(modality: "table", input: [15], tokens: [15, 768], head: [1]),
        Expected(modality: "trajectory", input: [8, 2], tokens: [8, 256], head: [12, 2]),
        Expected(modality: "sar", input: [1, 128, 128], tokens: [256, 256], head: [10]),
        Expected(modality: "infrared", input: [2, 3, 288, 144], tokens: [90, 2048], head: [296]),
        Expected(modality: "graph", input: [12, 207, 3], tokens: [2484, 152], head: [207, 12]),
        Expected(modality: "oblique", input: [5, 3, 224, 224], tokens: [985, 768], head: [56, 56]),
        Expected(modality: "video", input: [32, 3, 224, 224], tokens: [539, 768], head: [101]),
        Expected(modality: "pointcloud", input: [1024, 3], tokens: [65, 384], head: [40]),
    ]

    @Test func paperShapesAreTheSpecTable() throws {
        let configuration = try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-paper.json"))
        let report = try ShapeReport.make(configuration)
        #expect(report.rows.map(\.modality) == Self.paper.map(\.modality), "all 13 modalities, in order")
        for (row, expected) in zip(report.rows, Self.paper) {
            #expect(row.input == expected.input, "\(row.modality) input")
            #expect(row.encoderTokens == expected.tokens, "\(row.modality) encoder tokens")
            #expect(row.headOutput == expected.head, "\(row.modality) head output")
            if row.modality == "text" || row.modality == "code" {
                #expect(row.bridgeOutput == nil)
            } else {
                #expect(row.bridgeOutput == [32, 4096], "\(row.modality) bridge output")
            }
            #expect(row.sequenceWidth == 4096)
        }
    }
}
