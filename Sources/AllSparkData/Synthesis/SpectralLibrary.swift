import Foundation

/// Reflectance spectra of surface materials, 400–2500 nm, as piecewise-linear curves through
/// hand-read points of typical library spectra (shapes after the USGS Spectral Library splib07 and
/// the ECOSTRESS/ASTER library: the chlorophyll absorption near 680 nm and the red edge to the
/// near-infrared plateau of vegetation, the water absorptions at 1450 and 1950 nm, the monotonic
/// rise of soils, the near-zero infrared of water, the flat dark spectrum of asphalt, the iron-oxide
/// red of bricks). They are generic members of each material class, not measurements of one sample.
enum SpectralLibrary {
    enum Material: Int, CaseIterable {
        case vegetation, conifer, dryGrass, soil, water, asphalt, concrete, roofTile, metalRoof, gravel, bitumen, paintedMetal, bricks
    }

    /// (wavelength nm, reflectance) knots.
    static func knots(_ material: Material) -> [(Double, Double)] {
        switch material {
        case .vegetation:
            return [(400, 0.04), (450, 0.05), (500, 0.06), (550, 0.12), (600, 0.07), (650, 0.05), (680, 0.04), (700, 0.10), (720, 0.25),
                    (750, 0.42), (800, 0.48), (900, 0.50), (950, 0.47), (1000, 0.48), (1200, 0.42), (1400, 0.20), (1450, 0.15),
                    (1600, 0.30), (1900, 0.08), (2000, 0.12), (2200, 0.18), (2500, 0.08)]
        case .conifer:
            return [(400, 0.02), (500, 0.03), (550, 0.06), (650, 0.03), (690, 0.03), (720, 0.12), (760, 0.28), (850, 0.32), (1000, 0.30),
                    (1200, 0.27), (1450, 0.10), (1650, 0.17), (1950, 0.05), (2200, 0.09), (2500, 0.04)]
        case .dryGrass:
            return [(400, 0.08), (500, 0.11), (550, 0.14), (650, 0.18), (700, 0.22), (750, 0.26), (900, 0.32), (1200, 0.38), (1450, 0.28),
                    (1650, 0.42), (1950, 0.20), (2200, 0.36), (2500, 0.25)]
        case .soil:
            return [(400, 0.06), (500, 0.09), (600, 0.14), (700, 0.19), (800, 0.23), (900, 0.25), (1000, 0.27), (1400, 0.30), (1600, 0.34),
                    (1900, 0.30), (2200, 0.33), (2500, 0.30)]
        case .water:
            return [(400, 0.07), (450, 0.07), (500, 0.065), (550, 0.05), (600, 0.03), (700, 0.015), (750, 0.008), (800, 0.005), (900, 0.003),
                    (1000, 0.002), (1400, 0.001), (2500, 0.001)]
        case .asphalt:
            return [(400, 0.05), (500, 0.06), (700, 0.08), (1000, 0.10), (1500, 0.12), (2000, 0.13), (2500, 0.13)]
        case .concrete:
            return [(400, 0.18), (500, 0.23), (600, 0.27), (700, 0.29), (900, 0.31), (1200, 0.33), (1600, 0.35), (2200, 0.30), (2500, 0.28)]
        case .roofTile:
            return [(400, 0.06), (500, 0.08), (550, 0.10), (600, 0.20), (650, 0.28), (700, 0.32), (800, 0.36), (1000, 0.40), (1600, 0.45),
                    (2200, 0.42), (2500, 0.40)]
        case .metalRoof:
            return [(400, 0.35), (500, 0.40), (600, 0.42), (700, 0.42), (900, 0.44), (1200, 0.45), (2500, 0.40)]
        case .gravel:
            return [(400, 0.15), (500, 0.19), (600, 0.22), (700, 0.24), (800, 0.25), (900, 0.26), (2500, 0.30)]
        case .bitumen:
            return [(400, 0.035), (600, 0.045), (800, 0.055), (900, 0.06), (2500, 0.07)]
        case .paintedMetal:
            return [(400, 0.30), (450, 0.45), (500, 0.52), (550, 0.50), (600, 0.53), (700, 0.50), (800, 0.47), (900, 0.46), (2500, 0.40)]
        case .bricks:
            return [(400, 0.10), (500, 0.13), (550, 0.16), (600, 0.26), (650, 0.33), (700, 0.36), (800, 0.39), (900, 0.40), (2500, 0.45)]
        }
    }

    /// Reflectance at `nm` (linear between knots, constant beyond the ends).
    static func reflectance(_ material: Material, at nm: Double) -> Double {
        let points = knots(material)
        if nm <= points[0].0 { return points[0].1 }
        for (a, b) in zip(points, points.dropFirst()) where nm <= b.0 {
            return a.1 + (b.1 - a.1) * (nm - a.0) / (b.0 - a.0)
        }
        return points[points.count - 1].1
    }

    /// Mean reflectance over a band of `width` nm centred at `centre` (five samples).
    static func band(_ material: Material, centre: Double, width: Double) -> Double {
        (0..<5).map { reflectance(material, at: centre + width * (Double($0) / 4 - 0.5)) }.reduce(0, +) / 5
    }
}
