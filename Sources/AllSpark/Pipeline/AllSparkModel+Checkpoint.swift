import AllSparkData

extension AllSparkModel {
    /// What the checkpoint did not match for `modality`'s components (and the adapters): tensors
    /// they asked for that the checkpoint lacks (initialised from the seed instead), and tensors under
    /// their names that nothing asked for (a misspelt name, a different layout). nil without a
    /// checkpoint. Only components already built are checked, so call it after a run.
    public func checkpointReport(for modality: Modality) -> (file: String, missing: [String], unexpected: [String])? {
        guard !configuration.checkpoints.isEmpty else { return nil }
        let file = configuration.checkpoints.joined(separator: ", ")
        let prefixes = ["encoders.\(modality.rawValue).", "bridges.\(modality.rawValue).", "heads.\(modality.rawValue).",
                        ((try? adapterModule(modality)) ?? ParameterName.sharedAdapters) + "."]
        let missing = store.missingFromCheckpoint.filter { name in prefixes.contains { name.hasPrefix($0) } }
        let unexpected = prefixes.flatMap { store.unexpectedInCheckpoint(prefix: $0) }
        return (file, missing, unexpected)
    }

    /// What the checkpoint behind `component`'s module says it was trained on and measured at
    /// ("" when no checkpoint covers it or it says nothing).
    public func trainedSummary(module: String) -> String {
        guard let source = store.checkpoint(covering: module) else { return "" }
        return CheckpointMetadata(dictionary: source.file.metadata).trainedSummary
    }
}
