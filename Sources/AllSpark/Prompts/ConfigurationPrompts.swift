import AllSparkData

extension AllSparkConfiguration {
    /// The prompts of `modality`: its built-in file with `{labels}` expanded from its head's labels,
    /// then the user's own from `promptUserDirectory`. The one way every front end reads prompts,
    /// so a user directory set anywhere is seen everywhere. `includingUser: false` gives the
    /// built-in ones alone (shape reports, which must not depend on who runs them).
    public func prompts(_ modality: Modality, includingUser: Bool = true) throws -> PromptLibrary {
        let section = try self.section(modality)
        return try PromptLibrary.load(modality: modality, file: section.prompts, labels: section.head.labels ?? [],
                                      userDirectory: promptUserDirectory, includingUser: includingUser)
    }
}
