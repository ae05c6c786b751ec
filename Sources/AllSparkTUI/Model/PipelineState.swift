import AllSpark
import Foundation

/// Where the model is: it loads in a background job when the interface starts.
public enum ModelLoadState: Equatable, Sendable {
    case notStarted
    case loading
    case ready
    /// Why it could not load; the interface keeps working for browsing.
    case failed(String)
}

/// A run in progress, as the main thread follows it.
public struct RunProgress: Equatable, Sendable {
    /// The stage being computed now; nil between stages.
    public var stage: PipelineStage?
    /// Generated text so far (the generation stage streams it here piece by piece).
    public var streamedText: String = ""
    public var streamedTokens: Int = 0
    public var generationStarted: Date?

    public init(stage: PipelineStage? = nil) { self.stage = stage }

    /// Tokens per second so far, once a token has come.
    public func tokensPerSecond(now: Date = Date()) -> Double? {
        guard let start = generationStarted, streamedTokens > 0 else { return nil }
        let elapsed = now.timeIntervalSince(start)
        return elapsed > 0 ? Double(streamedTokens) / elapsed : nil
    }
}

/// A stage that stopped with an error, for the selection it ran on.
public struct StageFailure: Equatable, Sendable {
    public var stage: PipelineStage
    public var message: String
    public var selection: PipelineSelection
}

/// What the last run computed and what it kept from before (shown after a prompt edit, so one can
/// see the encoder and bridge were not run again).
public struct RunReport: Equatable, Sendable {
    public var ran: [PipelineStage]
    public var kept: [PipelineStage]
    public var seconds: Double

    public var summary: String {
        guard let first = ran.first, let last = ran.last else { return "Nothing to run: every stage is done." }
        var text = ran.count == 1 ? "Ran \(first.title)" : "Ran \(ran.count) stages, \(first.title) to \(last.title),"
        text += " in \(NumberFormat.duration(seconds))"
        if !kept.isEmpty { text += "; kept \(kept.map(\.title).joined(separator: ", ")) from before" }
        return text + "."
    }
}

/// What the user asked a run to do.
public enum RunRequest: Equatable, Sendable {
    /// The next stage only.
    case next
    /// Every stage not yet done.
    case all
    /// Everything from the prompt stage on again (the encoder and bridge are kept).
    case fromPrompt
    /// The stages not yet done up to and including this one (after a prompt edit, to bring back
    /// what was shown before).
    case through(PipelineStage)
}
