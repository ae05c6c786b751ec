import AllSpark
import AllSparkData

/// How the interface gets its pipeline: the configuration is read at start (a small file, on the
/// main thread, so prompts can be shown at once); the driver — the language model and a session —
/// is built in a background job.
public struct PipelineFactory: Sendable {
    public var loadConfiguration: @Sendable () throws -> AllSparkConfiguration
    public var makeDriver: @Sendable (AllSparkConfiguration, Modality) throws -> PipelineDriver

    public init(loadConfiguration: @escaping @Sendable () throws -> AllSparkConfiguration,
                makeDriver: @escaping @Sendable (AllSparkConfiguration, Modality) throws -> PipelineDriver) {
        self.loadConfiguration = loadConfiguration; self.makeDriver = makeDriver
    }

    /// The real model, from the configuration file at `path`.
    public static func model(configurationPath: String) -> PipelineFactory {
        PipelineFactory(loadConfiguration: { try AllSparkConfiguration.load(path: configurationPath) },
                        makeDriver: { configuration, modality in try SessionDriver(configuration: configuration, modality: modality) })
    }
}

/// Hands the driver to job threads. The job runner runs one job at a time and the driver is only
/// used inside jobs, so it is never used from two threads at once.
final class DriverBox: @unchecked Sendable {
    let driver: PipelineDriver
    init(_ driver: PipelineDriver) { self.driver = driver }
}
