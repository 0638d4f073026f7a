/// The tab bar: "1 Customers  2 Opt-outs  3 Reports", the current one highlighted.
public enum TabBar {
    /// The text of each tab as drawn, numbered from 1.
    static func labels(_ titles: [String]) -> [String] {
        titles.enumerated().map { " \($0.offset + 1) \(TextFitting.clean($0.element)) " }
    }

    /// Draws the tabs on `row`, `active` in the active-tab style and the indices in `dimmed`
    /// (screens the user may not open) greyed.
    public static func draw(_ titles: [String], active: Int, dimmed: Set<Int> = [], on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        let tabs = titles.enumerated().map { (number: $0.offset + 1, title: $0.element) }
        draw(tabs, active: active, dimmed: dimmed, on: screen, row: row, col: col, width: width)
    }

    /// Draws the given tabs, each labelled with its own number (the key that opens it, so the
    /// numbers of tabs left out are skipped); `active` and `dimmed` index into `tabs`.
    ///
    /// When the tabs do not fit with their usual padding they are drawn closer together; when
    /// they still do not fit, tabs other than the active one show only their number.
    public static func draw(_ tabs: [(number: Int, title: String)], active: Int?, dimmed: Set<Int> = [], on screen: TerminalScreen,
                            row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .tab)
        let roomy = tabs.map { " \($0.number) \(TextFitting.clean($0.title)) " }
        let close = tabs.map { "\($0.number) \(TextFitting.clean($0.title))" }
        let numbers = tabs.enumerated().map { $0.offset == active ? close[$0.offset] : "\($0.element.number)" }
        func total(_ labels: [String], gap: Int) -> Int {
            labels.reduce(0) { $0 + TextFitting.width($1) } + gap * max(0, labels.count - 1)
        }
        let (labels, gap) = total(roomy, gap: 1) <= width ? (roomy, 1) : total(close, gap: 2) <= width ? (close, 2) : (numbers, 2)
        var x = col
        for (i, label) in labels.enumerated() {
            let w = TextFitting.width(label)
            if x + w > col + width { break }
            screen.put(label, row: row, col: x, style: i == active ? .activeTab : dimmed.contains(i) ? .dim : .tab)
            x += w + gap
        }
    }
}
