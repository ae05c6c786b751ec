import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// Batch-norm calibration: the first layer's statistics equal a mean and variance computed here
/// by hand (a direct convolution / product in Double), and calibrating a calibrated encoder again
/// measures the same statistics — so each later layer's were measured through the earlier layers
/// exactly as the rebuilt encoder computes them.
struct BatchNormCalibrationTests {
    typealias T = StructuredEncoderTesting

    static func expectClose(_ a: Tensor?, _ b: [Double], _ what: String, tolerance: Double = 1e-4) {
        guard let a else { Issue.record("\(what): missing"); return }
        #expect(a.count == b.count, "\(what)")
        for (x, y) in zip(a.scalars, b) where abs(Double(x) - y) > tolerance * max(1, abs(y)) {
            Issue.record("\(what): \(x) vs \(y)"); return
        }
    }

    static func meanAndVariance(_ rows: [[Double]]) -> (mean: [Double], variance: [Double]) {
        let channels = rows[0].count, n = Double(rows.count)
        let mean = (0..<channels).map { c in rows.reduce(0) { $0 + $1[c] } / n }
        let variance = (0..<channels).map { c in rows.reduce(0) { $0 + ($1[c] - mean[c]) * ($1[c] - mean[c]) } / n }
        return (mean, variance)
    }

    @Test func sarStatisticsMatchADirectConvolutionAndAreStable() throws {
        let store = ParameterStore(seed: 1)
        let section = try T.tiny().section(.sar)
        let encoder = try SAREncoder(section: section, store: store)
        var generator = SeededRandomGenerator(seed: 8)
        let inputs = try (0..<3).map { _ in
            let magnitude = Tensor(shape: [130, 130], scalars: Tensor(randomUniform: [130, 130], generator: &generator).scalars.map { abs($0) * 2 })
            return try encoder.prepare(Sample(modality: .sar, path: "memory", content: .sar(magnitude)))
        }
        let measured = encoder.batchNormStatistics(of: inputs)
        #expect(measured.count == 2 * encoder.layers.count)

        // Layer 0 by hand: 3 × 3 convolution, padding 1, one input channel, no bias (batch norm follows).
        let weight = try #require(store.parameters["encoders.sar.layers.0.conv.weight"])
        #expect(store.parameters["encoders.sar.layers.0.conv.bias"] == nil)
        let channels = weight.shape[0], side = inputs[0].shape[1]
        var rows: [[Double]] = []
        for input in inputs {
            for y in 0..<side {
                for x in 0..<side {
                    rows.append((0..<channels).map { c in
                        var sum = 0.0
                        for dy in -1...1 { for dx in -1...1 where (0..<side).contains(y + dy) && (0..<side).contains(x + dx) {
                            sum += Double(weight.scalars[c * 9 + (dy + 1) * 3 + dx + 1]) * Double(input.scalars[(y + dy) * side + x + dx])
                        } }
                        return sum
                    })
                }
            }
        }
        let (mean, variance) = Self.meanAndVariance(rows)
        Self.expectClose(measured["encoders.sar.layers.0.bn.running_mean"], mean, "layer 0 mean")
        Self.expectClose(measured["encoders.sar.layers.0.bn.running_var"], variance, "layer 0 variance")

        try store.update(from: measured)
        let again = try SAREncoder(section: section, store: store).batchNormStatistics(of: inputs)
        for (name, value) in measured { Self.expectClose(again[name], value.scalars.map(Double.init), name) }
    }

    @Test func pointCloudStatisticsMatchADirectProductAndAreStable() throws {
        let store = ParameterStore(seed: 1)
        let section = try T.tiny().section(.pointcloud)
        let encoder = try PointCloudEncoder(section: section, store: store)
        let inputs = try ["synthetic-006-table.ply", "bunny.ply"].map { try encoder.prepare(T.sample(.pointcloud, $0)) }
        let measured = encoder.batchNormStatistics(of: inputs)
        #expect(measured.count == 4)

        // The first pointwise convolution by hand: 3 → 128 on each neighbourhood point.
        let prefix = "encoders.pointcloud.encoder.first_conv"
        let weight = try #require(store.parameters[prefix + ".0.weight"]), bias = try #require(store.parameters[prefix + ".0.bias"])
        let members = encoder.section.groups * encoder.section.groupSize, channels = bias.count
        var rows: [[Double]] = []
        for input in inputs {
            for r in 0..<members {
                var row = [Double](repeating: 0, count: channels)
                for c in 0..<channels {
                    var sum = Double(bias.scalars[c])
                    for k in 0..<3 { sum += Double(weight.scalars[c * 3 + k]) * Double(input.scalars[r * 3 + k]) }
                    row[c] = sum
                }
                rows.append(row)
            }
        }
        let (mean, variance) = Self.meanAndVariance(rows)
        Self.expectClose(measured[prefix + ".1.running_mean"], mean, "first mean")
        Self.expectClose(measured[prefix + ".1.running_var"], variance, "first variance")

        try store.update(from: measured)
        let again = try PointCloudEncoder(section: section, store: store).batchNormStatistics(of: inputs)
        for (name, value) in measured { Self.expectClose(again[name], value.scalars.map(Double.init), name) }
    }
}

/// Infrared: every batch-norm layer of both ResNet branches is measured (the IR branch on the
/// queries, the RGB branch on the gallery images, paired or alone), calibrating again measures
/// the same statistics, and with them each branch's stem comes out standardised per channel.
struct InfraredBatchNormCalibrationTests {
    @Test func bothBranchesAreCalibratedLayerByLayer() throws {
        let store = ParameterStore(seed: 1)
        let section = try StructuredEncoderTesting.tiny().section(.infrared)
        let encoder = try InfraredEncoder(section: section, store: store)
        let samples = try ["synth_ir_00", "synth_ir_01", "synth_ir_02"].map { try StructuredEncoderTesting.sample(.infrared, $0) }
        let inputs = try samples.flatMap { try encoder.trainingInputs($0).map(\.input) }
        #expect(inputs.filter { $0.rank == 3 }.count == 3, "each sample's matching gallery image is trained alone too")
        let measured = encoder.batchNormStatistics(of: inputs)
        let layers = Set(store.names().filter { $0.hasSuffix(".running_mean") })
        #expect(Set(measured.keys.filter { $0.hasSuffix(".running_mean") }) == layers)
        #expect(measured.count == 2 * layers.count)

        try store.update(from: measured)
        let calibrated = try InfraredEncoder(section: section, store: store)
        let again = calibrated.batchNormStatistics(of: inputs)
        for (name, value) in measured { BatchNormCalibrationTests.expectClose(again[name], value.scalars.map(Double.init), name, tolerance: 1e-3) }

        for (branch, images) in [(calibrated.infrared, inputs.filter { $0.rank == 4 }.map { $0.slice(rows: 0..<1).reshaped(Array($0.shape.dropFirst())) }),
                                 (calibrated.visible, inputs.map { $0.rank == 4 ? $0.slice(rows: 1..<2).reshaped(Array($0.shape.dropFirst())) : $0 })] {
            let stems = images.map { branch.stem($0) }
            let channels = stems[0].shape[0], plane = stems[0].count / channels
            for c in 0..<channels {
                let values = stems.flatMap { Array($0.scalars[(c * plane)..<((c + 1) * plane)]) }.map(Double.init)
                let mean = values.reduce(0, +) / Double(values.count)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
                #expect(abs(mean) < 1e-3 && abs(variance - 1) < 1e-2, "stem channel \(c): mean \(mean), variance \(variance)")
            }
        }
    }
}
