import AllSparkData
import Foundation
import SparkEngine

/// Table: a TabFormer-style row encoder (Padhi et al. 2021, "Tabular Transformers for Modeling
/// Multivariate Time Series"; the paper §3.3.2). Every feature column becomes one token: the
/// column's value is turned into an index and looked up in that column's own embedding table
/// (`value_embeddings.<i>.weight`, i in configuration order), a learned embedding of the column
/// itself is added (`column_embedding.weight`, `[columns, D]`), then `depth` pre-norm transformer
/// blocks (`blocks.<i>`, 1 in the paper) and a final LayerNorm (`norm`). Paper size: 15 columns of
/// Beijing PRSA, 1 block × 768 → 15 × 768 tokens.
///
/// Values to indices, as TabFormer does (it quantises continuous fields and gives every field a
/// vocabulary of its own):
///   - a discrete column looks its value up among the configured `categories` (numbers match
///     numbers, so `2013` in the CSV matches the category `2013`); a value not listed gets its own
///     index after the categories ("unknown"), a missing value the index after that;
///   - a continuous column is quantised by `ColumnQuantisation` with the configured interior
///     `edges` (or `bins` equal-width bins from `low` to `high`): bin k holds edges[k−1] ≤ x < edges[k];
///     a missing value has a bin of its own after the last.
/// The target column (`input.target`) is never a feature: the row may hold it (the label), it is
/// not read. Columns are found in the sample by name, so their order in the file does not matter.
///
/// Configurations. Paper (`allspark-paper.json`, Beijing PRSA, target PM2.5 in µg/m³): the paper's
/// §4.2 lists time, station, 4 pollutants and 6 meteorological variables, which in PRSA's header
/// are year, month, day, hour, station | SO2, NO2, CO, O3 | TEMP, PRES, DEWP, RAIN, wd, WSPM —
/// 4 + 1 + 4 + 6 = 15 columns (`No` is a row number, PM10 a second target-like pollutant the paper
/// does not list). The time columns, station and wind direction are discrete; the rest continuous,
/// with 16 equal-width bins over each variable's usual range (values beyond fall in the end bins)
/// and hand-set edges for RAIN (mostly zero). The data set is not in this repository, so no
/// quantile edges could be fitted; a trained checkpoint would come with its own. Tiny
/// (`allspark-tiny.json`, `samples/table/airquality.csv`, target Ozone in ppb): Solar.R, Wind and
/// Temp quantised at their 8-bin quantiles (numpy, `scripts/reference/structured_encoders_reference.py`),
/// Month and Day discrete.
public final class TableEncoder: ModalityEncoder {
    public static let modality = Modality.table

