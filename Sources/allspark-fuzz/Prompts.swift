#if ALLSPARK_FUZZ
import AllSpark

extension FuzzTarget {
    /// A prompt file (one prompt per line, # comments, {labels} placeholders).
    static let prompts = FuzzTarget(name: "prompts", maxLength: 4096) { bytes in
        _ = try PromptLibrary.load(modality: .rgb, file: FuzzFile.write(bytes, extension: "txt"), labels: ["forest", "river"],
                                   includingUser: false)
    }
}
#endif
