/// Size arithmetic on numbers read from files. A lying header can ask for sizes that overflow
/// `Int`; Swift would trap, so every product and sum of file-provided numbers goes through here
/// and becomes a `FormatError` naming the field instead.
enum CheckedSize {
    static func multiply(_ a: Int, _ b: Int, file: String, field: @autoclosure () -> String) throws -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow || product < 0 {
            throw FormatError.malformed(file: file, field: field(),
                                        problem: "\(a) × \(b) overflows a 64-bit size",
                                        expected: "a size that fits in memory")
        }
        return product
    }

    static func add(_ a: Int, _ b: Int, file: String, field: @autoclosure () -> String) throws -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow || sum < 0 {
            throw FormatError.malformed(file: file, field: field(),
                                        problem: "\(a) + \(b) overflows a 64-bit size",
                                        expected: "a size that fits in memory")
        }
        return sum
    }

    /// The number of elements of `shape`, checking each dimension and the running product. The
    /// product of the non-zero dimensions must fit too: a shape such as (0, 2^62, 2^62) holds no
    /// elements, but whoever multiplies its dimensions in another order (ggml's order is reversed)
    /// would overflow.
    static func elementCount(_ shape: [Int], file: String, field: @autoclosure () -> String) throws -> Int {
        var nonZeroProduct = 1
        for dimension in shape {
            if dimension < 0 {
                throw FormatError.malformed(file: file, field: field(),
                                            problem: "dimension \(dimension) in shape \(shape) is negative",
                                            expected: "non-negative dimensions")
            }
            if dimension != 0 { nonZeroProduct = try multiply(nonZeroProduct, dimension, file: file, field: field()) }
        }
        return shape.contains(0) ? 0 : nonZeroProduct
    }

    /// A file-provided unsigned 64-bit number as an `Int`, or an error if it cannot be one.
    static func int(_ value: UInt64, file: String, field: @autoclosure () -> String) throws -> Int {
        guard value <= UInt64(Int.max) else {
            throw FormatError.malformed(file: file, field: field(),
                                        problem: "value \(value) is larger than any possible size",
                                        expected: "a value below 2^63")
        }
        return Int(value)
    }

    /// `value` rounded up to a multiple of `alignment` (a power of two).
    static func alignUp(_ value: Int, to alignment: Int, file: String, field: @autoclosure () -> String) throws -> Int {
        let padded = try add(value, alignment - 1, file: file, field: field())
        return padded & ~(alignment - 1)
    }
}
