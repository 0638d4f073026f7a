/// The top line: what and who on the left (store, user, role), what is waiting on the right.
public enum HeaderBar {
    /// Draws `left` and `right` (both sanitised) on `row`; the right part is dropped first
    /// when the two do not fit.
    public static func draw(left: String, right: String, on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .header)
        let leftText = TextFitting.clean(left), rightText = TextFitting.clean(right)
        let rightWidth = TextFitting.width(rightText)
        let leftRoom = rightText.isEmpty ? width - 2 : width - rightWidth - 4
        if leftRoom >= min(20, TextFitting.width(leftText)) {
            screen.put(TextFitting.clip(leftText, width: leftRoom), row: row, col: col + 1, style: .header)
            if !rightText.isEmpty && rightWidth + 2 <= width {
                screen.put(rightText, row: row, col: col + width - rightWidth - 1, style: .header)
            }
        } else {
            screen.put(TextFitting.clip(leftText, width: width - 2), row: row, col: col + 1, style: .header)
        }
    }
}

/// The tab bar: "1 Customers  2 Opt-outs  3 Reports", the current one highlighted.
public enum TabBar {
    /// The text of each tab as drawn, numbered from 1.
    static func labels(_ titles: [String]) -> [String] {
        titles.enumerated().map { " \($0.offset + 1) \(TextFitting.clean($0.element)) " }
    }

    /// Draws the tabs on `row`, `active` in the active-tab style.
    public static func draw(_ titles: [String], active: Int, on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .tab)
        var x = col
        for (i, label) in labels(titles).enumerated() {
            let w = TextFitting.width(label)
            if x + w > col + width { break }
            screen.put(label, row: row, col: x, style: i == active ? .activeTab : .tab)
            x += w + 1
        }
    }
}

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
