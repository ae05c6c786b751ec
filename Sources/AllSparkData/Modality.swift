/// The 13 modalities of AllSpark. The raw values are the identifiers used on the command line,
/// in configuration keys, checkpoint names and the `prompts/` and `samples/` folder names.
public enum Modality: String, CaseIterable, Codable, Sendable, Comparable {
    case text, code, rgb, msi, hsi, table, trajectory, sar, infrared, graph, oblique, video, pointcloud

    /// How the paper groups the modalities (Table 2): by the dimensionality of the data.
    public enum Dimension: String, Sendable, CaseIterable {
        case oneD = "1D", twoD = "2D", threeD = "3D"
    }

    public var dimension: Dimension {
        switch self {
        case .text, .code: return .oneD
        case .video, .pointcloud: return .threeD
        default: return .twoD
        }
    }

    /// A name for people ("Point cloud", "Oblique photography").
    public var displayName: String {
        switch self {
        case .text: return "Text"
        case .code: return "Code"
        case .rgb: return "RGB"
        case .msi: return "Multispectral (MSI)"
        case .hsi: return "Hyperspectral (HSI)"
        case .table: return "Table"
        case .trajectory: return "Trajectory"
        case .sar: return "SAR"
        case .infrared: return "Infrared"
        case .graph: return "Graph"
        case .oblique: return "Oblique photography"
        case .video: return "Video"
        case .pointcloud: return "Point cloud"
        }
    }

    /// Text and code are read by the language model's own tokenizer; every other modality
    /// goes through an encoder and a bridge.
    public var usesTokenizer: Bool { self == .text || self == .code }

    public static func < (a: Modality, b: Modality) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parses a command-line identifier; the error lists the allowed values.
    public static func parse(_ text: String) throws -> Modality {
        guard let m = Modality(rawValue: text.lowercased()) else {
            throw DataError.invalidArgument("unknown modality '\(text)'; expected one of: "
                + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return m
    }
}
