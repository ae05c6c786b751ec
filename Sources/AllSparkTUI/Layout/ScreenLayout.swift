/// Where everything goes on the main screen, computed from the terminal size alone.
///
/// Rows: a status line at the top, the prompt line and the key-hint bar at the bottom, panes in
/// between. Columns, by width:
/// - 80–119: modalities over samples on the left (26 columns); on the right, the sample and the
///   pipeline side by side above the detail pane;
/// - 120 and more: modalities over samples (28 columns), the sample in a tall middle column, the
///   pipeline above the detail pane on the right.
/// Extra height goes to the sample list, the preview and the detail pane, which can use it;
/// the modality list and the pipeline are never taller than their contents.
public struct ScreenLayout: Equatable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// Rows of the modality list with borders: 13 modalities + 3 group headings + 2.
    static let modalityPaneFullHeight = 18
    /// Rows of the pipeline pane with borders: 8 stages + 2.
    static let stagePaneHeight = 10

    public var width: Int
    public var height: Int
    public var statusLine: Rect
    public var hintBar: Rect
    public var panes: [PaneID: Rect]

    public subscript(pane: PaneID) -> Rect { panes[pane] ?? .zero }

    /// The layout for a terminal of `width × height`, or nil when it is below the minimum.
    /// `detailZoomed` (`z`): the detail pane takes the whole middle; the other panes are hidden.
    public static func compute(width: Int, height: Int, detailZoomed: Bool = false) -> ScreenLayout? {
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        let status = Rect(x: 0, y: 0, width: width, height: 1)
        let hints = Rect(x: 0, y: height - 1, width: width, height: 1)
        let prompt = Rect(x: 0, y: height - 2, width: width, height: 1)
        let middle = Rect(x: 0, y: 1, width: width, height: height - 3)
        if detailZoomed {
            return ScreenLayout(width: width, height: height, statusLine: status, hintBar: hints, panes: [.detail: middle, .prompt: prompt])
        }

        let leftWidth = width >= 120 ? 28 : 26
        let (left, right) = middle.splitLeft(leftWidth)
        // The samples pane keeps at least 6 rows (4 files visible); the modality list scrolls if it must.
        let (modalities, samples) = left.splitTop(min(modalityPaneFullHeight, left.height - 6))

        var panes: [PaneID: Rect] = [.modalities: modalities, .samples: samples, .prompt: prompt]
        if width >= 120 {
            let (sample, pipelineColumn) = right.splitLeft(right.width * 40 / 100)
            let (stages, detail) = pipelineColumn.splitTop(stagePaneHeight)
            panes[.sample] = sample; panes[.stages] = stages; panes[.detail] = detail
        } else {
            let topHeight = max(stagePaneHeight, min(right.height - 8, right.height * 45 / 100))
            let (top, detail) = right.splitTop(topHeight)
            let stagesWidth = min(44, max(34, top.width / 2))
            let (sample, stages) = top.splitLeft(top.width - stagesWidth)
            panes[.sample] = sample; panes[.stages] = stages; panes[.detail] = detail
        }
        return ScreenLayout(width: width, height: height, statusLine: status, hintBar: hints, panes: panes)
    }

    /// The pane under a cell, if any.
    public func pane(atX x: Int, y: Int) -> PaneID? {
        PaneID.allCases.first { self[$0].contains(x: x, y: y) }
    }

    public enum Direction: Sendable { case left, right, up, down }

    /// The pane beside `pane` in `direction`: among panes that lie entirely on that side, the one
    /// sharing the most rows (left/right) or columns (up/down) with it, nearest first on ties.
    public func neighbour(of pane: PaneID, _ direction: Direction) -> PaneID? {
        let from = self[pane]
        var best: (pane: PaneID, overlap: Int, distance: Int)? = nil
        for candidate in PaneID.allCases where candidate != pane {
            let r = self[candidate]
            let overlap: Int, distance: Int
            switch direction {
            case .left: guard r.maxX <= from.x else { continue }
                overlap = min(r.maxY, from.maxY) - max(r.y, from.y); distance = from.x - r.maxX
            case .right: guard r.x >= from.maxX else { continue }
                overlap = min(r.maxY, from.maxY) - max(r.y, from.y); distance = r.x - from.maxX
            case .up: guard r.maxY <= from.y else { continue }
                overlap = min(r.maxX, from.maxX) - max(r.x, from.x); distance = from.y - r.maxY
            case .down: guard r.y >= from.maxY else { continue }
                overlap = min(r.maxX, from.maxX) - max(r.x, from.x); distance = r.y - from.maxY
            }
            guard overlap > 0 else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && overlap > best!.overlap) {
                best = (candidate, overlap, distance)
            }
        }
        return best?.pane
    }

    /// The text shown instead of the layout when the terminal is too small.
    public static func tooSmallMessage(width: Int, height: Int, times: String = "×") -> [String] {
        ["The terminal is too small: \(width) \(times) \(height).",
         "allspark needs at least \(minimumWidth) \(times) \(minimumHeight) (columns \(times) rows).",
         "Enlarge the window, or press q to quit."]
    }
}
