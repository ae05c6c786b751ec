/// Names in the parameter tree are PyTorch-style dotted paths (`encoders.rgb.blocks.3.attn.qkv.weight`).
/// A *module* is the first two components (`encoders.rgb`, `bridges.rgb`, `heads.rgb`,
/// `llm.adapters`): the unit a checkpoint covers, a count is given for, and training freezes.
public enum ParameterName {
    /// The module a parameter belongs to: its first two dotted components (the whole name if it
    /// has fewer).
    public static func module(of name: String) -> String {
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count >= 2 ? "\(parts[0]).\(parts[1])" : name
    }

    /// Whether `name` lies under `prefix`, matched on whole components (`heads.rgb` covers
    /// `heads.rgb.weight` but not `heads.rgb2.weight`). The empty prefix covers everything.
    public static func isUnder(_ name: String, prefix: String) -> Bool {
        if prefix.isEmpty { return true }
        let trimmed = prefix.hasSuffix(".") ? String(prefix.dropLast()) : prefix
        return name == trimmed || name.hasPrefix(trimmed + ".")
    }

    /// The shared Lynx adapters' module.
    public static let sharedAdapters = "llm.adapters"

    /// The module of `modality`'s own Lynx adapter set (used when its section says `ownAdapters`).
    public static func ownAdapters(ofModality modality: String) -> String { "adapters.\(modality)" }

    /// The modules of every component of `modality`: its encoder, bridge and head.
    public static func modules(ofModality modality: String) -> [String] {
        ["encoders.\(modality)", "bridges.\(modality)", "heads.\(modality)"]
    }
}
