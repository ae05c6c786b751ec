import AllSpark
import AllSparkData

/// One command as help shows it.
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    public var aliases: [String]
    public var usage: String
    /// One line for the command list.
    public var summary: String
    /// More lines for `help NAME`.
    public var details: [String]
}

/// Every command the interpreter knows: what `help` lists, what the parser accepts and what Tab
/// completes. The REPL and the TUI's `:` line share it.
public enum CommandCatalog {
    public static let specs: [CommandSpec] = [
        CommandSpec(name: "modality", aliases: [], usage: "modality [NAME]",
                    summary: "show the modality, or choose one (its first listed sample is selected)",
                    details: ["Modalities: " + Modality.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                              "Choosing a modality clears every stage and selects its prompt 1."]),
        CommandSpec(name: "samples", aliases: [], usage: "samples",
                    summary: "list the modality's samples (samples/<modality>/index.json), numbered",
                    details: ["The selected sample is marked with *."]),
        CommandSpec(name: "sample", aliases: [], usage: "sample N|PATH",
                    summary: "choose the N-th listed sample, or a file or folder (Tab completes paths)",
                    details: ["A path may carry loader options after '#': samples/trajectory/eth.txt#pedestrian=3&start=120.",
                              "A file named like a number is reached as ./2. Every stage is recomputed."]),
        CommandSpec(name: "prompts", aliases: [], usage: "prompts",
                    summary: "list the modality's prompts (built-in first, then the ones you saved)",
                    details: ["The current prompt is marked with *."]),
        CommandSpec(name: "prompt", aliases: [], usage: "prompt [N | set TEXT | save]",
                    summary: "show the prompt, choose prompt N, type one, or save the typed one",
                    details: ["prompt set takes the rest of the line as it is typed (no quotes needed).",
                              "prompt save appends it to $XDG_STATE_HOME/allspark/prompts/<modality>.txt.",
                              "A new prompt recomputes from the prompt stage on; the encoder and bridge results are kept."]),
        CommandSpec(name: "step", aliases: [], usage: "step",
                    summary: "compute the next stage and show it",
                    details: ["Stages: " + PipelineStage.allCases.map(\.identifier).joined(separator: ", ") + ". Ctrl-C stops a generation."]),
        CommandSpec(name: "run", aliases: [], usage: "run [STAGE]",
                    summary: "compute every stage up to STAGE (default: the head; text and code: the generation)",
                    details: ["Stages already computed are kept; each new one is shown as it finishes. Ctrl-C stops after the current stage."]),
        CommandSpec(name: "show", aliases: [], usage: "show [STAGE]",
                    summary: "show a computed stage in detail (no stage: the list of stages)",
                    details: ["The same per-stage text as `allspark run`, with the stage's details after it."]),
        CommandSpec(name: "generate", aliases: [], usage: "generate [N] [--temp T] [--top-k K] [--top-p P] [--min-p M] [--repeat-penalty R] [--seed S]",
                    summary: "generate N tokens (default: the last N) with these sampling settings",
                    details: ["Settings given are kept for later generations; the same seed gives the same text.",
                              "Runs the stages before generation first if needed. Ctrl-C stops the generation."]),
        CommandSpec(name: "compare", aliases: [], usage: "compare prompts A B | compare samples A B [--generate]",
                    summary: "run two prompts (numbers or quoted texts) or two samples (numbers or paths) side by side",
                    details: ["Runs through the head (and the generation for text and code, or with --generate)",
                              "and lists what differs. The session is left on B."]),
        CommandSpec(name: "status", aliases: [], usage: "status",
                    summary: "show the modality, sample, prompt, stages, sampling settings and provenance",
                    details: []),
        CommandSpec(name: "save", aliases: [], usage: "save FILE.json",
                    summary: "write the trace as JSON (the same as `allspark run --json`)",
                    details: ["Stages not yet computed are left out; run them first."]),
        CommandSpec(name: "export", aliases: [], usage: "export STAGE DIR",
                    summary: "write STAGE's tensors as DIR/<stage>_<name>.npy (running the pipeline up to it if needed)",
                    details: ["Load them with numpy.load; float32, C order, shapes as in `show`."]),
        CommandSpec(name: "help", aliases: ["?", "h"], usage: "help [COMMAND]",
                    summary: "list the commands, or explain one",
                    details: []),
        CommandSpec(name: "quit", aliases: ["exit", "q"], usage: "quit",
                    summary: "leave (Ctrl-D does too)",
                    details: []),
    ]

    public static var names: [String] { specs.map(\.name) }

    public static func spec(named word: String) -> CommandSpec? {
        let lower = word.lowercased()
        return specs.first { $0.name == lower || $0.aliases.contains(lower) }
    }

    /// The command a mistyped word most likely meant (a prefix, or at most two edits away).
    static func nearest(to word: String) -> String? {
        let lower = word.lowercased()
        if let prefixed = names.first(where: { $0.hasPrefix(lower) && !lower.isEmpty }) { return prefixed }
        let scored = names.map { ($0, editDistance(lower, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// `help` without a topic: one line per command.
    public static func overview() -> [String] {
        let width = specs.map(\.usage.count).filter { $0 <= 34 }.max() ?? 20
        var lines = ["Commands (Tab completes commands, modalities, stages and paths):"]
        for spec in specs {
            let usage = spec.usage.count <= 34 ? spec.usage : spec.name + " …"
            lines.append("  " + TextColumns.row([(usage, width), (spec.summary, 0)]))
        }
        lines.append("Ctrl-C stops a running step, run or generation; Ctrl-C again, Ctrl-D or quit leaves.")
        return lines
    }

    /// `help NAME`.
    public static func help(for spec: CommandSpec) -> [String] {
        var lines = ["usage: " + spec.usage, "  " + spec.summary]
        lines += spec.details.map { "  " + $0 }
        if !spec.aliases.isEmpty { lines.append("  also: " + spec.aliases.joined(separator: ", ")) }
        return lines
    }
}
