#if ALLSPARK_FUZZ
import AllSpark
import Foundation

extension FuzzTarget {
    /// The model configuration JSON: parsed, then every section validated as `allspark` does on load.
    static let configuration = FuzzTarget(name: "config", maxLength: 16 << 10) { bytes in
        let root = try ConfigObject.parse(Data(bytes), file: "fuzz.json")
        _ = try AllSparkConfiguration.parse(root)
    }
}
#endif
