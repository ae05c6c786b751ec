import AllSparkData

/// The modality list's rows: a heading per dimension group (1D, 2D, 3D, as in the paper's
/// Table 2), then that group's modalities in the project's order.
public enum ModalityList {
    public static let entries: [(heading: Modality.Dimension?, modality: Modality?)] = {
        var rows: [(Modality.Dimension?, Modality?)] = []
        for dimension in Modality.Dimension.allCases {
            rows.append((dimension, nil))
            rows += Modality.allCases.filter { $0.dimension == dimension }.map { (nil, $0) }
        }
        return rows
    }()

    /// `sampleCounts` are shown beside each modality; a modality without an entry shows none
    /// (no folder), so "0" means an empty folder.
    public static func rows(sampleCounts: [Modality: Int]) -> [ListView.Row] {
        entries.map { entry in
            if let heading = entry.heading {
                return ListView.Row(heading.rawValue, selectable: false, style: CellStyle(attributes: .bold))
            }
            let modality = entry.modality!
            return ListView.Row(modality.displayName, detail: sampleCounts[modality].map(String.init) ?? "")
        }
    }

    public static func modality(atRow row: Int) -> Modality? {
        entries.indices.contains(row) ? entries[row].modality : nil
    }

    public static func row(of modality: Modality) -> Int {
        entries.firstIndex { $0.modality == modality }!
    }
}
