import Foundation

/// Prints `value` as the commands' `--json` output: pretty, keys sorted (so scripts and diffs see
/// a stable order), and infinities or NaN as strings, since JSON has no literal for them (a failed
/// self-test reports an infinite error).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
