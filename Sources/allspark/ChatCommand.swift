import ArgumentParser
import Foundation
import SparkLM

/// `allspark chat`: talk to the language model on its own, turn by turn, with streaming and timings.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the language model alone (no modality), with streaming and timings.",
        discussion: """
            Reads one message per line from standard input and streams the reply; the conversation \
            is kept (ChatML turns) until /reset. After each reply it prints the prefill and decode \
            speeds. Ctrl-C stops a reply; Ctrl-C again (or at the prompt), Ctrl-D or /quit ends. \
            With --prompt, sends one message, prints the reply and exits.
            """)

    @Option(help: "The GGUF model to run.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(help: "The system message (default: the model's chat template default).")
    var system: String?

    @Option(name: .customLong("max-tokens"), help: "Most tokens per reply.")
    var maxTokens = 256

    @Option(help: "Send this one message, print the reply and exit.")
    var prompt: String?

    @Flag(help: "Do not print timings after each reply.")
    var quiet = false

    @OptionGroup var sampling: SamplingOptions

    func run() throws {
        let watcher = InterruptWatcher()
        let lm = try reportingErrors("chat") { try LanguageModel(path: model) }
        let settings = try reportingErrors("chat") { try sampling.settings }
        var messages: [ChatMessage] = system.map { [.system($0)] } ?? []
        let interactive = prompt == nil
        if interactive {
            print("\(lm.displayName) — \(lm.provenance). Sampling: \(settings.summary). /reset, /quit, Ctrl-C stops a reply.")
        }
        while true {
            let line: String
            if let prompt { line = prompt } else {
                print("> ", terminator: ""); fflush(stdout)
                guard let input = readLine() else { print(); return }
                line = input
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text == "/quit" { return }
            if text == "/reset" { messages = system.map { [.system($0)] } ?? []; print("(conversation cleared)"); continue }
            if text.isEmpty { continue }
            messages.append(.user(text))
            let ids = lm.tokenizer.encode(lm.template.render(messages, addGenerationPrompt: true), parseSpecial: true)
            let reply = try reportingErrors("chat") {
                try watcher.generation { cancel in
                    try lm.generate(prompt: ids.map { .token($0) }, settings: settings, maxTokens: maxTokens, cancel: cancel) { piece, _ in
                        print(piece, terminator: ""); fflush(stdout)
                    }
                }
            }
            print()
            messages.append(.assistant(reply.text))
            if !quiet {
                let r = reply.result
                let timing = String(format: "[prompt %d tokens, %.1f tokens/s · reply %d tokens, %.1f tokens/s · %@]",
                                    r.promptLength, r.prefillTokensPerSecond, r.tokens.count, r.decodeTokensPerSecond, r.stopReason.rawValue)
                FileHandle.standardError.write(Data((timing + "\n").utf8))
            }
            if !interactive { return }
        }
    }
}
