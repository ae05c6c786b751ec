import Foundation
import SparkFormats

/// NPY files for the image loaders: the path and size are checked here (folder, empty, above
/// `LoadLimits.maxFileBytes`), the element count by SparkFormats' reader against
/// `LoadLimits.maxElements` before it allocates, and `FormatError`s become `DataError`s that keep
/// the file name.
enum NumpyInput {
    static func read(path: String, what: String, limits: LoadLimits) throws -> NumpyArray {
        let size = try BoundedFile.size(of: path, what: what)
        guard size > 0 else {
            throw DataError.malformed(file: path, problem: "the file is empty; expected \(what)")
        }
        guard size <= limits.maxFileBytes else {
            throw DataError.unreadable(file: path, problem: "the file has \(size) bytes, more than the allowed \(limits.maxFileBytes); expected \(what) within that limit")
        }
        do {
            return try NPY.read(path: path, maxElements: limits.maxElements)
        } catch let error as FormatError {
            throw wrap(error, path: path, what: what)
        }
    }

    static func wrap(_ error: FormatError, path: String, what: String) -> DataError {
        var text = error.description
        if text.hasPrefix(path + ": ") { text.removeFirst(path.count + 2) }
        if case .io = error { return .unreadable(file: path, problem: "\(text) (expected \(what))") }
        return .malformed(file: path, problem: "\(text) (reading \(what))")
    }

    /// Float values of an array whose dtype is one of `allowed`, all finite.
    static func finiteFloats(_ array: NumpyArray, path: String, allowed: [NumpyDType], what: String) throws -> [Float] {
        guard allowed.contains(array.dtype) else {
            throw DataError.malformed(file: path, problem: "dtype is \(array.dtype); expected " + allowed.map { "\($0)" }.joined(separator: " or ") + " for \(what)")
        }
        let values = array.floats()
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError.malformed(file: path, problem: "element \(bad) (of shape \(array.shape)) is \(values[bad]); expected finite values in \(what)")
        }
        return values
    }

    static func write(_ array: NumpyArray, to path: String) throws {
        do { try NPY.write(array, to: path) } catch let error as FormatError {
            throw DataError.unreadable(file: path, problem: "cannot write the NPY file: \(readableReason(error))")
        }
    }
}
