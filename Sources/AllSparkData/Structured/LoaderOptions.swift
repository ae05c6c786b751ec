import Foundation

/// The `#key=value` options of a sample reference, as one loader understands them: unknown keys
/// are rejected (so a typo is not silently ignored) and values are parsed with errors that name
/// the file, the option and what was expected.
struct LoaderOptions {
    let file: String
    let values: [String: String]

    /// Fails when `values` holds a key outside `allowed`.
    init(_ values: [String: String], file: String, allowed: [String]) throws {
        self.file = file
        self.values = values
        let unknown = values.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            let accepted = allowed.isEmpty ? "no options" : "options " + allowed.joined(separator: ", ")
            throw DataError.invalidArgument("\(file): unknown sample option\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")); this format accepts \(accepted)")
        }
    }

    func string(_ key: String) -> String? { values[key] }

    /// An integer option within `range`, or `defaultValue` when absent.
    func integer(_ key: String, default defaultValue: Int? = nil, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let text = values[key] else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw DataError.invalidArgument("\(file): option \(key)=\(text) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A finite number option within `range`, or `defaultValue` when absent.
    func number(_ key: String, default defaultValue: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = values[key] else { return defaultValue }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            throw DataError.invalidArgument("\(file): option \(key)=\(text) is not a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
