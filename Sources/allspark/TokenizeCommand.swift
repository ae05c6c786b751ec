import ArgumentParser
import Foundation
import SparkFormats
import SparkLM

/// `allspark tokenize TEXT`: how the model's tokenizer splits a text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the token ids and pieces of a text under a model's tokenizer.",
        discussion: """
            Prints one line per token: its index, its id and its piece (the text it stands for) in \
            quotes, with control characters escaped (\\n, \\t, \\u{1B}) and bytes that are only part \
            of a character shown as \\xHH. A missing or malformed model file is reported on \
            standard error, naming the field at fault, and the exit status is 1. Special-token texts such as <|im_start|> become their ids \
            unless --no-special. No BOS is added unless the model asks for one. With --json, prints \
            an object with the ids and, per token, the piece and its exact bytes.
            """)

    @Option(help: "The GGUF model whose tokenizer to use.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Flag(name: .customLong("no-special"), help: "Treat special-token texts (<|im_start|> …) as ordinary text.")
    var noSpecial = false

    @Flag(help: "Print JSON for scripts.")
    var json = false

    @Argument(help: "The text to tokenize; - reads standard input.")
    var text: String

    func run() throws {
        let tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer(gguf: GGUFFile(path: model))
        } catch let error as FormatError {
            FileHandle.standardError.write(Data("allspark tokenize: \(readableError(error))\n".utf8))
            throw ExitCode.failure
        } catch let error as TokenizerError {
            FileHandle.standardError.write(Data("allspark tokenize: \(readableError(error))\n".utf8))
            throw ExitCode.failure
        }
        let input = text == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : text
        let ids = tokenizer.encode(input, parseSpecial: !noSpecial, addSpecialTokens: true)
        // An empty text has no tokens; say so (on standard error, so the output stays one line per token).
        if ids.isEmpty && !json { FileHandle.standardError.write(Data("allspark tokenize: no tokens (the text is empty)\n".utf8)) }
        print(json ? jsonReport(ids, tokenizer) : textReport(ids, tokenizer), terminator: "")
    }

    private func textReport(_ ids: [Int32], _ tokenizer: BPETokenizer) -> String {
        let indexWidth = String(max(ids.count - 1, 0)).count
        let idWidth = String(tokenizer.vocabularySize - 1).count
        var out = ""
        for (index, id) in ids.enumerated() {
            let piece = PieceDisplay.escaped(tokenizer.pieceBytes(id))
            out += "\(padded(index, indexWidth))  \(padded(Int(id), idWidth))  \"\(piece)\"\n"
        }
        return out
    }

    private func jsonReport(_ ids: [Int32], _ tokenizer: BPETokenizer) -> String {
        let tokens = ids.enumerated().map { index, id -> String in
            let bytes = tokenizer.pieceBytes(id)
            return "{\"index\": \(index), \"id\": \(id), \"piece\": \(JSONText.string(String(decoding: bytes, as: UTF8.self))), "
                + "\"bytes\": [\(bytes.map(String.init).joined(separator: ", "))]}"
        }
        return """
            {"model": \(JSONText.string(model)), "parse_special": \(!noSpecial), "count": \(ids.count), \
            "ids": [\(ids.map(String.init).joined(separator: ", "))], "tokens": [\(tokens.joined(separator: ", "))]}

            """
    }

    private func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// JSON text for the report (the standard library has no encoder that keeps key order).
enum JSONText {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
