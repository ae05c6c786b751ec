import Testing
import SparkEngine
@testable import SparkFormats

/// Random byte changes to valid NPY, NPZ and safetensors files (GGUF has its own in
/// GGUFMalformedTests): each must give a FormatError or a file that reads completely; nothing
/// may crash. The generator is seeded, so a failure reproduces.
@Suite struct MutationTests {
    func mutate(_ original: [UInt8], rounds: Int, seed: UInt64, name: String, open: (String) throws -> Void) throws -> Int {
        var random = SplitMix64(state: seed)
        let directory = try TemporaryDirectory()
        var refused = 0
        for round in 0..<rounds {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = random.next() % 3 == 0 ? 0xFF : UInt8.random(in: 0...255, using: &random)
            }
            let path = try directory.write("\(round)-\(name)", bytes)
            do { try open(path) } catch is FormatError { refused += 1 }
        }
        return refused
    }

    @Test func npy() throws {
        let original = NPY.encode(NumpyArray(shape: [3, 2], values: .int32([1, 2, 3, 4, 5, 6])))
        let refused = try mutate(original, rounds: 300, seed: 1, name: "m.npy") { _ = try NPY.read(path: $0).floats() }
        #expect(refused > 0)
    }

    @Test func npz() throws {
        for compressed in [false, true] {
            let original = try NPZ.encode([("a", NumpyArray(shape: [4], floats: [1, 2, 3, 4])),
                                           ("b", NumpyArray(shape: [2], values: .bool([true, false])))], compressed: compressed)
            let refused = try mutate(original, rounds: 300, seed: compressed ? 2 : 3, name: "m.npz") { _ = try NPZ.read(path: $0) }
            #expect(refused > 0)
        }
    }

    @Test func safetensors() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("s.safetensors")
        try SafetensorsWriter.write([("a", Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), .F32),
                                     ("b", Tensor(shape: [3], scalars: [1, 2, 3]), .BF16)],
                                    metadata: ["k": "v"], to: path)
        let original = try directory.read("s.safetensors")
        let refused = try mutate(original, rounds: 300, seed: 4, name: "m.safetensors") { path in
            let file = try SafetensorsFile(path: path)
            for info in file.tensors { _ = try file.tensor(info.name) }
        }
        #expect(refused > 0)
    }
}
