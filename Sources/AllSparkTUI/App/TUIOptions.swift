/// How the interface is started (from the command line).
public struct TUIOptions: Sendable {
    /// `--no-color`: draw without colours (as `NO_COLOR` does).
    public var noColor: Bool
    /// `--ascii`: no box drawing, half blocks or braille.
    public var ascii: Bool
    /// Where `<modality>/` sample folders are looked for.
    public var samplesDirectory: String
    /// The model configuration (JSON).
    public var configurationPath: String
    /// `--prompt-dir`: where the user's own prompts are read and saved (nil: the standard place).
    public var promptUserDirectory: String?
    public var environment: [String: String]

    public init(noColor: Bool = false, ascii: Bool = false, samplesDirectory: String = "samples",
                configurationPath: String = "configs/allspark-tiny.json", promptUserDirectory: String? = nil,
                environment: [String: String] = [:]) {
        self.noColor = noColor; self.ascii = ascii; self.samplesDirectory = samplesDirectory
        self.configurationPath = configurationPath; self.promptUserDirectory = promptUserDirectory
        self.environment = environment
    }
}

/// The interface could not start; the message says why and what to use instead.
public struct TUIUnavailable: Error, CustomStringConvertible {
    public var description: String
}
