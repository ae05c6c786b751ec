import SparkEngine

extension Variable {
    /// Rows of the `[vocabulary, D]` table for `ids`, as `[ids.count, D]` (`Tensor.embeddingRows`).
    /// The gradient is scatter-added into a `[vocabulary, D]` table gradient (an id used twice
    /// gets both rows' gradients). The ids must lie in 0..<vocabulary (they come from a tokenizer or
    /// a dataset the caller has checked; the engine's form throws instead).
    public static func embeddingRows<Ids: Collection>(table: Variable, ids: Ids) -> Variable where Ids.Element: BinaryInteger {
        let rows = ids.map { Int($0) }
        let output: Tensor
        do {
            output = try table.value.embeddingRows(rows)
        } catch {
            preconditionFailure("embeddingRows: \(error)")
        }
        let tableShape = table.shape, tableID = table.id
        return table.tape.record(output, inputs: [table]) { g, tape in
            let width = tableShape[1]
            var gradient = Tensor(zeros: tableShape)
            if width > 0 {
                g.withUnsafeBufferPointer { source in
                    gradient.withUnsafeMutableBufferPointer { target in
                        for (i, row) in rows.enumerated() {
                            let s = source.baseAddress! + i * width, t = target.baseAddress! + row * width
                            for j in 0..<width { t[j] += s[j] }
                        }
                    }
                }
            }
            tape.accumulate(tableID, gradient)
        }
    }

    /// Rows of this `[vocabulary, D]` table for `ids` (see `Variable.embeddingRows(table:ids:)`).
    public func embeddingRows<Ids: Collection>(_ ids: Ids) -> Variable where Ids.Element: BinaryInteger {
        Variable.embeddingRows(table: self, ids: ids)
    }
}
