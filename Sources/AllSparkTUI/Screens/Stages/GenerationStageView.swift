import AllSpark
import Foundation
import SparkLM

/// The generation stage: the answer as it streams in, its speed and how it was sampled; once done,
/// why it stopped and the candidates the sampler saw at the first steps.
enum GenerationStageView {
    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        if let run = model.run, run.stage == .generation {
            let speed = run.tokensPerSecond().map { String(format: ", %.1f tokens/s", $0) } ?? ""
            let spinner = context.job.map { String(Spinner.frame(elapsed: $0.elapsed, glyphs: context.glyphs)) + " " } ?? ""
            return Document([.text([
                StyledLine("Generation", style: theme.heading),
                StyledLine("\(spinner)streaming: \(run.streamedTokens) of at most \(model.maxNewTokens) tokens\(speed) (Ctrl-c stops)", style: theme.warning),
                StyledLine("settings: \(model.samplingSettings.summary)", style: theme.dim),
                StyledLine(""),
            ] + textLines(run.streamedText))])
        }
        guard let record = model.trace.records[.generation], let generation = model.trace.generation else {
            return StageViewKit.notDone(.generation, context: context)
        }
        var lines = StageViewKit.header(record, theme: theme)
        lines.append(StyledLine([StyledSpan("speed: ", style: theme.dim), StyledSpan(String(format: "%.1f tokens/s", generation.tokensPerSecond)),
                                 StyledSpan("  stopped: ", style: theme.dim), StyledSpan(generation.stopReason.rawValue)]))
        lines.append(StyledLine([StyledSpan("settings: ", style: theme.dim), StyledSpan(generation.settings.summary)]))
        if let bridge = model.trace.bridge, !bridge.provenance.isTrained {
            lines.append(StyledLine("The modality tokens come from an untrained encoder and bridge: the model reads noise, so the text says nothing about the sample.",
                                    style: theme.warning))
        }
        if let reading = generation.reading, !reading.agrees {
            // The note above names both classes; this says why two answers to one sequence can differ.
            lines.append(StyledLine("The answer and the head disagree: they are two readings of the same pass (the head's layer on "
                                    + "the hidden state, and the language model's own words), and they can part ways.",
                                    style: theme.warning))
        }
        lines.append(StyledLine(""))
        lines += textLines(generation.text)
        var blocks: [Document.Block] = [.text(lines)]
        let steps = generation.candidates.prefix(3)
        if !steps.isEmpty {
            blocks.append(.spacer(1))
            blocks.append(.text([StyledLine("Candidates at the first steps (probability)", style: theme.heading)]))
            for (step, candidates) in steps.enumerated() {
                let chosen = generation.tokens.indices.contains(step) ? generation.tokens[step] : nil
                blocks.append(.text([StyledLine("step \(step + 1)", style: theme.dim)]))
                blocks.append(.bars(BarChart(candidates.map {
                    BarChart.Bar(StageViewKit.quoted(model.snapshot?.piece($0.token) ?? "#\($0.token)", theme) + ($0.token == chosen ? " <" : ""),
                                 Double($0.probability))
                }, format: { String(format: "%.1f%%", $0 * 100) })))
            }
        }
        return Document(blocks)
    }

    /// The text as lines (newlines kept), an empty answer said plainly.
    static func textLines(_ text: String) -> [StyledLine] {
        if text.isEmpty { return [StyledLine("(no text yet)")] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { StyledLine(String($0)) }
    }
}
