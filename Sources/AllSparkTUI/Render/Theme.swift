/// The interface's styles by meaning. With colours, they use the terminal's own palette; without,
/// they fall back to attributes, chosen so that nothing is conveyed by colour alone
/// (focus is also a heavier frame, warnings also bold, the selection also reverse).
public struct Theme: Sendable {
    public let looks: Looks

    public init(looks: Looks) { self.looks = looks }

    private var colour: Bool { looks.hasColour }

    public var text: CellStyle { .plain }
    public var dim: CellStyle { colour ? CellStyle(foreground: .brightBlack) : CellStyle(attributes: .dim) }
    public var heading: CellStyle { CellStyle(attributes: .bold) }
    public var statusBar: CellStyle { colour ? CellStyle(foreground: .black, background: .cyan) : CellStyle(attributes: .reverse) }
    public var statusBarEmphasis: CellStyle { statusBar.with(.bold) }
    /// Untrained components and anything that must not be mistaken for a real result.
    public var warning: CellStyle {
        colour ? CellStyle(foreground: .yellow, attributes: .bold) : CellStyle(attributes: [.bold, .underline])
    }
    /// The warning inside the status bar (which has its own background).
    public var statusBarWarning: CellStyle {
        colour ? CellStyle(foreground: .red, background: .cyan, attributes: .bold) : CellStyle(attributes: [.reverse, .bold, .underline])
    }
    public var error: CellStyle { colour ? CellStyle(foreground: .red, attributes: .bold) : CellStyle(attributes: .bold) }
    public var good: CellStyle { colour ? CellStyle(foreground: .green) : .plain }
    public var border: CellStyle { colour ? CellStyle(foreground: .brightBlack) : .plain }
    public var focusedBorder: CellStyle { colour ? CellStyle(foreground: .cyan, attributes: .bold) : CellStyle(attributes: .bold) }
    public var title: CellStyle { CellStyle(attributes: .bold) }
    public var focusedTitle: CellStyle {
        colour ? CellStyle(foreground: .black, background: .cyan, attributes: .bold) : CellStyle(attributes: [.reverse, .bold])
    }
    /// The selected row of the focused list.
    public var selection: CellStyle {
        colour ? CellStyle(foreground: .black, background: .cyan) : CellStyle(attributes: .reverse)
    }
    /// The selected row of a list that does not have focus.
    public var inactiveSelection: CellStyle {
        colour ? CellStyle(background: .brightBlack) : CellStyle(attributes: .underline)
    }
    public var key: CellStyle { colour ? CellStyle(foreground: .cyan, attributes: .bold) : CellStyle(attributes: .bold) }
    public var hintBar: CellStyle { .plain }
    public var overlay: CellStyle { .plain }
    public var editingLine: CellStyle { colour ? CellStyle(background: .ansi(0)) : .plain }
}
