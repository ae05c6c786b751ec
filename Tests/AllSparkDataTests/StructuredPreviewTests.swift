import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Every structured preview fits its cells, keeps to ASCII without Unicode and to greys without
/// colour, and changes when the data change.
@Suite("Structured: previews")
struct StructuredPreviewTests {
    /// Two samples of each kind that differ in their data.
    static func pairs() -> [(String, Sample, Sample)] {
        func sample(_ modality: Modality, _ content: SampleContent, _ label: SampleLabel? = nil) -> Sample {
            Sample(modality: modality, path: "test", content: content, label: label)
        }
        let walkA = Tensor(shape: [8, 2], scalars: (0..<8).flatMap { [Float($0) * 0.4, 0] })
        let walkB = Tensor(shape: [8, 2], scalars: (0..<8).flatMap { [Float($0) * 0.4, Float($0 * $0) * 0.05] })
        let neighbour = Tensor(shape: [8, 2], scalars: (0..<8).flatMap { [3 - Float($0) * 0.4, 1] })
        let future = Tensor(shape: [12, 2], scalars: (8..<20).flatMap { [Float($0) * 0.4, 0.2] })
        func traffic(_ slowFrom: Int) -> SampleContent {
            var speeds: [Float] = []
            for t in 0..<12 { for n in 0..<30 { speeds.append(n >= slowFrom && t > 5 ? 15 : 65) } }
            return .graph(series: Tensor(shape: [12, 30, 1], scalars: speeds), timeOfDay: (0..<12).map { Float(90 + $0) / 288 },
                          dayOfWeek: [Int](repeating: 0, count: 12), adjacency: Tensor(zeros: [30, 30]))
        }
        let futureSpeeds = Tensor(shape: [12, 30], scalars: (0..<360).map { Float(20 + $0 % 50) })
        func ring(_ radius: Float) -> Tensor {
            Tensor(shape: [200, 3], scalars: (0..<200).flatMap { i -> [Float] in
                let a = Float(i) * 0.0314 * 2
                return [radius * cos(a), sin(a), Float(i % 10) * 0.05]
            })
        }
        return [
            ("text", sample(.text, .text("A short and kind review. Grand, café, 映画!")), sample(.text, .text(String(repeating: "A long and angry review of a film nobody should see. ", count: 30)), .className("negative"))),
            ("code", sample(.code, .code("def f(x):\n    # twice\n    return 2 * x  # ok\n", language: "python")),
             sample(.code, .code((0..<40).map { "let value\($0) = \"text\" // line \($0)" }.joined(separator: "\n"), language: "swift"))),
            ("table", sample(.table, .tableRow(columns: ["Ozone", "Wind", "Station"], values: [.number(41), .number(7.4), .category("north")]), .value(41, unit: "ppb")),
             sample(.table, .tableRow(columns: (0..<20).map { "column number \($0)" }, values: (0..<20).map { $0 % 3 == 0 ? .missing : .number(Double($0) / 3) }))),
            ("trajectory", sample(.trajectory, .trajectory(observed: walkA, neighbours: [neighbour]), .futureTrajectory(future)),
             sample(.trajectory, .trajectory(observed: walkB, neighbours: []))),
            ("graph", sample(.graph, traffic(10), .futureSeries(futureSpeeds)), sample(.graph, traffic(25))),
            ("pointcloud", sample(.pointcloud, .pointCloud(ring(1), properties: [:]), .className("torus")),
             sample(.pointcloud, .pointCloud(ring(0.2), properties: ["nx": [Float](repeating: 0, count: 200)]))),
        ]
    }

    static let sizes: [(Int, Int)] = [(1, 1), (3, 2), (12, 4), (40, 10), (80, 24), (200, 60)]

    @Test(arguments: ["text", "code", "table", "trajectory", "graph", "pointcloud"])
    func fitsAndFallsBack(kind: String) throws {
        let (_, a, b) = try #require(Self.pairs().first { $0.0 == kind })
        for sample in [a, b] {
            for (width, height) in Self.sizes {
                for (colour, unicode) in [(true, true), (false, true), (true, false), (false, false)] {
                    let options = Preview.Options(width: width, height: height, colour: colour, unicode: unicode)
                    let preview = try #require(SamplePreviews.structuredPreview(sample, options: options))
                    #expect(preview.height <= height && preview.width <= width, "\(kind) \(width)×\(height): got \(preview.width)×\(preview.height)")
                    #expect(preview.height > 0, "\(kind) \(width)×\(height): empty preview")
                    let cells = preview.rows.flatMap { $0 }
                    if !unicode {
                        #expect(cells.allSatisfy { $0.character.isASCII }, "\(kind): non-ASCII character without Unicode")
                        #expect(preview.caption.allSatisfy { $0.isASCII }, "\(kind): non-ASCII caption without Unicode: \(preview.caption)")
                    }
                    if !colour {
                        let colours = cells.flatMap { [$0.foreground, $0.background] }.compactMap { $0 }
                        #expect(colours.allSatisfy { $0.r == $0.g && $0.g == $0.b }, "\(kind): a colour that is not grey without colour")
                    }
                }
            }
        }
    }

    @Test(arguments: ["text", "code", "table", "trajectory", "graph", "pointcloud"])
    func changesWithTheData(kind: String) throws {
        let (_, a, b) = try #require(Self.pairs().first { $0.0 == kind })
        for options in [Preview.Options(width: 60, height: 16), Preview.Options(width: 40, height: 10, colour: false, unicode: false)] {
            let first = try #require(SamplePreviews.structuredPreview(a, options: options))
            let second = try #require(SamplePreviews.structuredPreview(b, options: options))
            #expect(first.rows != second.rows, "\(kind): two different samples give the same picture")
            #expect(first != second)
        }
    }

    @Test func otherModalitiesAreNotStructured() {
        let image = Sample(modality: .rgb, path: "x.png", content: .image(Tensor(zeros: [3, 2, 2])))
        #expect(SamplePreviews.structuredPreview(image, options: Preview.Options(width: 10, height: 5)) == nil)
    }

    @Test func textWrapsAtWordsAndCodeKeepsLineNumbers() throws {
        let text = Sample(modality: .text, path: "t", content: .text("one two three four five six"))
        let wrapped = try #require(SamplePreviews.structuredPreview(text, options: Preview.Options(width: 9, height: 10)))
        #expect(wrapped.plainText == "one two\nthree\nfour five\nsix")
        let code = Sample(modality: .code, path: "c", content: .code("a = 1\nb = 2\n", language: "python"))
        let numbered = try #require(SamplePreviews.structuredPreview(code, options: Preview.Options(width: 20, height: 5, unicode: false)))
        #expect(numbered.plainText == "1| a = 1\n2| b = 2")
        // The keyword is coloured, the rest of the line is not.
        let keyword = Sample(modality: .code, path: "c", content: .code("return x", language: "python"))
        let cells = try #require(SamplePreviews.structuredPreview(keyword, options: Preview.Options(width: 20, height: 2))).rows[0]
        #expect(cells[3].foreground == PreviewStyle.keyword && cells[10].foreground == nil)
    }
}
