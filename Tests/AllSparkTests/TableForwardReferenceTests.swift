import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The table encoder (values to indices included) and the regression head (its unscaling
/// included) against an independent NumPy forward in float64
/// (scripts/reference/table_forward_reference.py, which wrote the checkpoint, the pooled vector and
/// the expected arrays in Fixtures/forward/table; the row below is the script's ROW). Tolerance
/// 1e-4 of the largest expected magnitude.
struct TableForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("table", name) }

    /// The script's COLUMNS: a known and an unknown category, a value on an edge, values beyond
    /// both ends of uniform bins, a missing continuous and a missing discrete value.
    static let input = """
    { "target": "PM2.5", "columns": [
        { "name": "station", "kind": "discrete", "categories": ["Aotizhongxin", "Changping", "Dingling"] },
        { "name": "year", "kind": "discrete", "categories": [2013, 2014, 2015] },
        { "name": "TEMP", "kind": "continuous", "edges": [-5, 0, 5, 10, 20] },
        { "name": "WSPM", "kind": "continuous", "low": 0, "high": 8, "bins": 4 },
        { "name": "RAIN", "kind": "continuous", "edges": [0.1, 1, 10] },
        { "name": "wd", "kind": "discrete", "categories": ["N", "E", "S", "W"] },
        { "name": "PRES", "kind": "continuous", "low": 990, "high": 1040, "bins": 5 } ] }
    """

    @Test func encoderAndHeadMatchTheNumPyForward() throws {
        let configuration = try StructuredEncoderTesting.configuration(
            .table, input: Self.input, encoder: #"{ "width": 8, "depth": 2, "heads": 2 }"#,
            head: #"{ "kind": "regression", "target": "PM2.5", "unit": "ug/m3", "mean": [40.5, 25.25], "std": [30.25, 12.5] }"#)
        let section = try configuration.section(.table)
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("table", "checkpoint.safetensors"))
        let encoder = try TableEncoder(section: section, store: store)
        let head = try TaskHead(store, modality: .table, section: section.head, width: 16)
        try store.verify(modules: ["encoders.table", "heads.table"])

        // The script's ROW, in the loader's form: columns in another order than configured, an
        // unconfigured `No` and the target, which is never read.
        let names = ["No", "PM2.5", "RAIN", "wd", "year", "station", "PRES", "TEMP", "WSPM"]
        let values: [TableValue] = [.number(1), .number(62), .missing, .missing, .number(2016), .category("Changping"),
                                    .number(985.5), .number(5), .number(9.5)]
        let output = try encoder.encode(Sample(modality: .table, path: "memory", content: .tableRow(columns: names, values: values)))
        let expectedInput = try Self.read("expected_input.npy")
        let expectedTokens = try Self.read("expected.npy")
        #expect(output.input.scalars == expectedInput.floats(), "indices \(output.input.scalars), expected \(expectedInput.floats())")
        #expect(output.input.scalars == [1, 3, 3, 3, 4, 5, 0])
        ForwardReference.expectClose(output.tokens, expectedTokens, "tokens")

        let pooled = try Self.read("pooled.npy").tensor()
        #expect(pooled.shape == [16])
        let outputs = try #require(head.logits(pooled))
        let expectedOutputs = try Self.read("expected_head.npy")
        ForwardReference.expectClose(outputs, expectedOutputs, "head outputs")

        guard case .regression(let predicted, _, _) = head.predict(outputs) else {
            Issue.record("not a regression prediction")
            return
        }
        let expectedPrediction = try Self.read("expected_prediction.npy")
        ForwardReference.expectClose(Tensor(shape: [predicted.count], scalars: predicted), expectedPrediction, "unscaled values")
    }
}
