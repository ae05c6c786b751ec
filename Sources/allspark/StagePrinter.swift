import AllSpark
import AllSparkTUI

/// Prints a pipeline run for people, one block per stage. The text itself is `StageReport`'s,
/// shared with the REPL's `show`.
struct StagePrinter {
    let session: PipelineSession

    private var report: StageReport { StageReport(session: session) }

    func header() { report.header().forEach { Swift.print($0) } }

    func footer() { report.footer().forEach { Swift.print($0) } }

    func show(_ stage: PipelineStage) { report.block(stage).forEach { Swift.print($0) } }
}
