import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct TableEncoderTests {
    typealias T = StructuredEncoderTesting

    @Test func paperShapesAreBeijingPRSAsFifteenColumns() throws {
        let section = try T.paper().section(.table)
        let specification = try TableEncoder.specification(section: section)
        #expect(specification.tokenShape == [15, 768])
        #expect(specification.inputShape == [15])
        // The paper's features: time (4), station, 4 pollutants, 6 meteorological variables.
        let input = try section.input.decode(TableInputSection.self)
        #expect(input.columns.map(\.name) == ["year", "month", "day", "hour", "station", "SO2", "NO2", "CO", "O3",
                                              "TEMP", "PRES", "DEWP", "RAIN", "wd", "WSPM"])
        #expect(input.target == "PM2.5")
        #expect(section.head.kind == .regression && section.head.target == "PM2.5" && section.head.unit == "µg/m³")
    }

    @Test func tinySpecificationMatchesAnEncodedSample() throws {
        let section = try T.tiny().section(.table)
        let encoder = try TableEncoder(section: section, store: ParameterStore(seed: 1))
        let sample = try T.sample(.table, "airquality.csv", ["row": "0", "target": "Ozone"])
        let output = try encoder.encode(sample)
        #expect(output.tokens.shape == encoder.specification.tokenShape)
        #expect(output.tokens.shape == [5, 64])
        #expect(output.input.shape == encoder.specification.inputShape)
        #expect(output.layout == .sequence(labels: ["Solar.R", "Wind", "Temp", "Month", "Day"]))
        #expect(!TensorSummary(output.tokens).hasNonFinite)
    }

    /// Indices per column [Solar.R, Wind, Temp, Month, Day] of rows of samples/table/airquality.csv,
    /// from scripts/reference/structured_encoders_reference.py (np.quantile edges in the tiny
    /// config, np.digitize; NA → bin 8; Month and Day by their position among the categories).
    /// Row 4 has Solar.R missing and Wind exactly on an edge (14.3 → the bin above).
    @Test(arguments: [
        ("0", [3, 2, 1, 0, 0]), ("3", [7, 6, 0, 0, 3]), ("4", [8, 7, 0, 0, 4]),
        ("5", [8, 7, 1, 0, 5]), ("29", [4, 0, 4, 0, 29]), ("116", [5, 0, 5, 3, 24]),
    ])
    func binsAndCategoriesMatchNumpy(row: String, expected: [Int]) throws {
        let encoder = try TableEncoder(section: T.tiny().section(.table), store: ParameterStore(seed: 1))
        let sample = try T.sample(.table, "airquality.csv", ["row": row])
        #expect(try TableEncoder.indices(of: sample, columns: encoder.columns) == expected)
        #expect(try encoder.encode(sample).input.scalars == expected.map(Float.init))
    }

    @Test func unknownAndMissingValuesHaveIndicesOfTheirOwn() throws {
        let encoder = try TableEncoder(section: T.tiny().section(.table), store: ParameterStore(seed: 1))
        let columns = ["Ozone", "Solar.R", "Wind", "Temp", "Month", "Day"]
        func indices(_ values: [TableValue]) throws -> [Int] {
            try TableEncoder.indices(of: Sample(modality: .table, path: "memory", content: .tableRow(columns: columns, values: values)),
                                     columns: encoder.columns)
        }
        // Month 10 is not among the 5 categories → 5 (unknown); a missing Day → 31 + 1; values
        // below the first and above the last edge → bins 0 and 7; a text Day that is a listed
        // number (" 7 ") matches it; the target's value is never read.
        #expect(try indices([.category("anything"), .number(0), .number(100), .missing, .number(10), .missing]) == [0, 7, 8, 5, 32])
        #expect(try indices([.missing, .number(400), .number(-3), .number(88), .category("May"), .category(" 7 ")]) == [7, 0, 7, 5, 6])
        // Embedding tables: continuous 8 bins + missing, Month 5 + unknown + missing, Day 31 + 2.
        #expect(encoder.valueEmbeddings.map { $0.shape[0] } == [9, 9, 9, 7, 33])
    }

    @Test func columnsAreFoundByNameInAnyOrder() throws {
        let encoder = try TableEncoder(section: T.tiny().section(.table), store: ParameterStore(seed: 4))
        let names = ["Ozone", "Solar.R", "Wind", "Temp", "Month", "Day"]
        let values: [TableValue] = [.number(41), .number(190), .number(7.4), .number(67), .number(5), .number(1)]
        let order = [5, 3, 0, 4, 1, 2]
        let a = try encoder.encode(Sample(modality: .table, path: "a", content: .tableRow(columns: names, values: values)))
        let b = try encoder.encode(Sample(modality: .table, path: "b",
                                          content: .tableRow(columns: order.map { names[$0] }, values: order.map { values[$0] })))
        #expect(a.tokens == b.tokens)
        // The row of the real file gives the same tokens (its extra index column is ignored).
        let fromFile = try encoder.encode(T.sample(.table, "airquality.csv", ["row": "0"]))
        #expect(fromFile.tokens == a.tokens)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try T.tiny().section(.table)
        let sample = try T.sample(.table, "airquality.csv", ["row": "3"])
        let a = try TableEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try TableEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try TableEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func wrongSamplesAreRefusedWithTheReason() throws {
        let encoder = try TableEncoder(section: T.tiny().section(.table), store: ParameterStore(seed: 1))
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Sample(modality: .table, path: "m", content: .text("Ozone,Wind")))
        }
        T.expectError(mentioning: "no column 'Day'") {
            _ = try encoder.encode(Sample(modality: .table, path: "m", content: .tableRow(
                columns: ["Solar.R", "Wind", "Temp", "Month"], values: [.number(1), .number(1), .number(1), .number(5)])))
        }
        T.expectError(mentioning: "column 'Wind' is configured as continuous") {
            _ = try encoder.encode(Sample(modality: .table, path: "m", content: .tableRow(
                columns: ["Solar.R", "Wind", "Temp", "Month", "Day"],
                values: [.number(1), .category("calm"), .number(1), .number(5), .number(1)])))
        }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Sample(modality: .table, path: "m", content: .tableRow(columns: ["Wind"], values: [])))
        }
    }

    static let input = """
    { "target": "y", "columns": [ { "name": "a", "kind": "discrete", "categories": ["x", 2] },
                                  { "name": "b", "kind": "continuous", "edges": [0, 1] },
                                  { "name": "c", "kind": "continuous", "low": 0, "high": 1, "bins": 4 } ] }
    """
    static let encoder = #"{ "width": 8, "depth": 1, "heads": 2 }"#
    static let head = #"{ "kind": "regression", "target": "y" }"#

    @Test func theMinimalConfigurationParses() throws {
        let section = try T.configuration(.table, input: Self.input, encoder: Self.encoder, head: Self.head).section(.table)
        let encoder = try TableEncoder(section: section, store: ParameterStore(seed: 1))
        #expect(encoder.specification.tokenShape == [3, 8])
        #expect(encoder.valueEmbeddings.map { $0.shape[0] } == [4, 4, 5])
    }

    /// Each broken variant fails at load with the key path in the message.
    @Test(arguments: [
        ("\"categories\": [\"x\", 2]", "\"categories\": [\"x\", 2, 2.0]", "modalities.table.input.columns[0].categories"),
        ("\"categories\": [\"x\", 2]", "\"categories\": []", "modalities.table.input.columns[0].categories"),
        ("\"kind\": \"discrete\"", "\"kind\": \"ordinal\"", "modalities.table.input.columns[0].kind"),
        ("\"edges\": [0, 1]", "\"edges\": [1, 0]", "modalities.table.input.columns[1].edges"),
        ("\"edges\": [0, 1]", "\"edge\": [0, 1]", "modalities.table.input.columns[1].edge"),
        ("\"edges\": [0, 1]", "\"edges\": [0, 1], \"bins\": 3", "modalities.table.input.columns[1].edges"),
        ("\"edges\": [0, 1]", "\"categories\": [1]", "modalities.table.input.columns[1].categories"),
        ("\"low\": 0, \"high\": 1", "\"low\": 1, \"high\": 0", "modalities.table.input.columns[2].high"),
        ("\"bins\": 4", "\"bins\": 0", "modalities.table.input.columns[2].bins"),
        ("\"name\": \"b\"", "\"name\": \"a\"", "modalities.table.input.columns[1].name"),
        ("\"name\": \"c\"", "\"name\": \"y\"", "modalities.table.input.columns[2].name"),
        ("\"target\": \"y\", \"columns\"", "\"target\": \"y\", \"colums\"", "modalities.table.input.colums"),
    ])
    func brokenInputNamesTheKey(original: String, replacement: String, keyPath: String) {
        let input = Self.input.replacingOccurrences(of: original, with: replacement)
        #expect(input != Self.input, "the replacement did not apply")
        T.expectError(mentioning: keyPath) { _ = try T.configuration(.table, input: input, encoder: Self.encoder, head: Self.head) }
    }

    @Test(arguments: [
        (#"{ "width": 8, "depth": 1, "heads": 3 }"#, "modalities.table.encoder.heads"),
        (#"{ "width": 8, "depth": 0, "heads": 2 }"#, "modalities.table.encoder.depth"),
        (#"{ "width": 8, "depth": 1, "heads": 2, "patch": 4 }"#, "modalities.table.encoder.patch"),
    ])
    func brokenEncoderNamesTheKey(encoder: String, keyPath: String) {
        T.expectError(mentioning: keyPath) { _ = try T.configuration(.table, input: Self.input, encoder: encoder, head: Self.head) }
    }
}
