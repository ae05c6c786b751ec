/// The value types of GGUF metadata, with their ids on disk.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// gguf-py's name: "UINT32", "STRING", "ARRAY" ...
    public var name: String {
        switch self {
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .uint32: return "UINT32"
        case .int32: return "INT32"
        case .float32: return "FLOAT32"
        case .bool: return "BOOL"
        case .string: return "STRING"
        case .array: return "ARRAY"
        case .uint64: return "UINT64"
        case .int64: return "INT64"
        case .float64: return "FLOAT64"
        }
    }

    /// Fewest bytes one value of this type takes in a file (for bounding counts before allocating).
    var minimumEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8   // a string is at least its length
        case .array: return 12                               // element type + count
        }
    }
}

/// One GGUF metadata value. Arrays hold values of one type, which may themselves be arrays.
public indirect enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    case array([GGUFValue])

    /// Any integer value that fits an `Int` (not bools, not floats).
    public var int: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// Any numeric value as a Double (integers too: writers differ on how they store, say, a
    /// RoPE base).
    public var float: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .uint64(let v): return Double(v)
        case .int64(let v): return Double(v)
        default: return int.map(Double.init)
        }
    }

    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var array: [GGUFValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// An array whose every element is a string.
    public var stringArray: [String]? {
        guard case .array(let items) = self else { return nil }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items { guard let s = item.string else { return nil }; result.append(s) }
        return result
    }

    /// An array whose every element is an integer that fits an `Int`.
    public var intArray: [Int]? {
        guard case .array(let items) = self else { return nil }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items { guard let i = item.int else { return nil }; result.append(i) }
        return result
    }

    /// An array whose every element is numeric, as Float.
    public var floatArray: [Float]? {
        guard case .array(let items) = self else { return nil }
        var result: [Float] = []
        result.reserveCapacity(items.count)
        for item in items { guard let f = item.float else { return nil }; result.append(Float(f)) }
        return result
    }
}
