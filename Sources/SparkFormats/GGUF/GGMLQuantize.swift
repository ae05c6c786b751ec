/// Float32 → ggml block formats, following ggml's reference quantisers (ggml-quants.c's
/// `quantize_row_*_ref`), so that small test models can be written in the formats real models
/// use. Q8_0, Q4_0 and Q4_1, plus the plain F32, F16 and BF16.
public enum GGMLQuantize {
    /// The types `quantize` can produce.
    public static let supportedTypes: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1]

    /// Encodes `values` (a whole number of blocks) as `type`.
    public static func quantize(_ values: [Float], as type: GGMLType) throws -> [UInt8] {
        guard supportedTypes.contains(type) else {
            throw FormatError.invalidArgument(file: "(tensor data)", field: "type",
                                              problem: "quantising to \(type.name) is not supported (\(supportedTypes.map(\.name).joined(separator: ", ")) are)")
        }
        guard values.count % type.blockSize == 0 else {
            throw FormatError.invalidArgument(file: "(tensor data)", field: "count",
                                              problem: "\(values.count) values is not a whole number of \(type.blockSize)-element \(type.name) blocks")
        }
        // Block scales come from the values: a NaN or an infinity (or, for Q4_1, a range that
        // overflows) would make every quant in its block meaningless.
        if type.blockSize > 1 {
            let finite = values.allSatisfy { $0.isFinite }
            let range = (values.max() ?? 0) - (values.min() ?? 0)
            guard finite && range.isFinite else {
                throw FormatError.invalidArgument(file: "(tensor data)", field: "values",
                                                  problem: "\(type.name) needs finite values whose range fits a Float")
            }
        }
        var output = LittleEndianBytes()
        output.bytes.reserveCapacity(values.count / type.blockSize * type.bytesPerBlock)
        switch type {
        case .f32: for v in values { output.u32(v.bitPattern) }
        case .f16: for v in values { output.u16(HalfPrecision.f16(from: v)) }
        case .bf16: for v in values { output.u16(HalfPrecision.bf16(from: v)) }
        default:
            for start in stride(from: 0, to: values.count, by: 32) {
                let block = values[start..<(start + 32)]
                switch type {
                case .q8_0: q8_0(block, into: &output)
                case .q4_0: q4_0(block, into: &output)
                default: q4_1(block, into: &output)
                }
            }
        }
        return output.bytes
    }

    /// d = max|x| / 127, q = round(x / d) (halves away from zero).
    private static func q8_0(_ block: ArraySlice<Float>, into output: inout LittleEndianBytes) {
        let amax = block.reduce(0) { max($0, abs($1)) }
        let d = amax / 127
        let inverse: Float = d != 0 ? 1 / d : 0
        output.u16(HalfPrecision.f16(from: d))
        for x in block { output.bytes.append(UInt8(bitPattern: Int8((x * inverse).rounded()))) }
    }

    /// The value of largest magnitude maps to −8: d = that value / −8, q = min(15, ⌊x/d + 8.5⌋).
    private static func q4_0(_ block: ArraySlice<Float>, into output: inout LittleEndianBytes) {
        var amax: Float = 0, extreme: Float = 0
        for x in block where abs(x) > amax { amax = abs(x); extreme = x }
        let d = extreme / -8
        let inverse: Float = d != 0 ? 1 / d : 0
        output.u16(HalfPrecision.f16(from: d))
        let values = Array(block)
        for j in 0..<16 {
            let low = min(15, UInt8(Int8(values[j] * inverse + 8.5)))
            let high = min(15, UInt8(Int8(values[j + 16] * inverse + 8.5)))
            output.bytes.append(low | high << 4)
        }
    }

    /// d = (max − min) / 15, m = min, q = min(15, ⌊(x − min)/d + 0.5⌋).
    private static func q4_1(_ block: ArraySlice<Float>, into output: inout LittleEndianBytes) {
        let low = block.min() ?? 0, high = block.max() ?? 0
        let d = (high - low) / 15
        let inverse: Float = d != 0 ? 1 / d : 0
        output.u16(HalfPrecision.f16(from: d))
        output.u16(HalfPrecision.f16(from: low))
        let values = Array(block)
        for j in 0..<16 {
            let q0 = min(15, UInt8(Int8((values[j] - low) * inverse + 0.5)))
            let q1 = min(15, UInt8(Int8((values[j + 16] - low) * inverse + 0.5)))
            output.bytes.append(q0 | q1 << 4)
        }
    }
}
