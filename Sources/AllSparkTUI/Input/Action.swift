/// Everything a key can do. The key-binding table maps keys to these, and `TUIController.perform`
/// has one case per action, so a binding can only name behaviour that exists.
public enum Action: String, CaseIterable, Sendable {
    // Moving around
    case focusNextPane, focusPreviousPane, focusPaneLeft, focusPaneRight
    case moveUp, moveDown, moveToTop, moveToBottom, halfPageUp, halfPageDown
    case activate
    case clickAt, wheelUp, wheelDown
    // The pipeline
    case runNextStage, runAllStages, rerunFromPrompt
    case choosePrompt, savePrompt, compare
    // The detail pane
    case previousQuery, nextQuery, previousLayer, nextLayer, toggleZoom
    // Lines
    case editPrompt, openFilter, openCommandLine
    // Overlays and leaving
    case toggleHelp, back, quit, interrupt, redraw, suspend
    // Inside a dialog or the comparison
    case choose, closeOverlay
    // Inside a line being edited
    case commitEdit, cancelEdit, editorKey
}