    public let specification: EncoderSpecification
    let input: TableInputSection
    let columns: [TableColumnEncoding]
    let valueEmbeddings: [Tensor]
    let columnEmbedding: Tensor
    let stack: TransformerStack

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, stack) = try sections(section)
        let discrete = input.columns.filter { $0.kind == .discrete }.count
        return EncoderSpecification(
            inputShape: [input.columns.count], tokenShape: [input.columns.count, stack.width],
            summary: "TabFormer-style: per-column embeddings (\(discrete) discrete, \(input.columns.count - discrete) quantised), column embedding, \(stack.summary)")
    }

    static func sections(_ section: ModalitySection) throws -> (TableInputSection, TransformerStackSection) {
        (try section.input.decode(TableInputSection.self), try section.encoder.decode(TransformerStackSection.self))
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, stackSection) = try Self.sections(section)
        self.input = input
        specification = try Self.specification(section: section)
        columns = input.columns.map(TableColumnEncoding.init)
        let prefix = Self.parameterPrefix, d = stackSection.width
        valueEmbeddings = try columns.enumerated().map { i, column in
            try store.tensor(Self.valueEmbeddingName(i), [column.indexCount, d], .truncatedNormal(std: 0.02))
        }
        columnEmbedding = try store.tensor(prefix + ".column_embedding.weight", [columns.count, d], .truncatedNormal(std: 0.02))
        stack = try TransformerStack(store, prefix, section: stackSection)
    }

    /// The parameter name of column `index`'s value table.
    static func valueEmbeddingName(_ index: Int) -> String { "\(parameterPrefix).value_embeddings.\(index).weight" }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let indices = try prepare(sample)
        let rows = try zip(valueEmbeddings, indices.scalars).map { table, index in try table.embeddingRows([Int(index)]) }
        let tokens = stack(Tensor.concatenate(rows, axis: 0) + columnEmbedding)
        return EncoderOutput(input: indices, tokens: tokens, layout: .sequence(labels: columns.map(\.name)))
    }

    /// The network's input: every configured column's embedding index, `[columns]`, as Float
    /// values (exact: a column has at most 10⁶ indices, below Float's 2²⁴).
    public func prepare(_ sample: Sample) throws -> Tensor {
        let indices = try Self.indices(of: sample, columns: columns)
        return Tensor(shape: [indices.count], scalars: indices.map(Float.init))
    }

    /// The embedding index of every configured column's value in the sample's row.
    static func indices(of sample: Sample, columns: [TableColumnEncoding]) throws -> [Int] {
        guard case .tableRow(let names, let values) = sample.content else {
            throw EncoderInputError(.table, "expected a table row sample, got \(sample.content.kindName)")
        }
        guard names.count == values.count else {
            throw EncoderInputError(.table, "the row has \(names.count) column names but \(values.count) values; expected one value per column")
        }
        return try columns.map { column in
            guard let position = names.firstIndex(of: column.name) else {
                throw EncoderInputError(.table, "the row has no column '\(column.name)' (configured in input.columns); its columns are "
                    + names.map { "'\($0)'" }.joined(separator: ", "))
            }
            return try column.index(of: values[position])
        }
    }
}

/// How one configured column turns a value into an embedding index.
struct TableColumnEncoding: Sendable, Equatable {
    enum Rule: Sendable, Equatable {
        /// Category key → index; `count` categories, then unknown, then missing.
        case discrete([String: Int], count: Int)
        case continuous(ColumnQuantisation)
    }
    let name: String
    let rule: Rule

    init(_ section: TableColumnSection) {
        name = section.name
        switch section.kind {
        case .discrete:
            let keys = (section.categories ?? []).map(\.key)
            rule = .discrete(Dictionary(uniqueKeysWithValues: zip(keys, keys.indices)), count: keys.count)
        case .continuous:
            if let edges = section.edges {
                rule = .continuous(ColumnQuantisation(edges: edges))
            } else {
                rule = .continuous(ColumnQuantisation(uniformFrom: section.low!, to: section.high!, binCount: section.bins!))
            }
        }
    }

    /// Rows of the column's embedding table.
    var indexCount: Int {
        switch rule {
        case .discrete(_, let count): return count + 2
        case .continuous(let quantisation): return quantisation.binCount + 1
        }
    }

    func index(of value: TableValue) throws -> Int {
        switch rule {
        case .discrete(let lookup, let count):
            guard let key = TableCategory.key(of: value) else { return count + 1 }
            return lookup[key] ?? count
        case .continuous(let quantisation):
            switch value {
            case .number(let x): return x.isFinite ? quantisation.bin(of: x) : quantisation.missingBin
            case .missing: return quantisation.missingBin
            case .category(let text):
                throw EncoderInputError(.table, "column '\(name)' is configured as continuous but the row holds the text '\(text)'; expected a number or a missing value (or configure the column as discrete)")
            }
        }
    }
}

/// A category as written in the configuration: a string or a number.
enum TableCategory: Codable, Sendable, Equatable {
    case text(String)
    case number(Double)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self = .text(text); return }
        self = .number(try container.decode(Double.self))
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let x): try container.encode(x)
        }
    }

    /// The text both configured categories and row values are compared by: whole numbers without
    /// a fraction ("2013", not "2013.0"), text without surrounding spaces.
    var key: String {
        switch self {
        case .text(let text): return text.trimmingCharacters(in: .whitespaces)
        case .number(let x): return Self.key(of: x)
        }
    }

    static func key(of x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    /// The key of a row value; nil when it is missing.
    static func key(of value: TableValue) -> String? {
        switch value {
        case .number(let x): return x.isFinite ? key(of: x) : nil
        case .category(let text): return TableCategory.text(text).key
        case .missing: return nil
        }
    }
}

