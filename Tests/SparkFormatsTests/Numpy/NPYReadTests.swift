import Testing
@testable import SparkFormats

/// Reading `.npy` files that numpy wrote (bytes in NumpyFixtures, from scripts/reference/npy_fixtures.py).
@Suite struct NPYReadTests {
    @Test func float32COrder() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.float32C2x3), name: "f.npy")
        #expect(array.shape == [2, 3])
        #expect(array.dtype == .float32)
        #expect(array.byteOrderAsRead == .little)
        #expect(!array.fortranOrderAsRead)
        // np.arange(6, dtype='<f4').reshape(2, 3) * 0.5 - 1
        #expect(array.floats() == [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
        #expect(array.tensor().shape == [2, 3])
        #expect(array.tensor()[1, 2] == 1.5)
    }

    @Test func bigEndianFortranFloat64IsConvertedToNativeCOrder() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.float64BigFortran2x3), name: "f.npy")
        #expect(array.shape == [2, 3])
        #expect(array.dtype == .float64)
        #expect(array.byteOrderAsRead == .big)
        #expect(array.fortranOrderAsRead)
        // [[1.5, -2.25, 3.0], [4.0, 5.5, -6.125]] in C order.
        #expect(array.doubles() == [1.5, -2.25, 3.0, 4.0, 5.5, -6.125])
    }

    @Test func int64Vector() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.int64Vector), name: "i.npy")
        #expect(array.shape == [3])
        #expect(array.values == .int64([-3, 0, (1 << 40) + 7]))
        #expect(array.int64s() == [-3, 0, (1 << 40) + 7])
    }

    @Test func uint8Scalar() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.uint8Scalar), name: "s.npy")
        #expect(array.shape == [])
        #expect(array.count == 1)
        #expect(array.values == .uint8([200]))
        #expect(array.byteOrderAsRead == .notApplicable)
        #expect(array.tensor() == .init(shape: [], scalars: [200]))
    }

    @Test func boolFortran() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.boolFortran2x2), name: "b.npy")
        // [[True, False], [True, True]]
        #expect(array.values == .bool([true, false, true, true]))
        #expect(array.int64s() == [1, 0, 1, 1])
    }

    @Test func sixteenBitTypes() throws {
        let unsigned = try NPY.decode(bytes(hex: NumpyFixtures.uint16Big), name: "u.npy")
        #expect(unsigned.values == .uint16([1, 258, 65535]))
        let signed = try NPY.decode(bytes(hex: NumpyFixtures.int16Little), name: "i.npy")
        #expect(signed.values == .int16([-32768, -1, 32767]))
    }

    @Test func threeDimensionalFortranInt32() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.int32BigFortran2x2x2), name: "i.npy")
        // (np.arange(8).reshape(2, 2, 2) - 4), stored column-major and big-endian.
        #expect(array.shape == [2, 2, 2])
        #expect(array.values == .int32([-4, -3, -2, -1, 0, 1, 2, 3]))
    }

    @Test func versions2And3() throws {
        let v2 = try NPY.decode(bytes(hex: NumpyFixtures.version2), name: "v2.npy")
        #expect(v2.floats() == [1, 2])
        let v3 = try NPY.decode(bytes(hex: NumpyFixtures.version3), name: "v3.npy")
        #expect(v3.values == .int32([7]))
    }

    @Test func emptyArray() throws {
        let array = try NPY.decode(bytes(hex: NumpyFixtures.emptyFloat0x3), name: "e.npy")
        #expect(array.shape == [0, 3])
        #expect(array.floats().isEmpty)
    }

    @Test func headerParsedAsALiteralNotByPattern() throws {
        // Keys in another order, double quotes, extra spaces, no trailing comma, a Python 2 "L".
        let header = #"{ "shape" : ( 2L , 1 ) ,"fortran_order":False,  'descr':"<i2" }"#
        var file: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let text = Array(header.utf8) + [0x0A]
        file += [UInt8(text.count), 0] + text + [5, 0, 0xFB, 0xFF]
        let array = try NPY.decode(file, name: "odd.npy")
        #expect(array.shape == [2, 1])
        #expect(array.values == .int16([5, -5]))
    }

    @Test func readsFromDisk() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("a.npy", bytes(hex: NumpyFixtures.float32C2x3))
        #expect(try NPY.read(path: path).floats() == [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
    }

    @Test func exactIntegerViews() throws {
        #expect(NumpyArray(shape: [3], floats: [1, -2, 3]).exactInt64s() == [1, -2, 3])
        #expect(NumpyArray(shape: [2], floats: [1, 2.5]).exactInt64s() == nil)
        #expect(NumpyArray(shape: [2], floats: [1.9, -1.9]).int64s() == [1, -1])
        #expect(NumpyArray(shape: [1], values: .float64([.nan])).int64s() == [0])
    }
}
