import AllSparkData
import Foundation

/// `:widgets`: every chart the stage views are built from, on example data, so they can be seen
/// (and checked) on a real terminal before the pipeline feeds them. Labelled as examples.
enum WidgetGallery {
    static func document(theme: Theme) -> Document {
        let curve = (0..<80).map { sin(Double($0) / 8) }
        let heat = (0..<(16 * 32)).map { i -> Float in
            let r = Double(i / 32), c = Double(i % 32)
            return Float(exp(-((r - 8) * (r - 8) + (c - 10) * (c - 10)) / 20)
                         - 0.6 * exp(-((r - 4) * (r - 4) + (c - 24) * (c - 24)) / 10))
        }
        let gradient = Preview(rows: (0..<6).map { y in
            (0..<32).map { x in
                Preview.Cell(" ", background: Preview.Colour(r: UInt8(x * 8), g: UInt8(y * 40), b: UInt8(255 - x * 8)))
            }
        }, caption: "an RGB gradient as a sample preview")
        return Document([
            .text([StyledLine("Widget gallery", style: theme.heading),
                   StyledLine("Example data, not model output: the charts the stage views are drawn with.", style: theme.warning)]),
            .spacer(1),
            .text([StyledLine("Bar chart (next-token probabilities)", style: theme.dim)]),
            .bars(BarChart([.init("the", 0.42), .init("a", 0.21), .init("this", 0.12), .init("an", 0.08), .init("one", -0.05)])),
            .spacer(1),
            .sparkline(label: "sparkline", Sparkline(curve)),
            .spacer(1),
            .text([StyledLine("Heat map (16 by 32, diverging ramp)", style: theme.dim)]),
            .heatMap(HeatMap(rows: 16, columns: 32, values: heat, ramp: .diverging, range: -1...1), rows: 9),
            .spacer(1),
            .text([StyledLine("Line plot (two series)", style: theme.dim)]),
            .linePlot(LinePlot([.init(curve, colour: .green), .init(curve.map { cos($0 * 2) }, colour: .magenta)]), rows: 6),
            .spacer(1),
            .text([StyledLine("Token pieces", style: theme.dim)]),
            .tokens(TokenPieces([.init("<|im_start|>"), .init("user"), .init("\n"), .init("[32 rgb tokens]", highlighted: true),
                                 .init("\n"), .init("Describe"), .init(" this"), .init(" image"), .init("<|im_end|>")])),
            .spacer(1),
            .preview(gradient),
        ])
    }
}
