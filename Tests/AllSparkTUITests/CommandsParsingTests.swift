import AllSpark
import AllSparkData
import SparkLM
import Testing
@testable import AllSparkTUI

/// The interpreter's command language: words, every command's forms, and the messages for
/// mistakes. No model is needed.
struct CommandsParsingTests {
    func parse(_ line: String) throws -> InterpreterCommand { try InterpreterCommand.parse(line) }

    /// The message of the error `line` gives, or a failed expectation.
    func message(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            let command = try parse(line)
            Issue.record("expected an error for '\(line)', got \(command)", sourceLocation: sourceLocation)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func wordsSplitOnSpacesWithQuotesAndBackslashes() throws {
        #expect(try CommandWords.split("  sample   samples/rgb/a.png ") == ["sample", "samples/rgb/a.png"])
        #expect(try CommandWords.split("compare prompts \"what is here?\" 'it''s'") == ["compare", "prompts", "what is here?", "its"])
        #expect(try CommandWords.split("save my\\ trace.json") == ["save", "my trace.json"])
        #expect(try CommandWords.split("a \"say \\\"hi\\\"\"") == ["a", "say \"hi\""])
        #expect(try CommandWords.split("x ''") == ["x", ""])
        #expect(try CommandWords.split("\t") == [])
        #expect(throws: InterpreterError.self) { try CommandWords.split("save \"open") }
        #expect(throws: InterpreterError.self) { try CommandWords.split("save x\\") }
    }

    @Test func remainderKeepsTheTextAsTyped() {
        #expect(CommandWords.remainder(of: "prompt set What's in \"this\" image?  ", afterWords: 2) == "What's in \"this\" image?")
        #expect(CommandWords.remainder(of: "  prompt   set   a  b", afterWords: 2) == "a  b")
        #expect(CommandWords.remainder(of: "prompt set", afterWords: 2) == "")
    }

    @Test func everyCommandParses() throws {
        #expect(try parse("help") == .help(topic: nil))
        #expect(try parse("? run") == .help(topic: "run"))
        #expect(try parse("quit") == .quit)
        #expect(try parse("EXIT") == .quit)
        #expect(try parse("status") == .status)
        #expect(try parse("modality") == .modality(nil))
        #expect(try parse("modality RGB") == .modality(.rgb))
        #expect(try parse("samples") == .samples)
        #expect(try parse("sample 2") == .sample(.listed(2)))
        #expect(try parse("sample samples/trajectory/eth.txt#pedestrian=3&start=120")
                == .sample(.path(SampleReference(path: "samples/trajectory/eth.txt", options: ["pedestrian": "3", "start": "120"]))))
        #expect(try parse("sample ./2") == .sample(.path(SampleReference(path: "./2"))))
        #expect(try parse("prompts") == .prompts)
        #expect(try parse("prompt") == .showPrompt)
        #expect(try parse("prompt 3") == .selectPrompt(3))
        #expect(try parse("prompt set Is there a \"river\"? It's wide.") == .setPrompt("Is there a \"river\"? It's wide."))
        #expect(try parse("prompt save") == .savePrompt)
        #expect(try parse("step") == .step)
        #expect(try parse("run") == .run(through: nil))
        #expect(try parse("run language-model") == .run(through: .languageModel))
        #expect(try parse("run lm") == .run(through: .languageModel))
        #expect(try parse("show") == .show(nil))
        #expect(try parse("show bridge") == .show(.bridge))
        #expect(try parse("save out/trace.json") == .save(path: "out/trace.json"))
        #expect(try parse("export encoder 'my dir'") == .export(stage: .encoder, directory: "my dir"))
    }

