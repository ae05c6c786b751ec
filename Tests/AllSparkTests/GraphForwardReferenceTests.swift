import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The graph encoder (STAEformer's input embedding, preprocessing included) and the graph head
/// (its persistence read-out included) against an independent NumPy forward in float64
/// (scripts/reference/graph_forward_reference.py, which wrote the checkpoint, the window, its
/// calendar, the pooled vector and the expected arrays in Fixtures/forward/graph). Tolerance 1e-4
/// of the largest expected magnitude.
struct GraphForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("graph", name) }

    @Test func encoderAndHeadMatchTheNumPyForward() throws {
        let configuration = try StructuredEncoderTesting.configuration(
            .graph, input: #"{ "steps": 12, "nodes": 5, "stepsPerDay": 24, "mean": 52.5, "std": 9.75 }"#,
            encoder: #"{ "inputEmbedding": 3, "timeOfDayEmbedding": 2, "dayOfWeekEmbedding": 2, "adaptiveEmbedding": 4 }"#,
            head: #"{ "kind": "graph", "nodes": 5, "steps": 3, "mean": [52.5], "std": [9.75] }"#)
        let section = try configuration.section(.graph)
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("graph", "checkpoint.safetensors"))
        let encoder = try GraphEncoder(section: section, store: store)
        let head = try TaskHead(store, modality: .graph, section: section.head, width: 16)
        try store.verify(modules: ["encoders.graph", "heads.graph"])

        let series = try Self.read("input.npy").tensor()
        #expect(series.shape == [12, 5, 2])
        let timeOfDay = try Self.read("time_of_day.npy").floats()
        let dayOfWeek = try Self.read("day_of_week.npy").int64s().map { Int($0) }
        let sample = Sample(modality: .graph, path: "memory", content: .graph(series: series, timeOfDay: timeOfDay, dayOfWeek: dayOfWeek,
                                                                            adjacency: Tensor(zeros: [5, 5])))
        let output = try encoder.encode(sample)
        let expectedInput = try Self.read("expected_input.npy")
        let expectedTokens = try Self.read("expected.npy")
        ForwardReference.expectClose(output.input, expectedInput, "channels")
        ForwardReference.expectClose(output.tokens, expectedTokens, "tokens")
        // 18:30 on the Sunday to 05:30 on the Monday, hourly.
        #expect(output.extras["time_of_day_slot"]?.scalars == [18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5])

        let pooled = try Self.read("pooled.npy").tensor()
        #expect(pooled.shape == [16])
        let outputs = try #require(head.logits(pooled))
        let expectedOutputs = try Self.read("expected_head.npy")
        ForwardReference.expectClose(outputs, expectedOutputs, "head outputs")

        // The read-out's context as ModelForward.predict builds it: each node's last reading.
        var context = HeadContext()
        context.lastReadings = GraphPersistence.lastReadings(series, fallback: section.head.unscale(0))
        guard case .series(let forecast, _) = head.predict(outputs, context: context) else {
            Issue.record("not a series prediction")
            return
        }
        let expectedForecast = try Self.read("expected_prediction.npy")
        ForwardReference.expectClose(forecast, expectedForecast, "forecast")
    }
}
