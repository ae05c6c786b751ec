import Foundation
import SparkFormats

/// The optional JSON file beside a multispectral or hyperspectral NPY (`scene.npy` → `scene.json`):
///
/// ```json
/// { "bands": ["B01", "B02", …], "wavelengths": [443, 490, …] }
/// ```
///
/// Both keys are optional; each, when present, has one entry per band.
public struct BandSidecar: Sendable, Equatable, Codable {
    public var bands: [String]?
    public var wavelengths: [Float]?

    public init(bands: [String]? = nil, wavelengths: [Float]? = nil) {
        self.bands = bands; self.wavelengths = wavelengths
    }

    static let maxBytes = 1 << 20

    /// The sidecar path for a data file: same name, extension `.json`.
    public static func path(for dataPath: String) -> String {
        ((dataPath as NSString).deletingPathExtension as NSString).appendingPathExtension("json")!
    }

    /// Reads the sidecar of `dataPath` if there is one, checking it against `bandCount`.
    public static func read(for dataPath: String, bandCount: Int, limits: LoadLimits) throws -> BandSidecar? {
        let path = path(for: dataPath)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var capped = limits
        capped.maxFileBytes = min(limits.maxFileBytes, maxBytes)
        let bytes = try BoundedFile.bytes(at: path, what: "a JSON band description {\"bands\": […], \"wavelengths\": […]}", limits: capped)
        let sidecar: BandSidecar
        do { sidecar = try JSONDecoder().decode(BandSidecar.self, from: Data(bytes)) } catch {
            throw DataError.malformed(file: path, problem: "not a band description (\(error)); expected {\"bands\": [names], \"wavelengths\": [nm]}")
        }
        if let bands = sidecar.bands, bands.count != bandCount {
            throw DataError.malformed(file: path, problem: "lists \(bands.count) band names; expected \(bandCount), one per band of \((dataPath as NSString).lastPathComponent)")
        }
        if let wavelengths = sidecar.wavelengths {
            guard wavelengths.count == bandCount else {
                throw DataError.malformed(file: path, problem: "lists \(wavelengths.count) wavelengths; expected \(bandCount), one per band of \((dataPath as NSString).lastPathComponent)")
            }
            guard wavelengths.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw DataError.malformed(file: path, problem: "has a wavelength that is not a positive number; expected centre wavelengths in nm")
            }
        }
        return sidecar
    }

    public func write(for dataPath: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let path = Self.path(for: dataPath)
        do { try encoder.encode(self).write(to: URL(fileURLWithPath: path)) } catch {
            throw DataError.unreadable(file: path, problem: "cannot write the band description: \(readableReason(error))")
        }
    }
}
