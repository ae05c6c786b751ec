import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Preprocessing functions. Expected values: by hand where noted, else from
/// scripts/reference/preprocessing_reference.py (numpy; bilinear resize as interpolation matrices).
@Suite struct ImagesPreprocessingTests {
    enum Expected {
        static let up5x7: [Float] = [
            0.000000, 0.035714, 0.092857, 0.250000, 0.435714, 0.721429, 0.900000, 0.640000,
            0.790000, 1.030000, 1.370000, 1.738571, 2.207143, 2.500000, 1.600000, 1.921429,
            2.435714, 3.050000, 3.692857, 4.435714, 4.900000, 4.480000, 4.972857, 5.761429,
            6.650000, 7.567143, 8.584286, 9.220000, 6.400000, 7.007143, 7.978571, 9.050000,
            10.150000, 11.350000, 12.100000, 0.000000, 0.324749, 0.844348, 0.076247, -0.722703,
            -0.449911, -0.279415, 0.336588, 0.431388, 0.583067, -0.117812, -0.771023, -0.237996,
            0.095145, 0.841471, 0.591346, 0.191145, -0.408902, -0.843502, 0.079876, 0.656987,
            0.882167, 0.425095, -0.306219, -0.474426, -0.450674, 0.353685, 0.856410, 0.909297,
            0.314262, -0.637795, -0.518109, -0.188789, 0.536225, 0.989358,
        ]
        static let down2x3: [Float] = [
            0.450000, 0.950000, 1.783333, 5.450000, 7.550000, 9.983333, 0.294849, -0.045040,
            -0.172318, 0.654897, -0.490807, 0.680339,
        ]
        static let decibels: [Float] = [
            -120.000000, -120.000000, -40.000000, -6.020600, 0.000000, 9.542425,
        ]
        static let normalised40: [Float] = [
            0.000000, 0.000000, 0.000000, 0.610924, 0.761439, 1.000000,
        ]
        static let mean: [Float] = [
            4.216667, 0.118014,
        ]
        static let std: [Float] = [
            3.940988, 0.697982,
        ]
    }

    /// Channel 0 = (4i + j)² / 10, channel 1 = sin(i + 2j), for a 3 × 4 image.
    static let image: Tensor = {
        var scalars: [Float] = []
        for i in 0..<3 { for j in 0..<4 { scalars.append(Float((i * 4 + j) * (i * 4 + j)) / 10) } }
        for i in 0..<3 { for j in 0..<4 { scalars.append(Float(sin(Double(i + 2 * j)))) } }
        return Tensor(shape: [2, 3, 4], scalars: scalars)
    }()

