/// Sizes computed from numbers read in files: a product that overflows is a malformed file, not a trap.
enum CheckedArithmetic {
    /// The product of `factors`, or an error naming `file` and `field` when it overflows `Int`.
    static func product(_ factors: [Int], file: String, field: String) throws -> Int {
        var result = 1
        for factor in factors {
            guard factor >= 0 else {
                throw DataError.malformed(file: file, problem: "\(field) has a negative size \(factor); expected sizes ≥ 0")
            }
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow else {
                throw DataError.malformed(file: file, problem: "\(field) \(factors.map(String.init).joined(separator: " × ")) is too large to address; expected a size that fits in memory")
            }
            result = value
        }
        return result
    }
}
