/// The tab bar: "1 Customers  2 Opt-outs  3 Reports", the current one highlighted.
public enum TabBar {
    /// The text of each tab as drawn, numbered from 1.
    static func labels(_ titles: [String]) -> [String] {
        titles.enumerated().map { " \($0.offset + 1) \(TextFitting.clean($0.element)) " }
    }

    /// Draws the tabs on `row`, `active` in the active-tab style and the indices in `dimmed`
    /// (screens the user may not open) greyed.
    public static func draw(_ titles: [String], active: Int, dimmed: Set<Int> = [], on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .tab)
        var x = col
        for (i, label) in labels(titles).enumerated() {
            let w = TextFitting.width(label)
            if x + w > col + width { break }
            screen.put(label, row: row, col: x, style: i == active ? .activeTab : dimmed.contains(i) ? .dim : .tab)
            x += w + 1
        }
    }
}
