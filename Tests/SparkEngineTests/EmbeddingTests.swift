import Testing
@testable import SparkEngine

@Suite struct EmbeddingTests {
    let table = Tensor(shape: [5, 3], scalars: (0..<15).map(Float.init))

    @Test func rowsByIdInOrder() throws {
        // Row r of the table is [3r, 3r + 1, 3r + 2].
        let rows = try table.embeddingRows([4, 0, 4, 2])
        #expect(rows.shape == [4, 3])
        #expect(rows.scalars == [12, 13, 14, 0, 1, 2, 12, 13, 14, 6, 7, 8])
        let fromInt32 = try table.embeddingRows([Int32(1)])
        #expect(fromInt32.scalars == [3, 4, 5])
        #expect(try table.embeddingRows([Int]()).shape == [0, 3])
    }

    @Test func outOfRangeIdsThrowWithPositionAndRange() {
        #expect(throws: EngineError.indexOutOfRange(what: "token id", position: 2, value: 5, validRange: 0..<5)) {
            try table.embeddingRows([0, 1, 5])
        }
        #expect(throws: EngineError.indexOutOfRange(what: "token id", position: 0, value: -1, validRange: 0..<5)) {
            try table.embeddingRows([-1])
        }
        let error = EngineError.indexOutOfRange(what: "token id", position: 2, value: 5, validRange: 0..<5)
        #expect(error.description == "token id 5 at position 2 is out of range: expected 0..<5")
        #expect(throws: EngineError.self) { try table.embeddingRows([UInt64.max]) }
    }
}
