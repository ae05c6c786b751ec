import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Previews of the image modalities: inside their bounds in every mode, colour-free and ASCII-only
/// when asked, and different for different data.
@Suite struct ImagesPreviewTests {
    static let modes: [Preview.Options] = [
        Preview.Options(width: 40, height: 12), Preview.Options(width: 40, height: 12, colour: false),
        Preview.Options(width: 40, height: 12, unicode: false), Preview.Options(width: 40, height: 12, colour: false, unicode: false),
        Preview.Options(width: 7, height: 3), Preview.Options(width: 1, height: 1), Preview.Options(width: 120, height: 2),
    ]

    /// A deterministic pattern that depends on `seed`.
    static func pattern(_ shape: [Int], seed: Int) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { i in
            Float((i * 7919 + seed * 104729) % 1000) / 1000
        })
    }

    static func samples(seed: Int) -> [Sample] {
        let depth = Tensor(shape: [16, 16], scalars: (0..<256).map { Float(100 + ($0 + seed) % 50) })
        return [
            Sample(modality: .rgb, path: "a.png", content: .image(pattern([3, 30, 50], seed: seed))),
            Sample(modality: .rgb, path: "g.png", content: .image(pattern([1, 9, 9], seed: seed))),
            Sample(modality: .msi, path: "m.npy", content: .multispectral(pattern([13, 20, 20], seed: seed), bandNames: [], wavelengths: [])),
            Sample(modality: .hsi, path: "h.csv", content: .spectrum(pattern([103], seed: seed), wavelengths: (0..<103).map { 430 + Float($0) * 4.2 })),
            Sample(modality: .hsi, path: "h2.csv", content: .spectrum(pattern([5], seed: seed), wavelengths: [])),
            Sample(modality: .sar, path: "s.npy", content: .sar(pattern([64, 64], seed: seed))),
            Sample(modality: .infrared, path: "ir", content: .infrared(query: pattern([3, 32, 16], seed: seed), gallery: [pattern([3, 32, 16], seed: seed + 1), pattern([3, 20, 10], seed: seed + 2)], galleryNames: ["a", "b"]), label: .galleryMatch(1)),
            Sample(modality: .oblique, path: "ob", content: .oblique(views: [pattern([3, 16, 16], seed: seed), pattern([3, 16, 16], seed: seed + 3)], cameras: []), label: .depthMap(depth)),
            Sample(modality: .video, path: "v.y4m", content: .video(pattern([9, 3, 12, 16], seed: seed), framesPerSecond: 25)),
        ]
    }

    @Test func staysWithinBoundsInEveryMode() throws {
        for sample in Self.samples(seed: 1) {
            for options in Self.modes {
                let preview = try #require(SamplePreviews.imagesPreview(sample, options: options), "\(sample.modality)")
                #expect(preview.height >= 1 && preview.height <= options.height, "\(sample.path) \(options): height \(preview.height)")
                #expect(preview.width >= 1 && preview.width <= options.width, "\(sample.path) \(options): width \(preview.width)")
                #expect(!preview.caption.isEmpty)
                let cells = preview.rows.flatMap { $0 }
                if !options.colour {
                    #expect(cells.allSatisfy { $0.foreground == nil && $0.background == nil }, "\(sample.path): colour in a no-colour preview")
                }
                if !options.unicode {
                    #expect(cells.allSatisfy { $0.character.isASCII }, "\(sample.path): non-ASCII in an ASCII preview")
                }
            }
        }
    }

    @Test func changesWithTheData() throws {
        for (a, b) in zip(Self.samples(seed: 1), Self.samples(seed: 2)) {
            for options in [Preview.Options(width: 40, height: 12), Preview.Options(width: 40, height: 12, colour: false, unicode: false)] {
                let first = try #require(SamplePreviews.imagesPreview(a, options: options))
                let second = try #require(SamplePreviews.imagesPreview(b, options: options))
                #expect(first.rows != second.rows, "\(a.path) \(options): preview does not depend on the data")
            }
        }
    }

    @Test func keepsTheAspectOfImages() {
        // A 100 × 50 (wide) image in a 40 × 40 box: 40 columns, 20 pixel rows = 10 half-block rows.
        let rows = RasterPreview.rows(Tensor(zeros: [3, 50, 100]), options: Preview.Options(width: 40, height: 40))
        #expect(rows.count == 10 && rows[0].count == 40)
        // Without colour a cell is one character for two pixel rows as well.
        let gray = RasterPreview.rows(Tensor(repeating: 1, shape: [1, 50, 100]), options: Preview.Options(width: 40, height: 40, colour: false, unicode: false))
        #expect(gray.count == 10 && gray[0].allSatisfy { $0.character == "@" })
    }

    @Test func drawsHalfBlocksWithTopAndBottomColours() {
        // 1 × 2 image: top pixel red, bottom pixel blue.
        let image = Tensor(shape: [3, 2, 1], scalars: [1, 0, 0, 0, 0, 1])
        let rows = RasterPreview.rows(image, options: Preview.Options(width: 1, height: 1))
        #expect(rows == [[Preview.Cell("▀", foreground: Preview.Colour(r: 255, g: 0, b: 0), background: Preview.Colour(r: 0, g: 0, b: 255))]])
    }

    @Test func returnsNilForOtherModalities() {
        #expect(SamplePreviews.imagesPreview(Sample(modality: .text, path: "t", content: .text("hi")), options: Preview.Options(width: 10, height: 2)) == nil)
    }
}
