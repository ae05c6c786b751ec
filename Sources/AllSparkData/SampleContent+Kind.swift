extension SampleContent {
    /// A short name of the content's kind, for error messages ("an image", "a point cloud").
    public var kindName: String {
        switch self {
        case .text: return "text"
        case .code: return "code"
        case .image: return "an image"
        case .multispectral: return "a multispectral image"
        case .spectrum: return "a spectrum"
        case .tableRow: return "a table row"
        case .trajectory: return "a trajectory"
        case .sar: return "a SAR image"
        case .infrared: return "an infrared query with a gallery"
        case .graph: return "a traffic graph"
        case .oblique: return "oblique views"
        case .video: return "a video"
        case .pointCloud: return "a point cloud"
        }
    }
}
