#if ALLSPARK_FUZZ
import SparkFormats
import SparkLM

extension FuzzTarget {
    /// The tokenizer a GGUF file's metadata describes (vocabulary, merges, token types, special
    /// ids, pre-tokenizer), then a fixed text encoded and decoded with it.
    static let tokenizer = FuzzTarget(name: "tokenizer", maxLength: 32 << 10) { bytes in
        let file = try GGUFFile(path: FuzzFile.write(bytes, extension: "gguf"))
        let tokenizer = try BPETokenizer(gguf: file)
        let ids = tokenizer.encode("Hello, wörld! <|im_start|>user 12345\n", parseSpecial: true, addSpecialTokens: true)
        _ = tokenizer.decode(ids)
    }
}
#endif
