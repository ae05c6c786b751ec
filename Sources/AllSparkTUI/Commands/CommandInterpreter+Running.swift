import AllSpark
import AllSparkData
import SparkLM

/// The commands that compute stages: step, run, generate, compare (and show, which reads them).
extension CommandInterpreter {
    func step(_ cancel: CancellationFlag?, _ out: OutputWriter) throws {
        guard let stage = session.nextStage else {
            out.line("every stage is computed; show STAGE shows one, generate generates again")
            return
        }
        try run(through: stage, limit: 1, cancel, out)
    }

    func run(through last: PipelineStage, limit: Int = .max, _ cancel: CancellationFlag?, _ out: OutputWriter) throws {
        guard let first = session.nextStage, first <= last else {
            out.line("the \(last.title) stage is computed already (show \(last.identifier) shows it)")
            return
        }
        let observer = StageRunObserver(
            willRun: { stage in if stage == .generation { out.text("generation: ") } },
            text: { piece in out.text(piece) },
            didRun: { [session] stage in
                out.finishPartialLine()
                out.lines(StageReport(session: session).block(stage))
                if stage == .generation, session.trace.generation?.stopReason == .cancelled {
                    out.line("generation stopped (Ctrl-C); generate runs it again")
                }
            },
            failed: { _, _ in out.finishPartialLine() })
        let outcome = try session.run(through: last, limit: limit, cancel: cancel, observer: observer)
        if let stopped = outcome.stoppedBefore {
            out.line("stopped before the \(stopped.title) stage (run continues from there)")
        }
    }

    func show(_ stage: PipelineStage?, _ out: OutputWriter) throws {
        let report = StageReport(session: session)
        guard let stage else {
            out.lines(report.stageList())
            return
        }
        guard session.trace.isDone(stage) else {
            throw InterpreterError("the \(stage.title) stage has not been computed; run \(stage.identifier) computes it")
        }
        out.lines(report.details(stage))
    }

    func generate(maxTokens: Int?, sampling: SamplingOverrides, _ cancel: CancellationFlag?, _ out: OutputWriter) throws {
        let settings = try sampling.applied(to: session.generationSettings)
        session.generationSettings = settings
        if let maxTokens { session.maxNewTokens = maxTokens }
        // The language model's cache is kept: only the generation is redone.
        session.invalidate(from: .generation)
        try run(through: .generation, cancel, out)
    }

    func compare(_ comparison: InterpreterCommand.Comparison, generate: Bool, _ cancel: CancellationFlag?, _ out: OutputWriter) throws {
        // Session.compare generates when maxNewTokens > 0; generation is only wanted when asked for
        // or when it is the modality's answer. The session keeps the user's sample and prompt.
        let savedMaxTokens = session.maxNewTokens
        if !(generate || defaultLastStage == .generation) { session.maxNewTokens = 0 }
        defer { session.maxNewTokens = savedMaxTokens }
        let result: Comparison
        switch comparison {
        case .prompts(let a, let b):
            let first = try promptText(a), second = try promptText(b)
            result = try session.compare(prompts: first, second, cancel: cancel)
        case .samples(let a, let b):
            let first = try reference(a), second = try reference(b)
            result = try session.compare(samples: first, second, cancel: cancel)
        }
        for (name, side) in [("A", result.a), ("B", result.b)] {
            out.line("\(name): \(side.label)")
            out.lines(sideSummary(side.trace))
        }
        out.line("differences:")
        out.lines(result.differences(tokenizer: session.model.languageModel.tokenizer).map { "  " + $0 })
        if cancel?.isCancelled == true { out.line("stopped (Ctrl-C): the comparison is incomplete") }
    }

    private func promptText(_ choice: PromptChoice) throws -> String {
        switch choice {
        case .text(let text): return text
        case .number(let number):
            do { return try session.prompts.prompt(number: number).text } catch { throw InterpreterError("\(error)") }
        }
    }

    /// One side of a comparison: head prediction, next tokens, generated text.
    private func sideSummary(_ trace: Trace) -> [String] {
        let report = StageReport(session: session, trace: trace)
        let tokenizer = session.model.languageModel.tokenizer
        var lines: [String] = []
        if let head = trace.head { lines += report.prediction(head, limit: 3) }
        if let lm = trace.languageModel {
            lines.append("    next tokens: " + lm.nextTokens.prefix(3).map { "\(StageReport.quote(tokenizer.piece($0.token))) \(StageReport.percent($0.probability))" }.joined(separator: ", "))
        }
        if let generation = trace.generation { lines.append("    generation: " + generation.text.debugDescription) }
        return lines
    }
}
