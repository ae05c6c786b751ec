extension SampleLoaders {
    /// Loaders for text, code, table, trajectory, graph and pointcloud.
    static var structuredLoaders: [any SampleLoader] { [] }
}

extension SyntheticGenerators {
    /// Generators for text, code, table, trajectory, graph and pointcloud.
    static var structuredGenerators: [any SyntheticGenerator] { [] }
}
