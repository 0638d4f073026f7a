/// Where you are: "Opt-outs › pending › #1234". Leading parts are dropped (shown as "…")
/// when the path is too wide.
public enum Breadcrumbs {
    public static let separator = " › "

    public static func text(_ parts: [String], width: Int) -> String {
        var parts = parts.map(TextFitting.clean)
        var text = parts.joined(separator: separator)
        while TextFitting.width(text) > width && parts.count > 1 {
            parts.removeFirst()
            text = "…" + separator + parts.joined(separator: separator)
        }
        return TextFitting.clip(text, width: width)
    }

    /// Draws the path on `row`, with `trailing` (e.g. "3 marked") right-aligned.
    public static func draw(_ parts: [String], trailing: String = "", on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .normal)
        let right = TextFitting.clean(trailing)
        let rightWidth = TextFitting.width(right)
        let room = right.isEmpty ? width - 1 : width - rightWidth - 3
        screen.put(text(parts, width: max(0, room)), row: row, col: col + 1, style: .dim)
        if !right.isEmpty && rightWidth + 1 <= width {
            screen.put(right, row: row, col: col + width - rightWidth - 1, style: .marked)
        }
    }
}