    @Test func generateTakesACountAndSamplingOptions() throws {
        #expect(try parse("generate") == .generate(maxTokens: nil, sampling: SamplingOverrides()))
        var expected = SamplingOverrides()
        expected.temperature = 0.7
        expected.topK = 20
        expected.topP = 0.9
        expected.minP = 0.1
        expected.repeatPenalty = 1.1
        expected.seed = 7
        #expect(try parse("generate 16 --temp 0.7 --top-k=20 --top-p 0.9 --min-p 0.1 --repeat-penalty 1.1 --seed 7")
                == .generate(maxTokens: 16, sampling: expected))
        #expect(try parse("generate --seed 7 --temp 0.7 --top-k 20 --top-p=0.9 --min-p 0.1 --repeat-penalty=1.1")
                == .generate(maxTokens: nil, sampling: expected))
    }

    @Test func samplingOverridesApplyAndAreChecked() throws {
        var overrides = SamplingOverrides()
        overrides.temperature = 0.5
        overrides.seed = 3
        let settings = try overrides.applied(to: .greedy)
        #expect(settings.temperature == 0.5 && settings.seed == 3)
        #expect(settings.topK == SamplingSettings.greedy.topK, "settings not given are kept")
        overrides.topP = 1.5
        #expect(throws: InterpreterError.self) { try overrides.applied(to: .greedy) }
    }

    @Test func compareTakesPromptsOrSamples() throws {
        #expect(try parse("compare prompts 1 2") == .compare(.prompts(.number(1), .number(2)), generate: false))
        #expect(try parse("compare prompts 1 \"Is it a lake?\" --generate")
                == .compare(.prompts(.number(1), .text("Is it a lake?")), generate: true))
        #expect(try parse("compare samples 1 samples/rgb/b.png")
                == .compare(.samples(.listed(1), .path(SampleReference(path: "samples/rgb/b.png"))), generate: false))
    }

    @Test func longRunningCommandsAreMarked() throws {
        for line in ["step", "run", "generate 4", "compare prompts 1 2", "export head out"] {
            #expect(try parse(line).isLongRunning, "\(line)")
        }
        for line in ["help", "samples", "sample 1", "prompt 2", "show", "save t.json", "status", "quit", "modality text"] {
            #expect(try !parse(line).isLongRunning, "\(line)")
        }
    }

    /// Each mistake gets a message that names what was wrong and what is accepted.
    @Test(arguments: [
        ("", "empty command"),
        ("rn", "did you mean 'run'"),
        ("sampels", "did you mean 'samples'"),
        ("frobnicate", "unknown command 'frobnicate'"),
        ("help frob", "no command 'frob'"),
        ("modality lidar", "unknown modality 'lidar'; expected one of: text, code, rgb"),
        ("modality rgb text", "modality takes at most 1 argument, got 2"),
        ("sample", "sample takes 1 argument, got 0"),
        ("sample 0", "sample numbers start at 1"),
        ("sample a.txt#pedestrian", "is not key=value"),
        ("prompt 0", "prompt numbers start at 1"),
        ("prompt two", "usage: prompt [N | set TEXT | save]"),
        ("prompt set   ", "prompt set needs the prompt's text"),
        ("prompt save now", "prompt save takes no arguments"),
        ("run decoder", "unknown stage 'decoder'; stages: sample, encoder, bridge, prompt, sequence, language-model, head, generation"),
        ("show head extra", "show takes at most 1 argument"),
        ("generate 0", "must be 1…8192, got 0"),
        ("generate 10 20", "got '20'"),
        ("generate --temp", "--temp needs a value"),
        ("generate --temp hot", "--temp needs a number, got 'hot'"),
        ("generate --top-k=-", "--top-k needs a number"),
        ("generate --beam 4", "unknown option '--beam'; generate takes --temp, --top-k"),
        ("generate --seed -1", "--seed needs a number, got '-1'"),
        ("compare prompts 1", "usage: compare prompts A B"),
        ("compare models 1 2", "compare what: 'prompts' or 'samples', got 'models'"),
        ("compare prompts 0 1", "prompt numbers start at 1"),
        ("save", "save takes 1 argument, got 0"),
        ("export head", "export takes 2 arguments, got 1"),
        ("export heads out", "unknown stage 'heads'"),
        ("save \"unterminated", "unterminated \" quote"),
        ("quit now", "quit takes 0 arguments"),
    ])
    func mistakesAreExplained(line: String, expected: String) {
        let text = message(line)
        #expect(text.contains(expected), "'\(line)' gave: \(text)")
    }

    @Test func helpListsEveryCommandAndExplainsEach() throws {
        let overview = CommandCatalog.overview().joined(separator: "\n")
        for spec in CommandCatalog.specs {
            #expect(overview.contains(spec.summary), "\(spec.name) missing from help")
            // Every listed command is one the parser accepts (with its simplest arguments).
            #expect(CommandCatalog.spec(named: spec.name)?.name == spec.name)
            let help = CommandCatalog.help(for: spec)
            #expect(help.first == "usage: " + spec.usage)
        }
        #expect(CommandCatalog.help(for: CommandCatalog.spec(named: "q")!).last == "  also: exit, q")
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(CommandCatalog.editDistance("", "run") == 3)
        #expect(CommandCatalog.editDistance("run", "") == 3)
        #expect(CommandCatalog.editDistance("run", "run") == 0)
        #expect(CommandCatalog.editDistance("rn", "run") == 1)
        #expect(CommandCatalog.editDistance("sampels", "samples") == 2)
        #expect(CommandCatalog.editDistance("kitten", "sitting") == 3)
    }
}
