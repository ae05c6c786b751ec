extension SampleLoaders {
    /// Loaders for text, code, table, trajectory, graph and pointcloud.
    static var structuredLoaders: [any SampleLoader] {
        [TextLoader(), CodeLoader(), TableLoader(), TrajectoryLoader(), GraphLoader(), PointCloudLoader()]
    }
}

extension SyntheticGenerators {
    /// Generators for text, code, table, trajectory, graph and pointcloud.
    static var structuredGenerators: [any SyntheticGenerator] {
        [SocialForceTrajectoryGenerator(), TrafficGenerator(), PointCloudShapeGenerator()]
    }
}
