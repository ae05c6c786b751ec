import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct PointCloudEncoderTests {
    typealias T = StructuredEncoderTesting

    /// The cloud scripts/reference/structured_encoders_reference.py builds: float32 of
    /// (sin(0.91 i + 0.3), cos(1.37 i), sin(0.53 i) · cos(0.29 i)), computed in Double.
    static func formulaCloud(_ n: Int) -> Tensor {
        var scalars = [Float]()
        for i in 0..<n {
            let x = Double(i)
            scalars += [Float(sin(0.91 * x + 0.3)), Float(cos(1.37 * x)), Float(sin(0.53 * x) * cos(0.29 * x))]
        }
        return Tensor(shape: [n, 3], scalars: scalars)
    }

    @Test func paperShapesArePointBERTsOnModelNet40() throws {
        let section = try T.paper().section(.pointcloud)
        let paper = try PointCloudEncoder.specification(section: section)
        #expect(paper.tokenShape == [65, 384])
        #expect(paper.inputShape == [1024, 3])
        #expect(section.head.classCount == 40)
        #expect(try PointCloudEncoder.specification(section: T.tiny().section(.pointcloud)).tokenShape == [65, 192])
    }

    @Test(arguments: ["synthetic-000-sphere.ply", "cube.off", "sphere_1k.xyz", "bunny.ply"])
    func tinySpecificationMatchesAnEncodedSample(file: String) throws {
        let encoder = try PointCloudEncoder(section: T.tiny().section(.pointcloud), store: ParameterStore(seed: 1))
        let output = try encoder.encode(T.sample(.pointcloud, file))
        #expect(output.tokens.shape == encoder.specification.tokenShape)
        #expect(output.input.shape == encoder.specification.inputShape)
        #expect(!TensorSummary(output.tokens).hasNonFinite)
        guard case .points(let centres, let leading) = output.layout else { Issue.record("layout \(output.layout)"); return }
        #expect(leading == 1 && centres.shape == [64, 3])
        // Centred and scaled into the unit sphere before sampling.
        var largest: Float = 0
        for i in 0..<1024 {
            let x = output.input[i, 0], y = output.input[i, 1], z = output.input[i, 2]
            largest = max(largest, (x * x + y * y + z * z).squareRoot())
        }
        #expect(largest <= 1 + 1e-5)
        #expect(output.extras["group_indices"]?.shape == [64, 16])
    }

    /// FPS from point 0 and 5-NN of three centres on the 40-point formula cloud, against numpy
    /// (np.argmax and np.argsort(kind="stable") over float32 squared distances).
    @Test func centresAndGroupsMatchNumpy() throws {
        let points = Self.formulaCloud(40)
        let centreIndices = PointSampling.farthestPointIndices(points, count: 6, startIndex: 0)
        #expect(centreIndices == [0, 39, 21, 2, 32, 19])
        let centres = PointSampling.gather(points, Array(centreIndices.prefix(3)))
        let groups = PointGrouping.nearestNeighbours(of: centres, in: points, k: 5)
        #expect(groups == [[0, 37, 28, 23, 14], [39, 25, 11, 12, 26], [21, 20, 16, 29, 15]])
        let relative = PointGrouping.neighbourhoods(points, centres: centres, groups: groups)
        #expect(relative.shape == [15, 3])
        #expect(relative[6, 1] == points[25, 1] - points[39, 1])
        #expect(Array(relative.scalars[0..<3]) == [0, 0, 0])
    }

    @Test func nearestNeighboursBreakTiesByIndex() {
        // Points at distance 1 from the origin on three axes, and the origin twice.
        let points = Tensor(shape: [5, 3], scalars: [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0])
        let groups = PointGrouping.nearestNeighbours(of: Tensor(zeros: [1, 3]), in: points, k: 4)
        #expect(groups == [[1, 4, 0, 2]])
    }

    /// The one-pass selection agrees with a full sort by (value, index), ties included.
    @Test func smallestAgreesWithSorting() {
        var generator = SeededRandomGenerator(seed: 11)
        for k in [1, 5, 32, 200] {
            // Values from a handful of levels, so that many are equal.
            let values = (0..<200).map { _ in Float(Int.random(in: 0..<7, using: &generator)) }
            let sorted = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
            #expect(PointGrouping.smallest(k, of: values) == Array(sorted.prefix(k)))
        }
    }

    /// The mini-PointNet on two groups of three formula points with formula weights, against numpy
    /// (structured_encoders_reference.py): w[o, i] = 0.2 sin(0.37 o + 0.11 i + φ), b[o] =
    /// 0.05 cos(0.5 o + φ), φ = 0.1 … 0.4 per conv; BatchNorm weight 1 + 0.1 sin c, bias 0.1 cos c,
    /// running mean 0.05 sin 2c, running variance 1 + 0.5 |cos c|.
    @Test func miniPointNetMatchesNumpy() {
        func conv(_ outputs: Int, _ inputs: Int, _ phase: Double) -> PointwiseConvolution {
            var weight = [Float](), bias = [Float]()
            for o in 0..<outputs {
                for i in 0..<inputs {
                    let angle: Double = 0.37 * Double(o) + 0.11 * Double(i) + phase
                    weight.append(Float(0.2 * sin(angle)))
                }
                bias.append(Float(0.05 * cos(0.5 * Double(o) + phase)))
            }
            return PointwiseConvolution(weight: Tensor(shape: [outputs, inputs], scalars: weight),
                                        bias: Tensor(shape: [outputs], scalars: bias))
        }
        func norm(_ channels: Int) -> PointwiseBatchNorm {
            func vector(_ f: (Double) -> Double) -> Tensor {
                Tensor(shape: [channels], scalars: (0..<channels).map { (c: Int) -> Float in Float(f(Double(c))) })
            }
            let weight = vector { (c: Double) -> Double in 1 + 0.1 * sin(c) }
            let bias = vector { (c: Double) -> Double in 0.1 * cos(c) }
            let mean = vector { (c: Double) -> Double in 0.05 * sin(2 * c) }
            let variance = vector { (c: Double) -> Double in 1 + 0.5 * abs(cos(c)) }
            return PointwiseBatchNorm(weight: weight, bias: bias, runningMean: mean, runningVariance: variance)
        }
        let network = MiniPointNet(conv1: conv(128, 3, 0.1), norm1: norm(128), conv2: conv(256, 128, 0.2),
                                   conv3: conv(512, 512, 0.3), norm2: norm(512), conv4: conv(4, 512, 0.4))
        let local = Self.formulaCloud(6) * 0.5
        let output = network(local, groups: 2, size: 3)
        let expected: [Float] = [-0.015237319484442874, -0.02077006721100222, -0.026894677694097133, -0.03030969404981717,
                                 0.004071035621065602, -0.0015733262114600438, -0.010407737732896771, -0.018763984939651816]
        #expect(output.shape == [2, 4])
        #expect(T.maxDifference(output, Tensor(shape: [2, 4], scalars: expected)) < 2e-6)
        // Max-pooling: the order of the points inside a group does not matter.
        let shuffled = PointSampling.gather(local, [2, 0, 1, 4, 5, 3])
        #expect(T.maxDifference(network(shuffled, groups: 2, size: 3), output) < 1e-6)
    }

    @Test func smallAndLargeCloudsAreBroughtToTheConfiguredCount() throws {
        let encoder = try PointCloudEncoder(section: T.tiny().section(.pointcloud), store: ParameterStore(seed: 1))
        // Fewer points than 1024: every point once, then repeats.
        let small = encoder.sampledIndices(Self.formulaCloud(10))
        #expect(small.count == 1024 && Set(small) == Set(0..<10) && Set(small.prefix(10)).count == 10)
        // More than 8 × 1024: a random 8192 first, then FPS; distinct indices of the cloud.
        let large = encoder.sampledIndices(Self.formulaCloud(9000))
        #expect(large.count == 1024 && Set(large).count == 1024 && large.allSatisfy { (0..<9000).contains($0) })
        // Between: FPS over the whole cloud, from point 0.
        let middle = encoder.sampledIndices(Self.formulaCloud(2000))
        #expect(middle == PointSampling.farthestPointIndices(Self.formulaCloud(2000), count: 1024, startIndex: 0))
        // A one-point cloud still encodes (all groups are that point).
        let output = try encoder.encode(Sample(modality: .pointcloud, path: "m", content: .pointCloud(Tensor(shape: [1, 3], scalars: [3, 4, 5]), properties: [:])))
        #expect(output.tokens.shape == [65, 192] && !TensorSummary(output.tokens).hasNonFinite)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try T.tiny().section(.pointcloud)
        let sample = try T.sample(.pointcloud, "synthetic-006-table.ply")
        let a = try PointCloudEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try PointCloudEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try PointCloudEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func wrongSamplesAreRefusedWithTheReason() throws {
        let encoder = try PointCloudEncoder(section: T.tiny().section(.pointcloud), store: ParameterStore(seed: 1))
        func encode(_ points: Tensor) throws { _ = try encoder.encode(Sample(modality: .pointcloud, path: "m", content: .pointCloud(points, properties: [:]))) }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Sample(modality: .pointcloud, path: "m", content: .image(Tensor(zeros: [3, 4, 4]))))
        }
        T.expectError(mentioning: "shape [0, 3]") { try encode(Tensor(zeros: [0, 3])) }
        T.expectError(mentioning: "shape [5, 2]") { try encode(Tensor(zeros: [5, 2])) }
        var bad = Self.formulaCloud(50); bad.scalars[3 * 17 + 2] = .infinity
        T.expectError(mentioning: "point 17") { try encode(bad) }
    }

    static let input = #"{ "points": 64, "sampling": "fps", "seed": 3 }"#
    static let encoder = #"{ "width": 8, "depth": 1, "heads": 2, "groups": 8, "groupSize": 4 }"#

    @Test func theMinimalConfigurationEncodes() throws {
        let section = try T.configuration(.pointcloud, input: Self.input, encoder: Self.encoder,
                                          head: #"{ "kind": "classification", "labels": ["a"] }"#).section(.pointcloud)
        let encoder = try PointCloudEncoder(section: section, store: ParameterStore(seed: 1))
        let output = try encoder.encode(Sample(modality: .pointcloud, path: "m", content: .pointCloud(Self.formulaCloud(100), properties: [:])))
        #expect(output.tokens.shape == [9, 8])
    }

    @Test(arguments: [
        ("\"groups\": 8", "\"groups\": 65", "modalities.pointcloud.encoder.groups"),
        ("\"groupSize\": 4", "\"groupSize\": 0", "modalities.pointcloud.encoder.groupSize"),
        ("\"groupSize\": 4", "\"groupSize\": 100", "modalities.pointcloud.encoder.groupSize"),
        ("\"heads\": 2", "\"heads\": 3", "modalities.pointcloud.encoder.heads"),
        ("\"sampling\": \"fps\"", "\"sampling\": \"poisson\"", "modalities.pointcloud.input.sampling"),
        ("\"points\": 64", "\"points\": -1", "modalities.pointcloud.input.points"),
        ("\"seed\": 3", "\"seed\": 3, \"normals\": true", "modalities.pointcloud.input.normals"),
    ])
    func brokenConfigurationNamesTheKey(original: String, replacement: String, keyPath: String) {
        let input = Self.input.replacingOccurrences(of: original, with: replacement)
        let encoder = Self.encoder.replacingOccurrences(of: original, with: replacement)
        #expect(input != Self.input || encoder != Self.encoder, "the replacement did not apply")
        T.expectError(mentioning: keyPath) {
            _ = try T.configuration(.pointcloud, input: input, encoder: encoder, head: #"{ "kind": "classification", "labels": ["a"] }"#)
        }
    }
}