    func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 2e-5, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > tolerance {
            Issue.record("value \(i): \(a), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func bilinearMatchesHandValues() throws {
        // By hand: a 2 × 2 image upscaled ×2 with half-pixel centres.
        let small = Tensor(shape: [1, 2, 2], scalars: [0, 1, 2, 3])
        let up = try ImageResize.bilinear(small, height: 4, width: 4)
        #expect(up.shape == [1, 4, 4])
        #expect(up.scalars == [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3])
    }

    @Test func bilinearMatchesNumpy() throws {
        let up = try ImageResize.bilinear(Self.image, height: 5, width: 7)
        #expect(up.shape == [2, 5, 7])
        expectClose(up.scalars, Expected.up5x7)
        let down = try ImageResize.bilinear(Self.image, height: 2, width: 3)
        expectClose(down.scalars, Expected.down2x3)
        // Leading axes (frames) are carried along.
        let frames = Tensor(shape: [2, 2, 3, 4], scalars: Self.image.scalars + Self.image.scalars)
        let resizedFrames = try ImageResize.bilinear(frames, height: 2, width: 3)
        #expect(resizedFrames.shape == [2, 2, 2, 3])
        expectClose(Array(resizedFrames.scalars[12...]), Expected.down2x3)
        expectDataError(["bilinear resize to 0 × 3"]) { _ = try ImageResize.bilinear(Self.image, height: 0, width: 3) }
        expectDataError(["shaped [5]"]) { _ = try ImageResize.bilinear(Tensor(zeros: [5]), height: 2, width: 2) }
    }

    @Test func cropsAndAverages() throws {
        let crop = try ImageResize.crop(Self.image, top: 1, left: 1, height: 2, width: 2)
        // Channel 0 at (1,1),(1,2),(2,1),(2,2): (4i+j)²/10 = 2.5, 3.6, 8.1, 10.0.
        expectClose(Array(crop.scalars[0..<4]), [2.5, 3.6, 8.1, 10.0])
        let centre = try ImageResize.centreCrop(Self.image, height: 1, width: 2)
        // Rows (3-1)/2 = 1, columns (4-2)/2 = 1..2.
        expectClose(Array(centre.scalars[0..<2]), [2.5, 3.6])
        let area = try ImageResize.areaAverage(Tensor(shape: [1, 2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), factor: 2)
        #expect(area.scalars == [3.5, 5.5])
        let square = try ImageResize.resizeAndCentreCrop(Self.image, side: 3)
        #expect(square.shape == [2, 3, 3])
        expectDataError(["crop of rows 2..<4"]) { _ = try ImageResize.crop(Self.image, top: 2, left: 0, height: 2, width: 2) }
        expectDataError(["area average by 3"]) { _ = try ImageResize.areaAverage(Self.image, factor: 3) }
    }

    @Test func normalisesChannels() throws {
        let stats = try ChannelNormalisation.statistics(Self.image)
        expectClose(stats.mean, Expected.mean)
        expectClose(stats.std, Expected.std)
        let normalised = try ChannelNormalisation.normalise(Self.image, mean: stats.mean, std: stats.std)
        let after = try ChannelNormalisation.statistics(normalised)
        expectClose(after.mean, [0, 0], tolerance: 1e-5)
        expectClose(after.std, [1, 1], tolerance: 1e-5)
        // By hand: (0 − 1) / 2 = −0.5 for the first value.
        let simple = try ChannelNormalisation.normalise(Tensor(shape: [1, 1, 2], scalars: [0, 5]), mean: [1], std: [2])
        #expect(simple.scalars == [-0.5, 2])
        expectDataError(["1 means", "2 channels"]) { _ = try ChannelNormalisation.normalise(Self.image, mean: [0], std: [1]) }
        expectDataError(["positive deviations"]) { _ = try ChannelNormalisation.normalise(Self.image, mean: [0, 0], std: [1, 0]) }
    }

    @Test func selectsBandsByIndexAndName() throws {
        let cube = Tensor(shape: [3, 1, 2], scalars: [1, 2, 10, 20, 100, 200])
        let names = ["B02", "B08A", "B11"], wavelengths: [Float] = [490, 865, 1610]
        let byIndex = try BandSelection.select(cube, names: names, wavelengths: wavelengths, indices: [2, 0])
        #expect(byIndex.tensor.scalars == [100, 200, 1, 2] && byIndex.names == ["B11", "B02"] && byIndex.wavelengths == [1610, 490])
        let byName = try BandSelection.select(cube, names: names, wavelengths: wavelengths, named: ["b8a", "B2"])
        #expect(byName.tensor.scalars == [10, 20, 1, 2] && byName.names == ["B08A", "B02"])
        #expect(BandSelection.nearestBand(to: 800, wavelengths: wavelengths) == 1)
        expectDataError(["band index 3", "0..<3"]) { _ = try BandSelection.select(cube, indices: [3]) }
        expectDataError(["no band named 'B5'", "B02, B08A, B11"]) { _ = try BandSelection.select(cube, names: names, named: ["B5"]) }
    }

    @Test func samplesFramesUniformly() throws {
        // By hand: 10 frames → 4 at floor((k + 0.5)·10/4) = 1, 3, 6, 8.
        #expect(try FrameSampling.uniformIndices(frameCount: 10, target: 4) == [1, 3, 6, 8])
        #expect(try FrameSampling.uniformIndices(frameCount: 3, target: 6) == [0, 0, 1, 1, 2, 2])
        #expect(try FrameSampling.uniformIndices(frameCount: 5, target: 5) == [0, 1, 2, 3, 4])
        let video = Tensor(shape: [4, 1, 1, 1], scalars: [0, 1, 2, 3])
        #expect(try FrameSampling.sample(video, target: 2).scalars == [1, 3])
        expectDataError(["expected positive counts"]) { _ = try FrameSampling.uniformIndices(frameCount: 0, target: 2) }
    }

    @Test func convertsSARToDecibels() throws {
        let magnitude = Tensor(shape: [6], scalars: [0, 1e-8, 0.01, 0.5, 1, 3])
        expectClose(try SARScaling.decibels(magnitude).scalars, Expected.decibels, tolerance: 1e-4)
        expectClose(try SARScaling.normalisedDecibels(magnitude, dynamicRange: 40).scalars, Expected.normalised40)
        #expect(SARScaling.peakNormalised(Tensor(shape: [2], scalars: [1, 4])).scalars == [0.25, 1])
        expectDataError(["dynamic range 0"]) { _ = try SARScaling.normalisedDecibels(magnitude, dynamicRange: 0) }
    }

    @Test func adjustsCamerasWithTheirViews() {
        let camera = Camera(extrinsic: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], intrinsic: [100, 0, 63.5, 0, 100, 31.5, 0, 0, 1],
                            depthMin: 1, depthInterval: 1)
        // Halving a 128 × 64 view: f → 50, centre (63.5 + 0.5)/2 − 0.5 = 31.5 and (31.5 + 0.5)/2 − 0.5 = 15.5.
        let half = CameraAdjustment.resized(camera, from: (64, 128), to: (32, 64))
        #expect(half.intrinsic == [50, 0, 31.5, 0, 50, 15.5, 0, 0, 1])
        let cropped = CameraAdjustment.cropped(camera, top: 10, left: 20)
        #expect(cropped.intrinsic[2] == 43.5 && cropped.intrinsic[5] == 21.5)
    }
}
