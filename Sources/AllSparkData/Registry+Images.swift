extension SampleLoaders {
    /// Loaders for rgb, msi, hsi, sar, infrared, oblique and video.
    static var imageLoaders: [any SampleLoader] {
        [RGBLoader(), MSILoader(), HSILoader(), SARLoader(), InfraredLoader(), ObliqueLoader(), VideoLoader()]
    }
}

extension SyntheticGenerators {
    /// Generators for rgb, msi, hsi, sar, infrared, oblique and video.
    static var imageGenerators: [any SyntheticGenerator] {
        [RGBSceneGenerator(), MSISceneGenerator(), HSISpectrumGenerator(), SARChipGenerator(), InfraredPairGenerator(), ObliqueSceneGenerator(), VideoClipGenerator()]
    }
}
