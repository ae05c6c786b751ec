import Testing
@testable import SparkFormats

@Suite struct NPYWriteTests {
    @Test func float32MatchesNumpyByteForByte() {
        // numpy's own bytes for np.arange(6, dtype='<f4').reshape(2, 3) * 0.5 - 1.
        let array = NumpyArray(shape: [2, 3], floats: [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
        #expect(NPY.encode(array) == bytes(hex: NumpyFixtures.float32C2x3))
    }

    @Test func otherDtypesMatchNumpyByteForByte() {
        #expect(NPY.encode(NumpyArray(shape: [3], values: .int64([-3, 0, (1 << 40) + 7])))
                == bytes(hex: NumpyFixtures.int64Vector))
        #expect(NPY.encode(NumpyArray(shape: [], values: .uint8([200]))) == bytes(hex: NumpyFixtures.uint8Scalar))
        #expect(NPY.encode(NumpyArray(shape: [3], values: .int16([-32768, -1, 32767])))
                == bytes(hex: NumpyFixtures.int16Little))
        #expect(NPY.encode(NumpyArray(shape: [0, 3], floats: [])) == bytes(hex: NumpyFixtures.emptyFloat0x3))
        #expect(NPY.encode(NumpyArray(shape: [1, 2], values: .complex64([SIMD2(3, 4), SIMD2(-1.5, -2)])))
                == bytes(hex: NumpyFixtures.complex64Little1x2))
    }

    /// complex64 from numpy's own files, in both byte orders: (real, imaginary) pairs, and
    /// `floats()` gives the magnitude (|3 + 4i| = 5, |−1.5 − 2i| = 2.5).
    @Test func complex64ReadsNumpysFilesInBothByteOrders() throws {
        for hex in [NumpyFixtures.complex64Little1x2, NumpyFixtures.complex64Big1x2] {
            let array = try NPY.decode(bytes(hex: hex), name: "c8.npy")
            #expect(array.shape == [1, 2] && array.dtype == .complex64)
            #expect(array.values == .complex64([SIMD2(3, 4), SIMD2(-1.5, -2)]))
            #expect(array.floats() == [5, 2.5])
        }
    }

    @Test func dataStartsAtMultipleOf64() {
        for rank in 0..<6 {
            let shape = [Int](repeating: 1, count: rank)
            let encoded = NPY.encode(NumpyArray(shape: shape, values: .bool([true])))
            #expect((encoded.count - 1) % 64 == 0, "rank \(rank)")
            #expect(encoded[encoded.count - 2] == 0x0A)
        }
    }

    @Test func roundTripsEveryDtypeThroughDisk() throws {
        let directory = try TemporaryDirectory()
        let arrays: [NumpyArray] = [
            NumpyArray(shape: [2, 2], floats: [1, -0.0, .infinity, 3.25]),
            NumpyArray(shape: [3], values: .float64([1e300, -1e-300, 0.1])),
            NumpyArray(shape: [2], values: .uint8([0, 255])),
            NumpyArray(shape: [2], values: .uint16([0, 65535])),
            NumpyArray(shape: [1, 2], values: .int16([-7, 7])),
            NumpyArray(shape: [2, 1, 1], values: .int32([.min, .max])),
            NumpyArray(shape: [], values: .int64([.min])),
            NumpyArray(shape: [3], values: .bool([true, false, true])),
            NumpyArray(shape: [2, 1], values: .complex64([SIMD2(1, -2), SIMD2(.infinity, 0.5)])),
        ]
        for (index, array) in arrays.enumerated() {
            let path = directory.file("a\(index).npy")
            try NPY.write(array, to: path)
            let back = try NPY.read(path: path)
            #expect(back == array, "dtype \(array.dtype)")
        }
    }
}
