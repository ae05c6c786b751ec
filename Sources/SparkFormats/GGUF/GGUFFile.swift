import SparkEngine

/// A GGUF model file (llama.cpp's format), memory-mapped and validated on opening.
/// Immutable after `init`, so it can be shared across threads; tensor bytes stay mapped (and the
/// buffers from `rawData` valid) for as long as the object lives.
public final class GGUFFile: @unchecked Sendable {
    public let path: String
    public let version: UInt32
    /// Alignment of the data section and of every tensor in it (`general.alignment`, default 32).
    public let alignment: Int
    /// Metadata in file order.
    public let metadata: [(key: String, value: GGUFValue)]
    /// Tensor infos in file order, offsets absolute.
    public let tensors: [GGUFTensorInfo]
    /// Absolute offset of the data section.
    public let dataOffset: Int
    /// Size of the file in bytes.
    public var fileSize: Int { mapped.bytes.count }

    private let mapped: MappedFile
    private let metadataIndex: [String: Int]
    private let metadataTypes: [String: String]
    private let tensorIndex: [String: Int]

    /// `hugePages`: hold the file in private memory on huge pages (`MappedFile.Residence`), for
    /// a model about to be decoded; otherwise it is mapped.
    public init(path: String, hugePages: Bool = false) throws {
        mapped = try MappedFile(path: path, residence: hugePages ? .hugePageCopy : .mapped)
        let header = try GGUFHeaderParser.parse(mapped.bytes, file: path)
        self.path = path
        version = header.version
        alignment = header.alignment
        metadata = header.metadata
        metadataTypes = header.metadataTypes
        tensors = header.tensors
        dataOffset = header.dataOffset
        metadataIndex = Dictionary(uniqueKeysWithValues: header.metadata.enumerated().map { ($1.key, $0) })
        tensorIndex = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// The metadata value under `key`, if present.
    public func value(_ key: String) -> GGUFValue? {
        metadataIndex[key].map { metadata[$0].value }
    }

    /// The declared type of the value under `key` as gguf-py names it: "UINT32", "STRING",
    /// "ARRAY[STRING]", "ARRAY[ARRAY[INT32]]" …
    public func typeName(ofKey key: String) -> String? {
        metadataTypes[key]
    }

    public func tensor(_ name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The tensor's bytes inside the mapping. `info` must come from this file.
    public func rawData(_ info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(info.offset >= dataOffset && info.offset + info.byteCount <= mapped.bytes.count,
                     "tensor '\(info.name)' does not belong to \(path)")
        return UnsafeRawBufferPointer(rebasing: mapped.bytes[info.offset..<(info.offset + info.byteCount)])
    }

    /// The whole tensor as Float32, shaped `rowMajorShape`.
    public func dequantize(_ info: GGUFTensorInfo) throws -> Tensor {
        let values = try dequantizeRows(info, rows: 0..<info.rowCount)
        return Tensor(shape: info.rowMajorShape, scalars: values)
    }

    /// Rows `rows` of the tensor seen as a row-major matrix of `rowCount` × `rowLength`
    /// (e.g. the embeddings of a few tokens), without dequantising the rest.
    public func dequantizeRows(_ info: GGUFTensorInfo, rows: Range<Int>) throws -> [Float] {
        try checkSupported(info)
        guard rows.lowerBound >= 0, rows.upperBound <= info.rowCount else {
            throw FormatError.invalidArgument(file: path, field: "tensor '\(info.name)' rows",
                                              problem: "rows \(rows) are outside 0..<\(info.rowCount)")
        }
        let rowLength = info.rowLength
        let rowBytes = rowLength / info.type.blockSize * info.type.bytesPerBlock
        let raw = rawData(info)
        let count = rows.count * rowLength
        // Large tensors are split by rows across the engine's threads.
        let chunkRows = max(1, (1 << 16) / max(rowLength, 1))
        let chunks = (rows.count + chunkRows - 1) / chunkRows
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let destination = buffer.baseAddress, let source = raw.baseAddress else { initialized = 0; return }
            EngineThreads.parallelFor(chunks: chunks) { chunk in
                let first = rows.lowerBound + chunk * chunkRows
                let last = min(first + chunkRows, rows.upperBound)
                // Whole rows are whole blocks (the parser checked rowLength against the block size).
                GGMLDequantize.dequantizeBlocks(info.type, source + first * rowBytes,
                                                blocks: (last - first) * rowLength / info.type.blockSize,
                                                into: destination + (first - rows.lowerBound) * rowLength)
            }
            initialized = count
        }
        return values
    }

    private func checkSupported(_ info: GGUFTensorInfo) throws {
        guard info.type.isSupportedForDequantisation else {
            throw FormatError.unsupported(file: path, field: "tensor '\(info.name)' type",
                                          feature: "dequantising \(info.type.name)", supported: GGMLType.dequantisableNames)
        }
    }
}
