#if ALLSPARK_FUZZ
import AllSparkData
import Foundation

extension FuzzTarget {
    /// The band sidecar `<name>.json` beside an MSI/HSI NPY (Foundation's JSONDecoder, then our
    /// checks of the names and wavelengths against a 4-band array).
    static let sidecar = FuzzTarget(name: "sidecar", maxLength: 4 << 10) { bytes in
        let json = try FuzzFile.write(bytes, extension: "json")
        let data = (json as NSString).deletingPathExtension + ".npy"
        _ = try BandSidecar.read(for: data, bandCount: 4, limits: limits)
    }
}
#endif
