extension Tensor {
    /// Rows of this `[vocabulary, D]` table for `ids`, as `[ids.count, D]`.
    /// Throws `EngineError.indexOutOfRange` naming the first id outside 0..<vocabulary and its
    /// position, since ids come from tokenizers, files and users.
    public func embeddingRows<Ids: Collection>(_ ids: Ids) throws -> Tensor where Ids.Element: BinaryInteger {
        precondition(rank == 2, "an embedding table is [vocabulary, width], got shape \(shape)")
        let vocabulary = shape[0], width = shape[1]
        var rows = [Int]()
        rows.reserveCapacity(ids.count)
        for (position, id) in ids.enumerated() {
            guard id >= 0 && id < vocabulary, let row = Int(exactly: id) else {
                throw EngineError.indexOutOfRange(what: "token id", position: position,
                                                  value: Int(clamping: id), validRange: 0..<vocabulary)
            }
            rows.append(row)
        }
        if rows.isEmpty || width == 0 { return Tensor(zeros: [rows.count, width]) }
        return withUnsafeBufferPointer { table in
            Tensor(shape: [rows.count, width], uninitializedWith: { out in
                for (i, row) in rows.enumerated() {
                    (out.baseAddress! + i * width).update(from: table.baseAddress! + row * width, count: width)
                }
            })
        }
    }
}
