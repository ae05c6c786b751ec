import AllSpark
import AllSparkData
import SparkLM

/// A sample named on a command line: the n-th sample of the modality's list (`sample 2`) or a path
/// with optional loader options (`sample samples/trajectory/eth.txt#pedestrian=3`).
public enum SampleChoice: Equatable, Sendable {
    case listed(Int)
    case path(SampleReference)

    static func parse(_ word: String) throws -> SampleChoice {
        if let number = Int(word) {
            guard number >= 1 else { throw InterpreterError("sample numbers start at 1 (see `samples`), got \(number)") }
            return .listed(number)
        }
        do { return .path(try SampleReference(parsing: word)) } catch { throw InterpreterError("\(error)") }
    }
}

/// A prompt named on a command line: a number of the modality's list or a text.
public enum PromptChoice: Equatable, Sendable {
    case number(Int)
    case text(String)

    static func parse(_ word: String) throws -> PromptChoice {
        if let number = Int(word) {
            guard number >= 1 else { throw InterpreterError("prompt numbers start at 1 (see `prompts`), got \(number)") }
            return .number(number)
        }
        return .text(word)
    }
}

/// Sampling settings given on a `generate` line; nil keeps the session's current value.
public struct SamplingOverrides: Equatable, Sendable {
    public var temperature: Float?
    public var topK: Int?
    public var topP: Float?
    public var minP: Float?
    public var repeatPenalty: Float?
    public var seed: UInt64?

    public init() {}

    /// The flags, named as in llama.cpp's CLI and `allspark run`.
    public static let flags = ["--temp", "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--seed"]

    /// `settings` with these overrides, checked (the error names the setting and its range).
    public func applied(to settings: SamplingSettings) throws -> SamplingSettings {
        var s = settings
        if let temperature { s.temperature = temperature }
        if let topK { s.topK = topK }
        if let topP { s.topP = topP }
        if let minP { s.minP = minP }
        if let repeatPenalty { s.repetitionPenalty = repeatPenalty }
        if let seed { s.seed = seed }
        do { return try s.validated() } catch { throw InterpreterError("\(error)") }
    }

    /// Reads `--flag value` or `--flag=value` pairs.
    mutating func parse(flag: String, value: String) throws {
        func number<T: LosslessStringConvertible>(_ type: T.Type) throws -> T {
            guard let v = T(value) else { throw InterpreterError("\(flag) needs a number, got '\(value)'") }
            return v
        }
        switch flag {
        case "--temp": temperature = try number(Float.self)
        case "--top-k": topK = try number(Int.self)
        case "--top-p": topP = try number(Float.self)
        case "--min-p": minP = try number(Float.self)
        case "--repeat-penalty": repeatPenalty = try number(Float.self)
        case "--seed": seed = try number(UInt64.self)
        default:
            throw InterpreterError("unknown option '\(flag)'; generate takes " + Self.flags.joined(separator: ", "))
        }
    }
}

/// One parsed command line. `InterpreterCommand.parse` turns text into this; `CommandInterpreter`
/// carries it out. A front end that runs long commands in the background can parse first (errors
/// at once, on its own thread) and ask `isLongRunning`.
public enum InterpreterCommand: Equatable, Sendable {
    public enum Comparison: Equatable, Sendable {
        case prompts(PromptChoice, PromptChoice)
        case samples(SampleChoice, SampleChoice)
    }

    case help(topic: String?)
    case quit
    case status
    case modality(Modality?)
    case samples
    case sample(SampleChoice)
    case prompts
    case showPrompt
    case selectPrompt(Int)
    case setPrompt(String)
    case savePrompt
    case step
    case run(through: PipelineStage?)
    case show(PipelineStage?)
    case generate(maxTokens: Int?, sampling: SamplingOverrides)
    case compare(Comparison, generate: Bool)
    case save(path: String)
    case export(stage: PipelineStage, directory: String)

    /// Commands that run model stages (seconds, cancellable) rather than answer at once.
    public var isLongRunning: Bool {
        switch self {
        case .step, .run, .generate, .compare, .export: return true
        default: return false
        }
    }

    /// The largest `generate N` accepted; the context limit is checked when generating.
    public static let maximumNewTokens = 8192

