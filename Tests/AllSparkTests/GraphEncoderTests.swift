import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct GraphEncoderTests {
    typealias T = StructuredEncoderTesting

    @Test func paperShapesAreTwelveStepsByMETRLAsNodes() throws {
        let paper = try GraphEncoder.specification(section: T.paper().section(.graph))
        #expect(paper.tokenShape == [2484, 152])
        #expect(paper.inputShape == [12, 207, 3])
        #expect(try GraphEncoder.specification(section: T.tiny().section(.graph)).tokenShape == [2484, 76])
    }

    @Test func tinySpecificationMatchesAnEncodedSample() throws {
        let encoder = try GraphEncoder(section: T.tiny().section(.graph), store: ParameterStore(seed: 1))
        // traffic-000 stores time_of_day/day_of_week, traffic-001 start/interval_minutes.
        for file in ["traffic-000.npz", "traffic-001.npz"] {
            let output = try encoder.encode(T.sample(.graph, file, ["start": "144"]))
            #expect(output.tokens.shape == encoder.specification.tokenShape)
            #expect(output.input.shape == encoder.specification.inputShape)
            #expect(output.layout == .timeByNode(steps: 12, nodes: 207))
            #expect(!TensorSummary(output.tokens).hasNonFinite)
            // Window from step 144 (12:00) of a 288-step day: slots 144 … 155 (numpy, see the script).
            #expect(output.extras["time_of_day_slot"]?.scalars == (144..<156).map(Float.init))
        }
    }

    /// Input channels of traffic-000 from step 144, node 5, with METR-LA-like standardisation
    /// (mean 54.4, std 19.5): numpy gives speed 65.32498931884766 → 0.560255765914917, 12:00 → 0.5,
    /// Saturday → 5 (scripts/reference/structured_encoders_reference.py).
    @Test func inputChannelsAreStandardisedValueTimeOfDayAndDayOfWeek() throws {
        let section = try T.configuration(.graph, input: #"{ "steps": 12, "nodes": 207, "stepsPerDay": 288, "mean": 54.4, "std": 19.5 }"#,
                                          encoder: #"{ "inputEmbedding": 2, "timeOfDayEmbedding": 2, "dayOfWeekEmbedding": 2, "adaptiveEmbedding": 2 }"#,
                                          head: #"{ "kind": "graph", "steps": 12 }"#).section(.graph)
        let output = try GraphEncoder(section: section, store: ParameterStore(seed: 1)).encode(T.sample(.graph, "traffic-000.npz", ["start": "144"]))
        #expect(abs(output.input[0, 5, 0] - 0.560255765914917) < 1e-6)
        #expect(output.input[0, 5, 1] == 0.5)
        #expect(output.input[0, 5, 2] == 5)
    }

    /// Each token is [input_proj(channels), tod row, dow row, adaptive[t, n]], checked position by
    /// position against the parameters, with the 3-term projection written out by hand.
    @Test func tokensConcatenateTheFourEmbeddingsInSTAEformersOrder() throws {
        let section = try T.configuration(.graph, input: #"{ "steps": 2, "nodes": 3, "stepsPerDay": 24, "mean": 10, "std": 2 }"#,
                                          encoder: #"{ "inputEmbedding": 2, "timeOfDayEmbedding": 3, "dayOfWeekEmbedding": 2, "adaptiveEmbedding": 4 }"#,
                                          head: #"{ "kind": "graph", "steps": 1 }"#).section(.graph)
        let encoder = try GraphEncoder(section: section, store: ParameterStore(seed: 3))
        // Two features per node; only feature 0 is read. Steps at 01:30 (slot 1) and 23:59 (slot 23).
        let series = Tensor(shape: [2, 3, 2], scalars: [12, 99, 8, 99, 10, 99, 14, 99, 6, 99, 11, 99])
        let sample = Sample(modality: .graph, path: "m", content: .graph(series: series, timeOfDay: [0.0625, 0.9993], dayOfWeek: [6, 0],
                                                                         adjacency: Tensor(zeros: [3, 3])))
        let output = try encoder.encode(sample)
        #expect(output.tokens.shape == [6, 11])
        let slots = [1, 23], days = [6, 0], fractions: [Float] = [0.0625, 0.9993]
        let w = encoder.inputProjection.weight, b = try #require(encoder.inputProjection.bias)
        for t in 0..<2 {
            for n in 0..<3 {
                let token = output.tokens[row: t * 3 + n].scalars
                let x = [(series[t, n, 0] - 10) / 2, fractions[t], Float(days[t])]
                for o in 0..<2 {
                    let projected: Float = w[o, 0] * x[0] + w[o, 1] * x[1] + w[o, 2] * x[2] + b[o]
                    #expect(abs(token[o] - projected) < 1e-5)
                }
                #expect(Array(token[2..<5]) == encoder.timeOfDayTable[row: slots[t]].scalars)
                #expect(Array(token[5..<7]) == encoder.dayOfWeekTable[row: days[t]].scalars)
                #expect(Array(token[7..<11]) == encoder.adaptive[row: t][row: n].scalars)
            }
        }
    }

    @Test func timeOfDaySlotsTruncateAndStayInRange() throws {
        let input = GraphEncoder.InputSection(steps: 4, nodes: 1, stepsPerDay: 288, mean: 0, std: 1)
        let slots = try GraphEncoder.timeSlots(series: Tensor(zeros: [4, 1, 1]), timeOfDay: [0, 0.5, 0.00347, 0.99999994],
                                               dayOfWeek: [0, 1, 2, 3], input: input)
        // 0.00347 · 288 = 0.99936 → slot 0; just below 1 → the last slot.
        #expect(slots == [0, 144, 0, 287])
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try T.tiny().section(.graph)
        let sample = try T.sample(.graph, "traffic-002.npz", ["start": "87"])
        let a = try GraphEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try GraphEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try GraphEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func wrongSamplesAreRefusedWithTheReason() throws {
        let encoder = try GraphEncoder(section: T.tiny().section(.graph), store: ParameterStore(seed: 1))
        func graph(steps: Int = 12, nodes: Int = 207, tod: Float = 0.5, dow: Int = 2) -> Sample {
            Sample(modality: .graph, path: "m", content: .graph(series: Tensor(zeros: [steps, nodes, 1]),
                                                                timeOfDay: Array(repeating: tod, count: steps),
                                                                dayOfWeek: Array(repeating: dow, count: steps), adjacency: Tensor(zeros: [1, 1])))
        }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Sample(modality: .graph, path: "m", content: .text("traffic")))
        }
        T.expectError(mentioning: "the sample has 206 nodes but the configuration's input.nodes is 207") { _ = try encoder.encode(graph(nodes: 206)) }
        T.expectError(mentioning: "the sample has 11 steps") { _ = try encoder.encode(graph(steps: 11)) }
        T.expectError(mentioning: "time of day of step 0 is 1.0") { _ = try encoder.encode(graph(tod: 1)) }
        T.expectError(mentioning: "time of day of step 0 is nan") { _ = try encoder.encode(graph(tod: .nan)) }
        T.expectError(mentioning: "day of week of step 0 is 7") { _ = try encoder.encode(graph(dow: 7)) }
        var bad = graph()
        if case .graph(var series, let tod, let dow, let adjacency) = bad.content {
            series.scalars[207 + 4] = .infinity
            bad.content = .graph(series: series, timeOfDay: tod, dayOfWeek: dow, adjacency: adjacency)
        }
        T.expectError(mentioning: "at [1, 4, 0]") { _ = try encoder.encode(bad) }
    }

    static let input = #"{ "steps": 12, "nodes": 207, "stepsPerDay": 288, "mean": 54.4, "std": 19.5 }"#
    static let encoder = #"{ "inputEmbedding": 24, "timeOfDayEmbedding": 24, "dayOfWeekEmbedding": 24, "adaptiveEmbedding": 80 }"#

    @Test(arguments: [
        ("\"std\": 19.5", "\"std\": 0", "modalities.graph.input.std"),
        ("\"nodes\": 207", "\"nodes\": 0", "modalities.graph.input.nodes"),
        ("\"nodes\": 207", "\"nodes\": 207, \"features\": 3", "modalities.graph.input.features"),
        ("\"stepsPerDay\": 288", "\"stepsPerDay\": \"288\"", "modalities.graph.input.stepsPerDay"),
        ("\"adaptiveEmbedding\": 80", "\"adaptiveEmbedding\": 0", "modalities.graph.encoder.adaptiveEmbedding"),
        ("\"adaptiveEmbedding\": 80", "\"adaptive\": 80", "modalities.graph.encoder.adaptive"),
    ])
    func brokenConfigurationNamesTheKey(original: String, replacement: String, keyPath: String) {
        let input = Self.input.replacingOccurrences(of: original, with: replacement)
        let encoder = Self.encoder.replacingOccurrences(of: original, with: replacement)
        #expect(input != Self.input || encoder != Self.encoder, "the replacement did not apply")
        T.expectError(mentioning: keyPath) {
            _ = try T.configuration(.graph, input: input, encoder: encoder, head: #"{ "kind": "graph", "steps": 12 }"#)
        }
    }
}
