/// The panes of the main screen, in focus order (Tab moves forwards through this list).
public enum PaneID: String, CaseIterable, Sendable {
    case modalities, samples, sample, stages, detail, prompt

    public var title: String {
        switch self {
        case .modalities: return "Modalities"
        case .samples: return "Samples"
        case .sample: return "Sample"
        case .stages: return "Pipeline"
        case .detail: return "Detail"
        case .prompt: return "Prompt"
        }
    }

    /// The next (or previous) pane in focus order, wrapping around.
    public func cycled(by step: Int) -> PaneID {
        let all = PaneID.allCases
        let index = all.firstIndex(of: self)!
        return all[((index + step) % all.count + all.count) % all.count]
    }
}
