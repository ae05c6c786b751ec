import SparkLM

/// Anything that computes the pipeline's stages one at a time, in order: the session, and the
/// drivers the interface runs it through.
public protocol StageRunning: AnyObject {
    /// The first stage not computed yet; nil when all are.
    var nextStage: PipelineStage? { get }
    /// Computes the next stage, streaming generated text through `onText`; returns it.
    func runNext(cancel: CancellationFlag?, onText: (String) -> Void) throws -> PipelineStage?
}

/// What a front end does around each stage of a run: announce it, stream its text, show it.
public struct StageRunObserver {
    public var willRun: (PipelineStage) -> Void
    public var text: (String) -> Void
    public var didRun: (PipelineStage) -> Void
    /// Called with the stage that threw, before the error goes on to the caller.
    public var failed: (PipelineStage, Error) -> Void

    public init(willRun: @escaping (PipelineStage) -> Void = { _ in }, text: @escaping (String) -> Void = { _ in },
                didRun: @escaping (PipelineStage) -> Void = { _ in }, failed: @escaping (PipelineStage, Error) -> Void = { _, _ in }) {
        self.willRun = willRun; self.text = text; self.didRun = didRun; self.failed = failed
    }
}

/// How a run ended: the stages it computed, and the one it stopped before when cancelled.
public struct StageRunOutcome: Sendable, Equatable {
    public var ran: [PipelineStage] = []
    public var stoppedBefore: PipelineStage?
}

extension StageRunning {
    /// The run loop every front end uses (`allspark run`, the REPL and the TUI): computes the
    /// stages not yet computed, in order, up to and including `last`, at most `limit` of them.
    /// A cancellation stops it between stages (generation also stops inside, token by token).
    @discardableResult
    public func run(through last: PipelineStage, limit: Int = .max, cancel: CancellationFlag? = nil,
                    observer: StageRunObserver = StageRunObserver()) throws -> StageRunOutcome {
        var outcome = StageRunOutcome()
        while let stage = nextStage, stage <= last, outcome.ran.count < limit {
            if cancel?.isCancelled == true {
                outcome.stoppedBefore = stage
                break
            }
            observer.willRun(stage)
            do { _ = try runNext(cancel: cancel, onText: observer.text) } catch {
                observer.failed(stage, error)
                throw error
            }
            outcome.ran.append(stage)
            observer.didRun(stage)
        }
        return outcome
    }
}
