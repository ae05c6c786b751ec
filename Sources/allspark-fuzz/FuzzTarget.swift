#if ALLSPARK_FUZZ
import AllSparkData
import Foundation

/// One parser under the fuzzer: its name (FUZZ_TARGET, the corpus and dictionary folder names),
/// the longest input worth trying, and the call that feeds it the bytes.
struct FuzzTarget {
    var name: String
    var maxLength: Int
    var run: ([UInt8]) throws -> Void

    static let all: [FuzzTarget] = [
        gguf, safetensors, json, npy, npz, png, jpeg, ply, off, xyz, las, csv, spectrum, eth,
        graphNPZ, graphDistances, camera, y4m, video, geotiff, envi, sidecar, tokenizer, configuration, prompts, onnx,
    ]

    /// What the app reads with (LoadLimits.standard), so a header that lies within the limits is tried too.
    static let limits = LoadLimits.standard
}

/// Readers that only take a path get the bytes through one file per process and extension.
enum FuzzFile {
    static func write(_ bytes: [UInt8], extension ext: String) throws -> String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let path = "\(directory)/allspark-fuzz-\(getpid()).\(ext)"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("allspark-fuzz: cannot write \(path)")
        }
        return path
    }
}
#endif
