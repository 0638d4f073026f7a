/// What a cell means, independent of how it looks. A ``Theme`` turns a style into colours
/// and attributes; screens and widgets only ever name styles.
public enum Style: String, Hashable, Sendable, CaseIterable {
    /// Ordinary text.
    case normal
    /// The header bar at the top (store, user, role, what is waiting).
    case header
    /// An inactive tab in the tab bar.
    case tab
    /// The tab of the current screen.
    case activeTab
    /// The cursor row of a table or the focused button of a dialog.
    case selected
    /// A row marked with Space for a bulk action.
    case marked
    /// Greyed out: disabled actions, placeholders, secondary text.
    case dim
    /// Past its deadline. The data shows a textual marker too; colour is never the only signal.
    case overdue
    /// Needs attention soon.
    case warning
    /// A failure or a refused action.
    case error
    /// A success.
    case ok
    /// The hint line at the bottom.
    case hint
    /// A transient flash message.
    case flash
    /// Titles: table column headings, dialog titles, section headings in help.
    case title
}
