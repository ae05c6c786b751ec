import SparkEngine

/// The element types this package reads from and writes to `.npy` files.
public enum NumpyDType: Sendable, Equatable, CaseIterable {
    case float32, float64, uint8, uint16, int16, int32, int64, bool
    /// Two float32 (real, imaginary): single-look complex SAR data.
    case complex64

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .uint8, .bool: return 1
        case .uint16, .int16: return 2
        case .float32, .int32: return 4
        case .float64, .int64, .complex64: return 8
        }
    }

    /// numpy's type code without the byte-order character: "f4", "u1", "b1" ...
    public var typeCode: String {
        switch self {
        case .float32: return "f4"
        case .float64: return "f8"
        case .uint8: return "u1"
        case .uint16: return "u2"
        case .int16: return "i2"
        case .int32: return "i4"
        case .int64: return "i8"
        case .bool: return "b1"
        case .complex64: return "c8"
        }
    }

    /// The dtype for a type code such as "f4", or nil if this package does not handle it.
    public init?(typeCode: String) {
        guard let match = NumpyDType.allCases.first(where: { $0.typeCode == typeCode }) else { return nil }
        self = match
    }
}

/// The byte order an array had in its file (arrays are always converted to native order).
public enum NumpyByteOrder: Sendable, Equatable {
    case little, big
    /// One-byte types carry no byte order (numpy writes '|').
    case notApplicable
}

/// An array's elements, in C (row-major) order, in native byte order.
public enum NumpyValues: Sendable, Equatable {
    case float32([Float])
    case float64([Double])
    case uint8([UInt8])
    case uint16([UInt16])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case bool([Bool])
    /// Each element's (real, imaginary) parts.
    case complex64([SIMD2<Float>])

    public var dtype: NumpyDType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        case .uint8: return .uint8
        case .uint16: return .uint16
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .bool: return .bool
        case .complex64: return .complex64
        }
    }

    public var count: Int {
        switch self {
        case .float32(let v): return v.count
        case .float64(let v): return v.count
        case .uint8(let v): return v.count
        case .uint16(let v): return v.count
        case .int16(let v): return v.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .bool(let v): return v.count
        case .complex64(let v): return v.count
        }
    }
}

/// An array as read from a `.npy` file (or built for writing one): its shape, its dtype and its
/// elements, already converted to native byte order and C order whatever the file's layout.
public struct NumpyArray: Sendable, Equatable {
    public private(set) var shape: [Int]
    public private(set) var values: NumpyValues
    /// Byte order of the file it came from; `.little` (or `.notApplicable`) for arrays built here.
    public private(set) var byteOrderAsRead: NumpyByteOrder
    /// Whether the file stored it in Fortran (column-major) order; the values are C order anyway.
    public private(set) var fortranOrderAsRead: Bool

    public var dtype: NumpyDType { values.dtype }
    /// Number of elements (1 for a 0-d array).
    public var count: Int { values.count }

    /// An array of any supported dtype; `values` must hold exactly as many elements as `shape`.
    public init(shape: [Int], values: NumpyValues) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(shape.reduce(1, *) == values.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(values.count)")
        self.init(validatedShape: shape, values: values,
                  byteOrder: values.dtype.itemSize == 1 ? .notApplicable : .little, fortranOrder: false)
    }

    /// A float32 array, the common case for writing.
    public init(shape: [Int], floats: [Float]) {
        self.init(shape: shape, values: .float32(floats))
    }

    init(validatedShape shape: [Int], values: NumpyValues, byteOrder: NumpyByteOrder, fortranOrder: Bool) {
        self.shape = shape
        self.values = values
        self.byteOrderAsRead = byteOrder
        self.fortranOrderAsRead = fortranOrder
    }

    /// The elements as Float, in C order. Integers beyond 2^24 and float64 lose precision;
    /// bools are 0 and 1; complex elements give their magnitude |z| (the phase is dropped; read
    /// `values` for both parts).
    public func floats() -> [Float] {
        switch values {
        case .float32(let v): return v
        case .float64(let v): return v.map { Float($0) }
        case .uint8(let v): return v.map { Float($0) }
        case .uint16(let v): return v.map { Float($0) }
        case .int16(let v): return v.map { Float($0) }
        case .int32(let v): return v.map { Float($0) }
        case .int64(let v): return v.map { Float($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .complex64(let v): return v.map { Float(NumpyArray.magnitude($0)) }
        }
    }

    /// The elements as Double, in C order (exact for every dtype but int64 beyond 2^53; complex:
    /// the magnitude).
    public func doubles() -> [Double] {
        switch values {
        case .float32(let v): return v.map { Double($0) }
        case .float64(let v): return v
        case .uint8(let v): return v.map { Double($0) }
        case .uint16(let v): return v.map { Double($0) }
        case .int16(let v): return v.map { Double($0) }
        case .int32(let v): return v.map { Double($0) }
        case .int64(let v): return v.map { Double($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .complex64(let v): return v.map(NumpyArray.magnitude)
        }
    }

    /// `floats()` with the array's shape.
    public func tensor() -> Tensor {
        Tensor(shape: shape, scalars: floats())
    }

    /// The elements as Int64, in C order: exact for the integer and bool dtypes (bools are 0
    /// and 1). Float elements are truncated toward zero, NaN becomes 0 and out-of-range values
    /// clamp; use `exactInt64s()` to refuse anything that is not a whole number.
    public func int64s() -> [Int64] {
        switch values {
        case .float32(let v): return v.map { NumpyArray.truncatedInt64(Double($0)) }
        case .float64(let v): return v.map { NumpyArray.truncatedInt64($0) }
        case .uint8(let v): return v.map { Int64($0) }
        case .uint16(let v): return v.map { Int64($0) }
        case .int16(let v): return v.map { Int64($0) }
        case .int32(let v): return v.map { Int64($0) }
        case .int64(let v): return v
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .complex64(let v): return v.map { NumpyArray.truncatedInt64(NumpyArray.magnitude($0)) }
        }
    }

    /// The elements as Int64 if every one is exactly a whole number that fits, else nil.
    public func exactInt64s() -> [Int64]? {
        switch values {
        case .float32(let v):
            var result = [Int64]()
            result.reserveCapacity(v.count)
            for x in v { guard let i = Int64(exactly: x) else { return nil }; result.append(i) }
            return result
        case .float64(let v):
            var result = [Int64]()
            result.reserveCapacity(v.count)
            for x in v { guard let i = Int64(exactly: x) else { return nil }; result.append(i) }
            return result
        default:
            return int64s()
        }
    }

    /// |re + i·im|, computed in Double (squares of float32 parts cannot overflow there).
    static func magnitude(_ z: SIMD2<Float>) -> Double {
        (Double(z.x) * Double(z.x) + Double(z.y) * Double(z.y)).squareRoot()
    }

    private static func truncatedInt64(_ x: Double) -> Int64 {
        if x.isNaN { return 0 }
        if x >= 0x1p63 { return .max }
        if x < -0x1p63 { return .min }
        return Int64(x.rounded(.towardZero))
    }
}
