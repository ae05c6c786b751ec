import AllSparkData
import SparkEngine

/// HSI: each band of one pixel's spectrum is a token (the paper §3.3.2: a linear projection expands
/// each pixel's band values, then a 12-layer standard transformer encoder; paper size 103 ROSIS
/// bands of Pavia University → 103 × 768). Band b's token is `value_b · w + bias + pos_b`: one
/// shared `band_embed` (nn.Linear(1, D)) and a learned band position embedding `pos_embed`
/// `[bands, D]`, then pre-norm blocks and a final LayerNorm. No CLS token.
///
/// Preprocessing: the spectrum is brought to `input.bands` values. With `input.wavelengthRange`
/// [first, last] (nm) and a sample that knows its wavelengths, it is interpolated linearly at
/// `bands` wavelengths spaced evenly over the range (the range must lie inside the sample's);
/// otherwise a spectrum of another length is resampled linearly over the band index (first to
/// first, last to last). Then it is standardised with `input.mean`/`input.std` (one value, or one
/// per band, in the sample's units) when configured, else by the spectrum's own mean and standard
/// deviation (which keeps the spectral shape but drops the brightness).
public final class HSIEncoder: ModalityEncoder {
    public static let modality = Modality.hsi

    struct InputSection: ConfigSection, Equatable {
        var bands: Int
        var wavelengthRange: [Float]?
        var mean: [Float]?
        var std: [Float]?
        static let allowedKeys = ["bands", "wavelengthRange", "mean", "std"]

        mutating func validate(in object: ConfigObject) throws {
            if bands < 2 { throw object.error("bands", "is \(bands); expected at least 2 bands") }
            if let range = wavelengthRange {
                guard range.count == 2, range.allSatisfy({ $0.isFinite && $0 > 0 }), range[0] < range[1] else {
                    throw object.error("wavelengthRange", "expected [first, last] in nanometres with 0 < first < last")
                }
            }
            try ChannelStatistics.validate(mean: mean, std: std, channels: bands, in: object)
        }
    }

    struct EncoderSection: ConfigSection, Equatable {
        var width: Int
        var depth: Int
        var heads: Int
        var mlpRatio: Float?
        static let allowedKeys = ["width", "depth", "heads", "mlpRatio"]
        mutating func validate(in object: ConfigObject) throws {
            _ = try sizes(in: object)
        }
        func sizes(in object: ConfigObject) throws -> TransformerStackSection {
            try TransformerStackSection.validated(width: width, depth: depth, heads: heads, mlpRatio: mlpRatio, in: object)
        }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let bandEmbedding: Linear
    let positions: Tensor
    let transformer: TransformerStack

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, sizes) = try sections(section)
        return EncoderSpecification(inputShape: [input.bands], tokenShape: [input.bands, sizes.width],
                                    summary: "band tokens (linear 1→\(sizes.width) + band position), transformer \(sizes.summary)")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, TransformerStackSection) {
        let input = try section.input.decode(InputSection.self)
        let encoder = try section.encoder.decode(EncoderSection.self)
        return (input, try encoder.sizes(in: section.encoder))
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, sizes) = try Self.sections(section)
        self.input = input
        specification = try Self.specification(section: section)
        let prefix = Self.parameterPrefix
        bandEmbedding = try Linear(store, prefix + ".band_embed", inputs: 1, outputs: sizes.width)
        positions = try store.tensor(prefix + ".pos_embed", [input.bands, sizes.width], .truncatedNormal(std: 0.02))
        transformer = try TransformerStack(store, prefix, section: sizes)
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let spectrum = try preprocess(sample)
        let labels = spectrum.wavelengths.map { $0.map { "\(Int($0.rounded())) nm" } } ?? (0..<input.bands).map { "band \($0)" }
        return EncoderOutput(input: Tensor(shape: [input.bands], scalars: spectrum.values), tokens: transformer(bandTokens(spectrum.standardised)),
                             layout: .sequence(labels: labels))
    }

    /// The network's input: the standardised spectrum as one row per band, `[bands, 1]` (what the
    /// shared band embedding reads).
    public func prepare(_ sample: Sample) throws -> Tensor { Self.bandColumn(try preprocess(sample).standardised) }

    /// The spectrum validated and brought to the configured bands (`values`, shown as the input),
    /// their wavelengths when known, and its standardised form (the network's input).
    func preprocess(_ sample: Sample) throws -> (values: [Float], wavelengths: [Float]?, standardised: [Float]) {
        guard case .spectrum(let spectrum, let wavelengths) = sample.content else {
            throw EncoderInputError(.hsi, "expected a spectrum sample (one pixel's bands), got \(sample.content.kindName)")
        }
        guard spectrum.rank == 1, spectrum.count >= 2 else {
            throw EncoderInputError(.hsi, "expected a spectrum [bands] of at least 2 values, got shape \(spectrum.shape)")
        }
        if let bad = spectrum.scalars.firstIndex(where: { !$0.isFinite }) {
            throw EncoderInputError(.hsi, "band \(bad) of the spectrum is \(spectrum.scalars[bad]); expected finite values")
        }
        let (values, bandWavelengths) = try resampled(spectrum.scalars, wavelengths: wavelengths)
        return (values, bandWavelengths, standardise(values))
    }

    /// One token per band before the transformer: `value_b · w + bias + pos_b`, `[bands, D]`.
    func bandTokens(_ standardised: [Float]) -> Tensor {
        bandEmbedding(Self.bandColumn(standardised)) + positions
    }

    /// Band values as a column `[bands, 1]`: each band is one row of the band embedding's input.
    static func bandColumn(_ values: [Float]) -> Tensor { Tensor(shape: [values.count, 1], scalars: values) }

    /// The spectrum at the configured bands, and their wavelengths when known.
    func resampled(_ values: [Float], wavelengths: [Float]) throws -> ([Float], [Float]?) {
        let known = wavelengths.count == values.count ? wavelengths : nil
        if let range = input.wavelengthRange, let known {
            let targets = SpectrumResampling.evenlySpaced(from: range[0], to: range[1], count: input.bands)
            do {
                return (try SpectrumResampling.interpolate(values, at: known, to: targets), targets)
            } catch let error as SpectrumResampling.Problem {
                throw EncoderInputError(.hsi, "\(error.text) (configured in input.wavelengthRange)")
            }
        }
        if values.count == input.bands { return (values, known) }
        return (SpectrumResampling.overBandIndex(values, count: input.bands), nil)
    }

    func standardise(_ values: [Float]) -> [Float] {
        if let mean = input.mean, let std = input.std {
            let m = ChannelStatistics.perChannel(mean, channels: input.bands), s = ChannelStatistics.perChannel(std, channels: input.bands)
            return values.indices.map { (values[$0] - m[$0]) / s[$0] }
        }
        let count = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / count
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        let std = variance > 1e-24 ? variance.squareRoot() : 1
        return values.map { Float((Double($0) - mean) / std) }
    }
}

