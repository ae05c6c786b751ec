import Testing
@testable import SparkFormats

@Suite struct NPZTests {
    @Test func readsNumpySavez() throws {
        // np.savez writes local headers with ZIP64 extras and 0xFFFFFFFF sizes but a plain
        // central directory; the reader must take sizes from the central directory.
        let arrays = try NPZ.decode(bytes(hex: NumpyFixtures.npzStored), name: "s.npz")
        #expect(Set(arrays.keys) == ["weights", "labels"])
        #expect(arrays["weights"]?.shape == [2, 2])
        #expect(arrays["weights"]?.floats() == [1, 2, 3, 4])
        #expect(arrays["labels"]?.values == .int64([7, -1]))
    }

    @Test func readsNumpySavezCompressed() throws {
        let arrays = try NPZ.decode(bytes(hex: NumpyFixtures.npzCompressed), name: "c.npz")
        let x = try #require(arrays["x"])
        #expect(x.shape == [100])
        // np.arange(100, dtype='<f4') / 4 at indices 0, 1, 37, 99.
        let values = x.floats()
        #expect(values[0] == 0 && values[1] == 0.25 && values[37] == 9.25 && values[99] == 24.75)
        #expect(arrays["flag"]?.values == .bool([true]))
        #expect(arrays["flag"]?.shape == [])
    }

    @Test func roundTripsStoredAndCompressed() throws {
        let directory = try TemporaryDirectory()
        let input: [(name: String, array: NumpyArray)] = [
            ("image", NumpyArray(shape: [2, 3], floats: (0..<6).map { Float($0) / 3 })),
            ("labels", NumpyArray(shape: [4], values: .int64([1, 2, 3, -4]))),
            ("empty", NumpyArray(shape: [0], floats: [])),
            ("nested/name", NumpyArray(shape: [], values: .bool([false]))),
        ]
        for compressed in [false, true] {
            let path = directory.file(compressed ? "c.npz" : "s.npz")
            try NPZ.write(input, to: path, compressed: compressed)
            let output = try NPZ.read(path: path)
            #expect(output.count == input.count)
            for (name, array) in input { #expect(output[name] == array, "\(name), compressed: \(compressed)") }
        }
    }

    @Test func compressionShrinksRepetitiveData() throws {
        let array = NumpyArray(shape: [4096], floats: [Float](repeating: 1, count: 4096))
        let stored = try NPZ.encode([("a", array)], compressed: false)
        let compressed = try NPZ.encode([("a", array)], compressed: true)
        #expect(compressed.count < stored.count / 10)
    }

    @Test func writerRefusesDuplicateNames() {
        let array = NumpyArray(shape: [1], floats: [1])
        expectFormatError(["'a'", "twice"]) { _ = try NPZ.encode([("a", array), ("a", array)]) }
    }
}
