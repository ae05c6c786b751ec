import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Reference values come from scripts/reference/structured_preprocessing_reference.py (numpy).
@Suite("Structured: preprocessing and the seeded random source")
struct StructuredPreprocessingTests {
    static let cloud = Tensor(shape: [10, 3], scalars: [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1,
                                                        -1, -1, 0, 2, 2, 2, 0.5, 0.5, 0, -2, 0, 1, 0, -3, -1])

    @Test func splitMix64MatchesTheReferenceSequence() {
        var zero = DeterministicRandom(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var answer = DeterministicRandom(seed: 42)
        #expect([answer.next(), answer.next()] == [0xBDD7_3226_2FEB_6E95, 0x28EF_E333_B266_F103])
    }

    @Test func randomHelpersStayInRange() {
        var random = DeterministicRandom(seed: 9)
        let draws = (0..<10_000).map { _ in random.uniform() }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(draws.reduce(0, +) / 10_000 - 0.5) < 0.02)
        let normals = (0..<10_000).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / 10_000
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 10_000
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(random.integer(below: 7)) })
        #expect(random.permutation(20).sorted() == Array(0..<20))
    }

    @Test func farthestPointSamplingMatchesNumpy() {
        #expect(PointSampling.farthestPointIndices(Self.cloud, count: 6, startIndex: 0) == [0, 6, 9, 3, 8, 2])
        #expect(PointSampling.farthestPointIndices(Self.cloud, count: 10, startIndex: 4) == [4, 9, 8, 3, 0, 2, 6, 5, 1, 7])
        #expect(PointSampling.farthestPointIndices(Self.cloud, count: 50, startIndex: 0).count == 10)
        let seeded = PointSampling.farthestPointIndices(Self.cloud, count: 5, seed: 3)
        #expect(seeded == PointSampling.farthestPointIndices(Self.cloud, count: 5, seed: 3))
        #expect(Set(seeded).count == 5)
    }

    @Test func randomSamplingIsSeededAndPadsSmallClouds() {
        let subset = PointSampling.randomIndices(pointCount: 100, count: 30, seed: 1)
        #expect(subset.count == 30 && Set(subset).count == 30 && subset.allSatisfy { (0..<100).contains($0) })
        #expect(subset == PointSampling.randomIndices(pointCount: 100, count: 30, seed: 1))
        #expect(subset != PointSampling.randomIndices(pointCount: 100, count: 30, seed: 2))
        let padded = PointSampling.randomIndices(pointCount: 4, count: 10, seed: 1)
        #expect(Array(padded.prefix(4)) == [0, 1, 2, 3] && padded.count == 10 && padded.allSatisfy { $0 < 4 })
        let rows = PointSampling.gather(Self.cloud, [6, 0])
        #expect(rows.shape == [2, 3] && rows.scalars == [2, 2, 2, 0, 0, 0])
    }

    @Test func unitSphereNormalisationMatchesPcNormalize() {
        let result = PointNormalisation.centredInUnitSphere(Self.cloud)
        for (got, want) in zip(result.centre, [0.15, 0.15, 0.6] as [Float]) { #expect(abs(got - want) < 1e-6) }
        #expect(abs(result.scale - 3.536241054534912) < 1e-5)
        for (k, want) in [0.5231543779373169, 0.5231543779373169, 0.3959006071090698].enumerated() {
            #expect(abs(Double(result.points[6, k]) - want) < 1e-6)
        }
        let largest = (0..<10).map { i in (0..<3).reduce(Float(0)) { $0 + result.points[i, $1] * result.points[i, $1] }.squareRoot() }.max()!
        #expect(abs(largest - 1) < 1e-6)
        let single = PointNormalisation.centredInUnitSphere(Tensor(shape: [2, 3], scalars: [1, 2, 3, 1, 2, 3]))
        #expect(single.scale == 1 && single.points.scalars == [0, 0, 0, 0, 0, 0])
    }

    @Test func trajectoriesRelativeToTheLastObservedPosition() {
        let observed = Tensor(shape: [3, 2], scalars: [1, 1, 2, 1.5, 3, 2])
        let neighbour = Tensor(shape: [3, 2], scalars: [5, 5, 5, 4, 5, 3])
        let result = TrajectoryNormalisation.relativeToLastObserved(observed, neighbours: [neighbour])
        #expect(result.offset == [3, 2])
        #expect(result.observed.scalars == [-2, -1, -1, -0.5, 0, 0])
        #expect(result.neighbours[0].scalars == [2, 3, 2, 2, 2, 1])
        let prediction = Tensor(shape: [2, 2], scalars: [0.5, 0.25, 1, 0.5])
        #expect(TrajectoryNormalisation.restore(prediction, offset: result.offset).scalars == [3.5, 2.25, 4, 2.5])
    }

    /// The first 20 Ozone values of samples/table/airquality.csv with its NAs dropped, plus
    /// missing values and a category that the fit must skip.
    static let ozone: [TableValue] = [41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11].map { .number($0) }
        + [.missing, .category("n/a")]

    @Test func standardisationWithStoredMeanAndDeviation() {
        let scaler = ColumnStandardisation(fitting: Self.ozone)
        #expect(abs(scaler.mean - 17.9) < 1e-12)
        #expect(abs(scaler.standardDeviation - 10.610843510296437) < 1e-12)
        #expect(abs(scaler.standardise(17.9)) < 1e-12)
        #expect(abs(scaler.restore(scaler.standardise(41)) - 41) < 1e-12)
        #expect(ColumnStandardisation(fitting: [.number(3), .number(3)]).standardDeviation == 1)
        #expect(ColumnStandardisation(fitting: [.missing]) == ColumnStandardisation(mean: 0, standardDeviation: 1))
    }

    @Test func quantisationIntoQuantileAndUniformBins() {
        let quartiles = ColumnQuantisation(quantilesOf: Self.ozone, binCount: 4)
        #expect(quartiles.edges == [11.0, 15.0, 24.25])
        #expect([11, 14, 40, 0].map { quartiles.bin(of: $0) } == [1, 1, 3, 0])   // numpy.digitize
        #expect(quartiles.bin(of: .missing) == 4 && quartiles.missingBin == 4 && quartiles.binCount == 4)
        let uniform = ColumnQuantisation(uniformFrom: 0, to: 100, binCount: 5)
        #expect(uniform.edges == [20, 40, 60, 80])
        #expect([-5, 0, 19.9, 20, 99, 100, 1000].map { uniform.bin(of: $0) } == [0, 0, 0, 1, 4, 4, 4])
    }

    /// Two triangles of areas 1 and 3 in the plane z = 0: about a quarter of the points fall on
    /// the first, all of them inside the triangles, and properties interpolate linearly.
    @Test func surfaceSamplingIsAreaWeighted() throws {
        let mesh = PolygonMesh(positions: [0, 0, 0, 2, 0, 0, 0, 1, 0,   10, 0, 0, 13, 0, 0, 10, 2, 0],
                               vertexProperties: ["t": [0, 2, 0, 0, 3, 0]],
                               faceIndices: [0, 1, 2, 3, 4, 5], faceStarts: [0, 3, 6])
        let result = try MeshSurfaceSampling.sample(mesh, count: 4000, seed: 5, file: "two.ply")
        var onFirst = 0
        for i in 0..<4000 {
            let x = result.positions[3 * i], y = result.positions[3 * i + 1]
            #expect(result.positions[3 * i + 2] == 0)
            if x < 5 {
                onFirst += 1
                #expect(x >= -1e-5 && y >= -1e-5 && x / 2 + y <= 1 + 1e-5)
                #expect(abs(result.properties["t"]![i] - x) < 1e-4)   // t = x on the first triangle
            } else {
                #expect((x - 10) / 3 + y / 2 <= 1 + 1e-5)
            }
        }
        #expect(abs(Double(onFirst) / 4000 - 0.25) < 0.03)
        let again = try MeshSurfaceSampling.sample(mesh, count: 4000, seed: 5, file: "two.ply")
        #expect(again.positions == result.positions)
    }
}