/// Bringing a spectrum to another set of bands by linear interpolation.
enum SpectrumResampling {
    struct Problem: Error { let text: String }

    /// `count` values from `first` to `last` inclusive, evenly spaced.
    static func evenlySpaced(from first: Float, to last: Float, count: Int) -> [Float] {
        (0..<count).map { first + (last - first) * Float($0) / Float(count - 1) }
    }

    /// `values` measured at increasing `wavelengths`, interpolated linearly at `targets`, which
    /// must lie within the measured range.
    static func interpolate(_ values: [Float], at wavelengths: [Float], to targets: [Float]) throws -> [Float] {
        guard wavelengths.count == values.count, values.count >= 2 else {
            throw Problem(text: "a spectrum of \(values.count) values with \(wavelengths.count) wavelengths; expected one wavelength per value")
        }
        for i in 1..<wavelengths.count where !(wavelengths[i] > wavelengths[i - 1]) {
            throw Problem(text: "the sample's wavelengths are not increasing at band \(i) (\(wavelengths[i - 1]) then \(wavelengths[i]) nm)")
        }
        let low = wavelengths[0], high = wavelengths[wavelengths.count - 1]
        // Rounding in a file's wavelengths (430.0 vs 429.99) must not refuse a matching sensor.
        let tolerance = (high - low) * 1e-4
        guard let first = targets.first, let last = targets.last, first >= low - tolerance, last <= high + tolerance else {
            throw Problem(text: "the bands \(targets.first ?? 0)…\(targets.last ?? 0) nm are not inside the sample's range \(low)…\(high) nm")
        }
        var lower = 0
        return targets.map { target in
            let t = min(max(target, low), high)
            while lower < wavelengths.count - 2 && wavelengths[lower + 1] < t { lower += 1 }
            let (w0, w1) = (wavelengths[lower], wavelengths[lower + 1])
            let fraction = (t - w0) / (w1 - w0)
            return values[lower] + (values[lower + 1] - values[lower]) * fraction
        }
    }

    /// `values` resampled to `count` values over the band index: output k reads position
    /// k·(n − 1)/(count − 1) of the input, linearly between neighbours.
    static func overBandIndex(_ values: [Float], count: Int) -> [Float] {
        let n = values.count
        return (0..<count).map { k in
            let position = Double(k) * Double(n - 1) / Double(count - 1)
            let i0 = min(Int(position), n - 2)
            let fraction = Float(position - Double(i0))
            return values[i0] + (values[i0 + 1] - values[i0]) * fraction
        }
    }
}
