import Foundation

/// Band centre wavelengths as GDAL reports them in band metadata (`wavelength` with
/// `wavelength_units`: ENVI headers, and GeoTIFFs written with that metadata), converted to the
/// nanometres a sample's wavelengths are in.
enum RasterWavelength {
    /// `value` in nm, or nil when it is missing, not a positive number, or in units other than
    /// nanometres or micrometres (ENVI's "Unknown", wavenumbers, "Index"): guessing a unit would
    /// put a band at the wrong colour.
    static func nanometres(_ value: String?, units: String?) -> Float? {
        guard let value, let number = Float(value.trimmingCharacters(in: .whitespaces)), number.isFinite, number > 0,
              let scale = unitScale(units) else { return nil }
        return number * scale
    }

    /// nm per unit: 1 for nanometres, 1000 for micrometres.
    static func unitScale(_ units: String?) -> Float? {
        switch units?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "nanometers", "nanometres", "nanometer", "nanometre", "nm": return 1
        case "micrometers", "micrometres", "micrometer", "micrometre", "microns", "micron", "um", "µm", "μm": return 1000
        default: return nil
        }
    }
}
