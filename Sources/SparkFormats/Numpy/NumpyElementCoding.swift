/// Conversion between raw `.npy` element bytes and typed native arrays.
enum NumpyElementCoding {
    /// Decodes `count` elements of `dtype` from `raw` (which holds at least count × itemSize bytes).
    static func decode(_ raw: UnsafeRawBufferPointer, dtype: NumpyDType, count: Int, bigEndian: Bool) -> NumpyValues {
        switch dtype {
        case .float32: return .float32(load(raw, count, bigEndian, UInt32.self) { Float(bitPattern: $0) })
        case .float64: return .float64(load(raw, count, bigEndian, UInt64.self) { Double(bitPattern: $0) })
        case .uint8: return .uint8(load(raw, count, false, UInt8.self) { $0 })
        case .uint16: return .uint16(load(raw, count, bigEndian, UInt16.self) { $0 })
        case .int16: return .int16(load(raw, count, bigEndian, UInt16.self) { Int16(bitPattern: $0) })
        case .int32: return .int32(load(raw, count, bigEndian, UInt32.self) { Int32(bitPattern: $0) })
        case .int64: return .int64(load(raw, count, bigEndian, UInt64.self) { Int64(bitPattern: $0) })
        // numpy treats any non-zero byte as True.
        case .bool: return .bool(load(raw, count, false, UInt8.self) { $0 != 0 })
        case .complex64:
            // Two float32 per element, real first; each part in the file's byte order.
            let parts = load(raw, count &* 2, bigEndian, UInt32.self) { Float(bitPattern: $0) }
            return .complex64((0..<count).map { SIMD2(parts[2 &* $0], parts[2 &* $0 &+ 1]) })
        }
    }

    @inline(__always)
    private static func load<Raw: FixedWidthInteger, Element>(
        _ raw: UnsafeRawBufferPointer, _ count: Int, _ bigEndian: Bool, _: Raw.Type, _ convert: (Raw) -> Element
    ) -> [Element] {
        let size = MemoryLayout<Raw>.size
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: i &* size, as: Raw.self)
                buffer.initializeElement(at: i, to: convert(bigEndian ? Raw(bigEndian: bits) : Raw(littleEndian: bits)))
            }
            initialized = count
        }
    }

    /// Reorders Fortran-order (first index fastest) elements into C order (last index fastest).
    static func fortranToC(_ values: NumpyValues, shape: [Int]) -> NumpyValues {
        // Rank 0 and 1 are the same in both orders.
        if shape.count < 2 { return values }
        switch values {
        case .float32(let v): return .float32(reorder(v, shape))
        case .float64(let v): return .float64(reorder(v, shape))
        case .uint8(let v): return .uint8(reorder(v, shape))
        case .uint16(let v): return .uint16(reorder(v, shape))
        case .int16(let v): return .int16(reorder(v, shape))
        case .int32(let v): return .int32(reorder(v, shape))
        case .int64(let v): return .int64(reorder(v, shape))
        case .bool(let v): return .bool(reorder(v, shape))
        case .complex64(let v): return .complex64(reorder(v, shape))
        }
    }

    private static func reorder<T>(_ source: [T], _ shape: [Int]) -> [T] {
        let count = source.count
        if count == 0 { return source }
        let rank = shape.count
        // Stride of each axis in the Fortran layout.
        var fortranStrides = [Int](repeating: 1, count: rank)
        for axis in 1..<rank { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        var index = [Int](repeating: 0, count: rank)
        var sourceOffset = 0
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            source.withUnsafeBufferPointer { src in
                for destination in 0..<count {
                    buffer.initializeElement(at: destination, to: src[sourceOffset])
                    // Advance the C-order odometer (last axis fastest), keeping the Fortran offset.
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        sourceOffset += fortranStrides[axis]
                        if index[axis] < shape[axis] { break }
                        sourceOffset -= fortranStrides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
            initialized = count
        }
    }

    /// The elements as little-endian bytes, appended to `output`.
    static func encode(_ values: NumpyValues, into output: inout [UInt8]) {
        switch values {
        case .float32(let v): store(v.map(\.bitPattern), &output)
        case .float64(let v): store(v.map(\.bitPattern), &output)
        case .uint8(let v): output.append(contentsOf: v)
        case .uint16(let v): store(v, &output)
        case .int16(let v): store(v, &output)
        case .int32(let v): store(v, &output)
        case .int64(let v): store(v, &output)
        case .bool(let v): output.append(contentsOf: v.map { $0 ? 1 : 0 })
        case .complex64(let v): store(v.flatMap { [$0.x.bitPattern, $0.y.bitPattern] }, &output)
        }
    }

    private static func store<T: FixedWidthInteger>(_ values: [T], _ output: inout [UInt8]) {
        let size = MemoryLayout<T>.size
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: values.count * size))
        output.withUnsafeMutableBytes { bytes in
            for (i, value) in values.enumerated() {
                bytes.storeBytes(of: value.littleEndian, toByteOffset: start + i * size, as: T.self)
            }
        }
    }
}