/// The table encoder's `input` section: the feature columns and the target column.
struct TableInputSection: ConfigSection, Equatable {
    /// The regression target (excluded from the features).
    var target: String?
    var columns: [TableColumnSection]

    static let allowedKeys = ["target", "columns"]

    mutating func validate(in object: ConfigObject) throws {
        guard !columns.isEmpty else { throw object.error("columns", "is empty; expected at least one feature column") }
        if columns.count > 10_000 { throw object.error("columns", "has \(columns.count) columns; expected at most 10000") }
        let raw = object.dictionary["columns"] as? [Any] ?? []
        var seen = Set<String>()
        for (i, column) in columns.enumerated() {
            let nested = ConfigObject(file: object.file, keyPath: object.path("columns") + "[\(i)]",
                                      dictionary: raw.indices.contains(i) ? (raw[i] as? [String: Any] ?? [:]) : [:])
            try nested.checkKeys(TableColumnSection.allowedKeys)
            try column.validate(in: nested)
            guard seen.insert(column.name).inserted else {
                throw nested.error("name", "'\(column.name)' is configured twice; expected each column once")
            }
            if column.name == target {
                throw nested.error("name", "'\(column.name)' is the target column (input.target); the target cannot also be a feature")
            }
        }
    }
}

enum TableColumnKind: String, Codable, Sendable { case discrete, continuous }

/// One feature column: its name in the CSV header, its kind, and its categories or bins.
struct TableColumnSection: Codable, Sendable, Equatable {
    var name: String
    var kind: TableColumnKind
    /// Discrete: the known categories, strings or numbers.
    var categories: [TableCategory]?
    /// Continuous: interior bin edges, ascending …
    var edges: [Double]?
    /// … or `bins` equal-width bins from `low` to `high`.
    var low: Double?
    var high: Double?
    var bins: Int?

    static let allowedKeys = ["name", "kind", "categories", "edges", "low", "high", "bins"]
    /// Largest table a column may ask for (rows of its embedding).
    static let maxIndices = 1_000_000

    func validate(in object: ConfigObject) throws {
        if name.isEmpty { throw object.error("name", "is empty; expected the column's name in the CSV header") }
        let uniform = (low, high, bins)
        switch kind {
        case .discrete:
            guard let categories, !categories.isEmpty else {
                throw object.error("categories", "missing or empty; a discrete column needs its categories")
            }
            if categories.count > Self.maxIndices { throw object.error("categories", "has \(categories.count) entries; expected at most \(Self.maxIndices)") }
            for key in ["edges", "low", "high", "bins"] where object.dictionary[key] != nil {
                throw object.error(key, "belongs to continuous columns; this column is discrete")
            }
            var seen = Set<String>()
            for category in categories where !seen.insert(category.key).inserted {
                throw object.error("categories", "lists '\(category.key)' twice; expected each category once")
            }
        case .continuous:
            if categories != nil { throw object.error("categories", "belongs to discrete columns; this column is continuous") }
            if let edges {
                if uniform.0 != nil || uniform.1 != nil || uniform.2 != nil {
                    throw object.error("edges", "given together with low/high/bins; expected either edges or low, high and bins")
                }
                if edges.count >= Self.maxIndices { throw object.error("edges", "has \(edges.count) edges; expected fewer than \(Self.maxIndices)") }
                if let bad = edges.firstIndex(where: { !$0.isFinite }) { throw object.error("edges", "edge \(bad) is not finite") }
                if let bad = edges.indices.dropLast().first(where: { !(edges[$0] < edges[$0 + 1]) }) {
                    throw object.error("edges", "edges \(bad) and \(bad + 1) (\(edges[bad]), \(edges[bad + 1])) do not ascend; expected strictly ascending edges")
                }
            } else {
                guard let low, let high, let bins else {
                    throw object.error(nil, "a continuous column needs 'edges', or 'low', 'high' and 'bins'")
                }
                guard low.isFinite, high.isFinite, low < high else {
                    throw object.error("high", "low \(low) and high \(high); expected finite numbers with low < high")
                }
                guard bins >= 1, bins < Self.maxIndices else {
                    throw object.error("bins", "is \(bins); expected 1…\(Self.maxIndices - 1)")
                }
            }
        }
    }
}
