import Foundation
import Testing
import SparkEngine
import SparkFormats

/// The fixtures of the independent NumPy forwards (`scripts/reference/<modality>_forward_reference.py`
/// write `Fixtures/forward/<modality>/`) and the comparison every forward-reference test makes:
/// the same shape, and every value within 1e-4 of the largest expected magnitude.
enum ForwardReference {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/forward")

    static func path(_ modality: String, _ name: String) -> String {
        root.appendingPathComponent(modality).appendingPathComponent(name).path
    }

    static func read(_ modality: String, _ name: String) throws -> NumpyArray {
        try SparkFormats.NPY.read(path: path(modality, name))
    }

    /// Expects `got` to have `shape` and every value within 1e-4 × `scale` of `want` (a NaN fails).
    static func expectClose(_ got: Tensor, _ want: [Float], shape: [Int], scale: Float, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.shape == shape, "\(what): shape \(got.shape), expected \(shape)", sourceLocation: sourceLocation)
        #expect(got.scalars.count == want.count, "\(what): \(got.scalars.count) values, expected \(want.count)", sourceLocation: sourceLocation)
        var failures = 0
        var worst: Float = 0
        for (a, b) in zip(got.scalars, want) {
            let difference = abs(a - b)
            if !(difference <= 1e-4 * scale) { failures += 1 }
            if difference > worst { worst = difference }
        }
        #expect(failures == 0, "\(what): \(failures) values differ by more than 1e-4 × \(scale); largest difference \(worst)",
                sourceLocation: sourceLocation)
    }

    /// As above, the scale being the largest magnitude of `all` (a larger array `want` is part of).
    static func expectClose(_ got: Tensor, _ want: [Float], shape: [Int], scaleOf all: [Float], _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(got, want, shape: shape, scale: all.map { abs($0) }.max() ?? 0, what, sourceLocation: sourceLocation)
    }

    /// Expects `got` to have `expected`'s shape and every value within 1e-4 of its largest magnitude.
    static func expectClose(_ got: Tensor, _ expected: NumpyArray, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let want = expected.floats()
        expectClose(got, want, shape: expected.shape, scale: want.map { abs($0) }.max() ?? 0, what, sourceLocation: sourceLocation)
    }
}
