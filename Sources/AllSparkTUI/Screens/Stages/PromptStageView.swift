import AllSpark

/// The prompt stage: the prompt, where it comes from, and its tokens as pieces with their ids.
enum PromptStageView {
    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        guard let record = model.trace.records[.prompt], let prompt = model.trace.prompt else {
            return StageViewKit.notDone(.prompt, context: context)
        }
        var lines = StageViewKit.header(record, theme: theme)
        let origin = prompt.number.map { number in
            "prompt \(number)\(model.prompts.map { " of \($0.prompts.count)" } ?? "")\(prompt.origin.map { " (\($0.rawValue))" } ?? "")"
        } ?? "a typed prompt (not in the library; S saves it)"
        lines.append(StyledLine([StyledSpan("text: ", style: theme.dim), StyledSpan(prompt.text)]))
        lines.append(StyledLine([StyledSpan("from: ", style: theme.dim), StyledSpan(origin)]))
        lines.append(StyledLine(""))
        lines.append(StyledLine("Tokens (piece and id):", style: theme.dim))
        let pieces = zip(prompt.pieces, prompt.tokenIds).map { TokenPieces.Piece($0, annotation: String($1)) }
        return Document([.text(lines), .tokens(TokenPieces(pieces))])
    }
}

/// The sequence stage: how the positions are shared between the system text, the user turn with
/// the modality tokens and the prompt, and the assistant turn the model answers in.
enum SequenceStageView {
    static func name(_ kind: SegmentKind, modality: String) -> String {
        switch kind {
        case .system: return "system"
        case .userTurnStart: return "user turn"
        case .modality: return "\(modality) tokens"
        case .separator: return "newline"
        case .prompt: return "prompt"
        case .userTurnEnd: return "end of turn"
        case .assistantTurnStart: return "assistant"
        }
    }

    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        guard let record = model.trace.records[.sequence], let sequence = model.trace.sequence else {
            return StageViewKit.notDone(.sequence, context: context)
        }
        let modality = model.trace.modality.rawValue
        let bar = SegmentBar(sequence.segments.map {
            SegmentBar.Part(name($0.kind, modality: modality), $0.length, highlighted: $0.kind == .modality)
        })
        var pieces: [TokenPieces.Piece] = []
        for segment in sequence.segments {
            if segment.kind == .modality {
                pieces.append(TokenPieces.Piece("[\(segment.length) \(modality) tokens]", highlighted: true, literal: true))
                continue
            }
            for position in segment.range where sequence.tokenIds.indices.contains(position) {
                let id = sequence.tokenIds[position]
                pieces.append(TokenPieces.Piece(id.map { model.snapshot?.piece($0) ?? "#\($0)" } ?? "[embedding]"))
            }
        }
        return Document([
            .text(StageViewKit.header(record, theme: theme)), .spacer(1),
            .text([StyledLine("Layout of the \(sequence.count) positions", style: theme.heading)]),
            .segments(bar), .spacer(1),
            .text([StyledLine("The sequence as the language model reads it:", style: theme.dim)]),
            .tokens(TokenPieces(pieces)),
        ])
    }
}
