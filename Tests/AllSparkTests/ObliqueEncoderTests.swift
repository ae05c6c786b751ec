import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct ObliqueEncoderTests {
    typealias Support = VisionEncoderTestSupport

    /// A camera with fx = 50, fy = 40, principal point (30, 20), depth 100 + 0.5 · k, 192 planes.
    static let camera = Camera(extrinsic: (0..<16).map { $0 % 5 == 0 ? 1 : 0 }, intrinsic: [50, 0, 30, 0, 40, 20, 0, 0, 1],
                               depthMin: 100, depthInterval: 0.5, depthCount: 192)

    static func sample(views: [Tensor]) -> Sample {
        Support.sample(.oblique, .oblique(views: views, cameras: [Camera](repeating: camera, count: views.count)))
    }

    static func randomViews(_ count: Int, height: Int = 40, width: Int = 60) -> [Tensor] {
        (0..<count).map { Support.uniform([3, height, width], seed: UInt64(10 + $0)) }
    }

    @Test func paperShapesAreTheSpecTable() throws {
        let spec = try ObliqueEncoder.specification(section: Support.paper(.oblique))
        #expect(spec.inputShape == [5, 3, 224, 224])
        #expect(spec.tokenShape == [985, 768])
    }

    @Test func tinySpecificationMatchesARealEncoding() throws {
        let section = try Support.tiny(.oblique)
        let spec = try ObliqueEncoder.specification(section: section)
        let encoder = try ObliqueEncoder(section: section, store: ParameterStore(seed: 1))
        let output = try encoder.encode(Self.sample(views: Self.randomViews(5)))
        #expect(output.tokens.shape == spec.tokenShape)
        #expect(output.input.shape == spec.inputShape)
        #expect(output.layout == .views(count: 5, rows: 8, columns: 8, leading: 1))
        #expect(!TensorSummary(output.tokens).hasNonFinite)
    }

    /// Five identical views: the ViT is shared, so view v's tokens differ from view 0's exactly by
    /// view_embed[v] − view_embed[0].
    @Test func viewsShareTheBackboneAndDifferByTheirViewEmbedding() throws {
        let encoder = try ObliqueEncoder(section: Support.tiny(.oblique), store: ParameterStore(seed: 1))
        let view = Support.uniform([3, 64, 64], seed: 3)
        let tokens = try encoder.encode(Self.sample(views: [Tensor](repeating: view, count: 5))).tokens
        let perView = 65
        let first = tokens.slice(rows: 0..<perView)
        for v in 1..<5 {
            let shift = encoder.viewEmbedding[row: v] - encoder.viewEmbedding[row: 0]
            let expected = first + shift
            #expect(Support.maxDifference(tokens.slice(rows: (v * perView)..<((v + 1) * perView)), expected) < 1e-5)
        }
    }

    /// Six views: the sixth is left out. Two views (a stereo pair): two views' tokens, the same as
    /// the first two views' tokens of a five-view encoding. No views: an error.
    @Test func extraViewsAreLeftOutAndFewerAreEncodedAsTheyAre() throws {
        let encoder = try ObliqueEncoder(section: Support.tiny(.oblique), store: ParameterStore(seed: 1))
        let views = Self.randomViews(6)
        let five = try encoder.encode(Self.sample(views: Array(views.prefix(5))))
        #expect(try encoder.encode(Self.sample(views: views)).tokens == five.tokens)
        let pair = try encoder.encode(Self.sample(views: Array(views.prefix(2))))
        #expect(pair.tokens.shape == [2 * 65, five.tokens.shape[1]])
        #expect(pair.tokens == five.tokens.slice(rows: 0..<(2 * 65)))
        #expect(pair.layout == .views(count: 2, rows: 8, columns: 8, leading: 1))
        #expect(throws: EncoderInputError.self) { try encoder.encode(Self.sample(views: [])) }
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.oblique, .image(Tensor(zeros: [3, 8, 8])))) }
        var gray = Self.randomViews(5)
        gray[2] = Tensor(zeros: [1, 40, 60])
        #expect(throws: EncoderInputError.self) { try encoder.encode(Self.sample(views: gray)) }
    }

    /// A 60 × 40 view resized to 64 × 64: sx = 64/60, sy = 64/40 with half-pixel centres, by hand:
    /// fx = 50 · 16/15 = 53.333333, cx = 30.5 · 16/15 − 0.5 = 32.033333, fy = 40 · 1.6 = 64,
    /// cy = 20.5 · 1.6 − 0.5 = 32.3; depth range 100 … 100 + 0.5 · 191 = 195.5.
    @Test func camerasFollowTheResize() throws {
        let encoder = try ObliqueEncoder(section: Support.tiny(.oblique), store: ParameterStore(seed: 1))
        let extras = try encoder.encode(Self.sample(views: Self.randomViews(5))).extras
        let intrinsics = try #require(extras["intrinsics"])
        #expect(intrinsics.shape == [5, 3, 3])
        let expected: [Float] = [53.333333, 0, 32.033333, 0, 64, 32.3, 0, 0, 1]
        #expect(zip(intrinsics[row: 4].scalars, expected).allSatisfy { abs($0 - $1) < 1e-4 }, "\(intrinsics[row: 4].scalars)")
        #expect(extras["extrinsics"]?.shape == [5, 4, 4])
        #expect(extras["depthRange"]?[row: 0].scalars == [100, 195.5])
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try Support.tiny(.oblique)
        let sample = Self.sample(views: Self.randomViews(5))
        let a = try ObliqueEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try ObliqueEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try ObliqueEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test(arguments: [
        (#"{ "views": 0, "size": 64 }"#, "modalities.oblique.input.views"),
        (#"{ "views": 5, "size": 60 }"#, "modalities.oblique.input.size"),
        (#"{ "views": 5, "size": 64, "std": [1, 1, 0], "mean": [0, 0, 0] }"#, "modalities.oblique.input.std"),
        (#"{ "views": 5, "size": 64, "cameras": true }"#, "modalities.oblique.input.cameras"),
    ])
    func configurationErrorsNameTheKey(input: String, keyPath: String) {
        Support.expectError(naming: keyPath) {
            _ = try ObliqueEncoder.specification(section: Support.section(.oblique, input: input,
                                                                          encoder: #"{ "width": 8, "depth": 1, "heads": 2, "patch": 8 }"#))
        }
    }
}
