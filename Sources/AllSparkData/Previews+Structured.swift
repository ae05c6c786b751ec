extension SamplePreviews {
    /// The preview of a text, code, table, trajectory, graph or point-cloud sample, within
    /// `options.width` × `options.height` cells; nil for the other modalities.
    public static func structuredPreview(_ sample: Sample, options: Preview.Options) -> Preview? {
        switch sample.content {
        case .text: return TextPreview.preview(sample, options: options)
        case .code: return CodePreview.preview(sample, options: options)
        case .tableRow: return TablePreview.preview(sample, options: options)
        case .trajectory: return TrajectoryPreview.preview(sample, options: options)
        case .graph: return GraphPreview.preview(sample, options: options)
        case .pointCloud: return PointCloudPreview.preview(sample, options: options)
        default: return nil
        }
    }
}
