/// The element types a safetensors header may name (the reference implementation's `Dtype`).
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64

    public var itemSize: Int {
        switch self {
        case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3: return 1
        case .I16, .U16, .F16, .BF16: return 2
        case .I32, .U32, .F32: return 4
        case .F64, .I64, .U64: return 8
        }
    }

    /// Whether `SafetensorsFile.tensor(_:)` converts this type to Float32, and the writer writes it.
    public var isConvertibleToFloat: Bool { self == .F32 || self == .F16 || self == .BF16 }
}

/// One tensor's entry in a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Byte range relative to the start of the data section (the header's `data_offsets`).
    public let dataOffsets: Range<Int>

    public var byteCount: Int { dataOffsets.count }
    public var elementCount: Int { shape.reduce(1, *) }
}