    public static func parse(_ line: String) throws -> InterpreterCommand {
        // `prompt set` takes the rest of the line as typed, so its quotes are not parsed as words'.
        let plain = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        if plain.count >= 2, plain[0] == "prompt", plain[1] == "set", let spec = CommandCatalog.spec(named: "prompt") {
            return try parsePrompt(line, ["set"], spec)
        }
        let words = try CommandWords.split(line)
        guard let first = words.first else { throw InterpreterError("empty command; type help for the list of commands") }
        guard let spec = CommandCatalog.spec(named: first) else {
            var message = "unknown command '\(first)'"
            if let near = CommandCatalog.nearest(to: first) { message += "; did you mean '\(near)'?" }
            throw InterpreterError(message + " Type help for the list of commands.")
        }
        let arguments = Array(words.dropFirst())
        func count(_ allowed: ClosedRange<Int>) throws {
            guard !allowed.contains(arguments.count) else { return }
            let expected: String
            switch (allowed.lowerBound, allowed.upperBound) {
            case (let n, let m) where n == m: expected = "\(n) argument\(n == 1 ? "" : "s")"
            case (0, let m): expected = "at most \(m) argument\(m == 1 ? "" : "s")"
            case (let n, let m): expected = "\(n) to \(m) arguments"
            }
            throw InterpreterError("\(spec.name) takes \(expected), got \(arguments.count); usage: \(spec.usage)")
        }
        switch spec.name {
        case "help":
            try count(0...1)
            if let topic = arguments.first, CommandCatalog.spec(named: topic) == nil {
                throw InterpreterError("no command '\(topic)'; commands: " + CommandCatalog.names.joined(separator: ", "))
            }
            return .help(topic: arguments.first.flatMap { CommandCatalog.spec(named: $0)?.name })
        case "quit": try count(0...0); return .quit
        case "status": try count(0...0); return .status
        case "modality":
            try count(0...1)
            guard let name = arguments.first else { return .modality(nil) }
            do { return .modality(try Modality.parse(name)) } catch { throw InterpreterError("\(error)") }
        case "samples": try count(0...0); return .samples
        case "sample":
            try count(1...1)
            return .sample(try SampleChoice.parse(arguments[0]))
        case "prompts": try count(0...0); return .prompts
        case "prompt": return try parsePrompt(line, arguments, spec)
        case "step": try count(0...0); return .step
        case "run":
            try count(0...1)
            return .run(through: try arguments.first.map(parseStage))
        case "show":
            try count(0...1)
            return .show(try arguments.first.map(parseStage))
        case "generate": return try parseGenerate(arguments)
        case "compare": return try parseCompare(arguments, spec)
        case "save":
            try count(1...1)
            return .save(path: arguments[0])
        case "export":
            try count(2...2)
            return .export(stage: try parseStage(arguments[0]), directory: arguments[1])
        default:
            preconditionFailure("CommandCatalog lists '\(spec.name)' but the parser does not know it")
        }
    }

    static func parseStage(_ word: String) throws -> PipelineStage {
        if let stage = PipelineStage.parse(word) { return stage }
        if word.lowercased() == "lm" { return .languageModel }
        throw InterpreterError("unknown stage '\(word)'; stages: " + PipelineStage.allCases.map(\.identifier).joined(separator: ", "))
    }

    private static func parsePrompt(_ line: String, _ arguments: [String], _ spec: CommandSpec) throws -> InterpreterCommand {
        guard let first = arguments.first else { return .showPrompt }
        switch first.lowercased() {
        case "set":
            // The rest of the line as typed: prompts have apostrophes and quotes of their own.
            let text = CommandWords.remainder(of: line, afterWords: 2)
            guard !text.isEmpty else { throw InterpreterError("prompt set needs the prompt's text: prompt set Describe this image.") }
            return .setPrompt(text)
        case "save":
            guard arguments.count == 1 else { throw InterpreterError("prompt save takes no arguments (it saves the current prompt)") }
            return .savePrompt
        default:
            guard arguments.count == 1, let number = Int(first) else {
                throw InterpreterError("usage: \(spec.usage)")
            }
            guard number >= 1 else { throw InterpreterError("prompt numbers start at 1 (see `prompts`), got \(number)") }
            return .selectPrompt(number)
        }
    }

    private static func parseGenerate(_ arguments: [String]) throws -> InterpreterCommand {
        var maxTokens: Int?
        var overrides = SamplingOverrides()
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("--") {
                if let eq = word.firstIndex(of: "=") {
                    try overrides.parse(flag: String(word[..<eq]), value: String(word[word.index(after: eq)...]))
                    index += 1
                } else {
                    guard SamplingOverrides.flags.contains(word) else {
                        throw InterpreterError("unknown option '\(word)'; generate takes " + SamplingOverrides.flags.joined(separator: ", "))
                    }
                    guard index + 1 < arguments.count else { throw InterpreterError("\(word) needs a value") }
                    try overrides.parse(flag: word, value: arguments[index + 1])
                    index += 2
                }
            } else {
                guard maxTokens == nil, let n = Int(word) else {
                    throw InterpreterError("generate takes one number of tokens and --options, got '\(word)'")
                }
                guard (1...maximumNewTokens).contains(n) else {
                    throw InterpreterError("the number of tokens to generate must be 1…\(maximumNewTokens), got \(n)")
                }
                maxTokens = n
                index += 1
            }
        }
        return .generate(maxTokens: maxTokens, sampling: overrides)
    }

    private static func parseCompare(_ arguments: [String], _ spec: CommandSpec) throws -> InterpreterCommand {
        var words = arguments
        let generate = words.last == "--generate"
        if generate { words.removeLast() }
        guard words.count == 3 else { throw InterpreterError("usage: \(spec.usage)") }
        switch words[0].lowercased() {
        case "prompts", "prompt":
            return .compare(.prompts(try PromptChoice.parse(words[1]), try PromptChoice.parse(words[2])), generate: generate)
        case "samples", "sample":
            return .compare(.samples(try SampleChoice.parse(words[1]), try SampleChoice.parse(words[2])), generate: generate)
        default:
            throw InterpreterError("compare what: 'prompts' or 'samples', got '\(words[0])'; usage: \(spec.usage)")
        }
    }
}
