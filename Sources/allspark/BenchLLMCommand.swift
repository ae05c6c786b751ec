import ArgumentParser
import Foundation
import SparkEngine
import SparkFormats
import SparkLM

/// `allspark bench llm`: prefill and decode speed of the language model, optionally beside
/// llama.cpp's `llama-bench` on the same file in the same run.
struct BenchLLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Prefill and decode tokens/s of the language model (and llama.cpp's, with --vs).",
        discussion: """
            Prefill: one batched pass over a --prompt-tokens prompt on an empty cache. Decode: \
            --generate tokens one at a time after a short prompt (greedy). Each figure is the median \
            of --repeats runs after a warm-up. With --vs PATH, runs PATH (a llama-bench binary) with \
            -m MODEL -t THREADS -p PROMPT -n GENERATE -o json and prints its figures and the ratios \
            ours/llama.cpp. Also prints the peak resident memory of this process.
            """)

    @Option(help: "The GGUF model.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(help: "Threads for the engine and OpenBLAS.")
    var threads = 2

    @Option(name: .customLong("prompt-tokens"), help: "Prompt length for the prefill measurement.")
    var promptTokens = 128

    @Option(help: "Tokens decoded one at a time for the decode measurement.")
    var generate = 64

    @Option(help: "Repetitions; the median is reported.")
    var repeats = 5

    @Option(help: "Numerics: compatible (llama.cpp's rounding, the default) or reference (Float32).")
    var numerics = "compatible"

    @Option(name: .customLong("vs"), help: "A llama-bench binary to compare with in the same run.")
    var llamaBench: String?

    @Flag(name: .customLong("ggml-layout"),
          help: "Products read the GGUF's own block layout, not the interleaved copies (int8 products, and Float decoding: the layout before 2026-12-07; same results, for comparison).")
    var ggmlLayout = false

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func validate() throws {
        guard threads > 0, promptTokens > 0, generate > 1, repeats > 0 else {
            throw ValidationError("--threads, --prompt-tokens, --repeats must be positive and --generate at least 2")
        }
        guard ["compatible", "reference"].contains(numerics) else {
            throw ValidationError("--numerics must be compatible or reference")
        }
        // Checked before the minute our own measurement takes, not after it.
        if let binary = llamaBench, !FileManager.default.isExecutableFile(atPath: binary) {
            throw ValidationError("--vs \(binary): no executable file there (a llama-bench binary is expected)")
        }
    }

    func run() throws {
        EngineThreads.set(threads)
        WeightMatrix.readsInterleavedCopies = !ggmlLayout
        let lm = try reportingErrors("bench llm") { try LanguageModel(path: model, maxContext: promptTokens + generate + 16) }
        lm.decoder.numerics = numerics == "reference" ? .reference : .llamaCompatible
        let prompt = benchmarkPrompt(lm)
        _ = try lm.decoder.forward(prompt.prefix(16).map { .token($0) }, cache: lm.makeCache())   // warm-up: page in the weights
        var prefill: [Double] = [], decode: [Double] = []
        for _ in 0..<repeats {
            let cache = lm.makeCache()
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try lm.decoder.forward(prompt.map { .token($0) }, cache: cache)
            prefill.append(Double(promptTokens) / seconds(since: t0))

            let decodeCache = lm.makeCache()
            var logits = try lm.decoder.forward(prompt.prefix(8).map { .token($0) }, cache: decodeCache).logits
            let t1 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<generate {
                let next = Sampler<SeededRandomGenerator>.argmax(logits)
                try lm.decoder.decode(next, cache: decodeCache, logits: &logits)
            }
            decode.append(Double(generate) / seconds(since: t1))
        }
        let ours = (prefill: median(prefill), decode: median(decode))
        let reference = try reportingErrors("bench llm") { try llamaBench.map { try runLlamaBench($0) } }
        let peak = peakResidentMegabytes()
        // What the interleaved copies cost: made once, during the first runs above.
        let copies = (megabytes: Double(InterleavedCopy.bytesMade.load(ordering: .relaxed)) / 1_048_576,
                      milliseconds: Double(InterleavedCopy.nanosecondsMaking.load(ordering: .relaxed)) / 1e6)
        if json {
            var object: [String: Any] = ["model": model, "threads": threads, "prompt_tokens": promptTokens, "generate": generate,
                                         "repeats": repeats, "numerics": numerics,
                                         "prefill_tokens_per_second": ours.prefill, "decode_tokens_per_second": ours.decode,
                                         "peak_rss_mb": peak, "int8_products": QuantizedMatrix.IntegerKernel.best.rawValue,
                                         "weight_layout": ggmlLayout ? "ggml" : "interleaved",
                                         "interleaved_copies_mb": copies.megabytes, "interleaved_copies_ms": copies.milliseconds]
            if let reference {
                object["llama_cpp"] = ["prefill_tokens_per_second": reference.prefill, "decode_tokens_per_second": reference.decode]
                object["ratio_prefill"] = ours.prefill / reference.prefill
                object["ratio_decode"] = ours.decode / reference.decode
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("model \(lm.displayName) (\(model)), \(threads) threads, numerics \(numerics), median of \(repeats)")
        print("int8 products: \(QuantizedMatrix.IntegerKernel.best.rawValue), weights \(ggmlLayout ? "in the GGUF's layout" : "interleaved")"
              + String(format: " (copies: %.0f MB, made in %.0f ms)", copies.megabytes, copies.milliseconds))
        print(String(format: "allspark   prefill %4d tokens: %8.1f tokens/s   decode %3d tokens: %7.1f tokens/s",
                     promptTokens, ours.prefill, generate, ours.decode))
        if let reference {
            print(String(format: "llama.cpp  prefill %4d tokens: %8.1f tokens/s   decode %3d tokens: %7.1f tokens/s",
                         promptTokens, reference.prefill, generate, reference.decode))
            print(String(format: "ratio (allspark / llama.cpp)  prefill %.2f   decode %.2f",
                         ours.prefill / reference.prefill, ours.decode / reference.decode))
        }
        print(String(format: "peak resident memory: %.0f MB", peak))
    }

    /// A fixed, ordinary English prompt of exactly `promptTokens` tokens (repeated as needed).
    func benchmarkPrompt(_ lm: LanguageModel) -> [Int32] {
        let text = "The quick brown fox jumps over the lazy dog while the river runs past the old mill, and the "
            + "children count the boats that drift toward the harbour under a pale autumn sky. "
        var ids: [Int32] = []
        while ids.count < promptTokens { ids += lm.tokenizer.encode(text, parseSpecial: false) }
        return Array(ids.prefix(promptTokens))
    }

    func runLlamaBench(_ binary: String) throws -> (prefill: Double, decode: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-m", model, "-t", "\(threads)", "-p", "\(promptTokens)", "-n", "\(generate)",
                             "-r", "\(repeats)", "-o", "json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw CommandFailure("cannot run \(binary): \(readableReason(error))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit else {
            throw CommandFailure("\(binary) \(signalDescription(process.terminationStatus))")
        }
        guard process.terminationStatus == 0,
              let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw CommandFailure("\(binary) exited with status \(process.terminationStatus) or printed no JSON results")
        }
        guard let p = rows.first(where: { ($0["n_prompt"] as? Int ?? 0) > 0 })?["avg_ts"] as? Double,
              let g = rows.first(where: { ($0["n_gen"] as? Int ?? 0) > 0 })?["avg_ts"] as? Double else {
            throw CommandFailure("\(binary)'s JSON has no prompt and generation results (avg_ts)")
        }
        return (p, g)
    }
}

/// Why a child process died, in words: a signal number alone ("status 4") reads like an exit code.
/// SIGILL gets its usual cause: a build for instructions this CPU or its virtual machine does not allow.
func signalDescription(_ signal: Int32) -> String {
    switch signal {
    case SIGILL: return "was killed by signal \(signal) (SIGILL, illegal instruction: it was built for "
        + "instructions this CPU or its virtual machine does not allow; rebuild it for this machine)"
    case SIGSEGV: return "was killed by signal \(signal) (SIGSEGV, a crash)"
    case SIGKILL: return "was killed by signal \(signal) (SIGKILL: out of memory, or stopped by someone)"
    default: return "was killed by signal \(signal)"
    }
}

func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// Peak resident set size of this process (VmHWM), in MB.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
