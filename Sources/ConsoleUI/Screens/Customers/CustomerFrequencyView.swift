import PrivacyOps

/// The frequency popup of a customer column (`F`, `:freq domain`): each distinct value with
/// how many of the customers listed have it, most common first, as the service counted them.
enum CustomerFrequencyView {
    /// The popup's lines for a table `width` columns wide: value, count, share and a bar.
    static func lines(_ table: FrequencyTable, width: Int) -> [StyledLine] {
        guard !table.rows.isEmpty else { return [StyledLine("(no customers listed)", style: .dim)] }
        let countWidth = max(5, TextFitting.grouped(table.rows.map(\.count).max() ?? 0).count)
        let valueWidth = max(8, min(40, width - countWidth - 8 - 12))
        let barWidth = max(0, width - valueWidth - countWidth - 10)
        let top = table.rows.first?.count ?? 1
        var out = [StyledLine(TextFitting.fit(table.column.title, width: valueWidth) + " " + TextFitting.fit("count", width: countWidth, alignRight: true)
                              + "  share", style: .dim)]
        for row in table.rows {
            let share = table.customers == 0 ? 0 : Double(row.count) * 100 / Double(table.customers)
            let shareText = share >= 10 || share == 0 ? String(Int(share.rounded())) + "%" : String(Int((share * 10).rounded())) .inserting(".", beforeLast: 1) + "%"
            let bar = String(repeating: "#", count: top == 0 ? 0 : max(row.count > 0 ? 1 : 0, barWidth * row.count / top))
            let text = TextFitting.fit(TerminalText.sanitize(row.value), width: valueWidth) + " "
                + TextFitting.fit(TextFitting.grouped(row.count), width: countWidth, alignRight: true) + "  "
                + TextFitting.fit(shareText, width: 6, alignRight: true) + " " + bar
            out.append(StyledLine(text, style: row.value == FrequencyTable.noValue ? .dim : .normal))
        }
        return out
    }

    /// "Customers per e-mail domain: 1,234 listed, 56 values"
    static func title(_ table: FrequencyTable, filter: String, status: CustomerStatus?) -> String {
        var scope: [String] = []
        if !filter.isEmpty { scope.append("filter \"\(TerminalText.sanitize(filter))\"") }
        if let status { scope.append(status.rawValue) }
        let over = scope.isEmpty ? "" : " (" + scope.joined(separator: ", ") + ")"
        return "Customers per \(table.column.title)\(over): \(Format.count(table.customers, "customer")), \(Format.count(table.rows.count, "value"))"
    }
}

private extension String {
    /// `"123"` → `"12.3"`: inserts `mark` before the last `n` characters (after a leading 0 when short).
    func inserting(_ mark: String, beforeLast n: Int) -> String {
        let padded = count <= n ? String(repeating: "0", count: n - count + 1) + self : self
        return String(padded.dropLast(n)) + mark + String(padded.suffix(n))
    }
}

/// A ``TextPager`` in a box over the body (the frequency popup). Esc, q or Enter closes it;
/// j/k, PgUp/PgDn scroll.
final class PopupPagerOverlay: Overlay {
    private(set) var pager: TextPager
    let crumb: String?
    /// The widest the box is drawn.
    let maxWidth: Int

    init(_ pager: TextPager, crumb: String?, maxWidth: Int = 90) {
        self.pager = pager
        self.crumb = crumb
        self.maxWidth = maxWidth
    }

    func handle(_ key: Key) -> Bool {
        if [.escape, .char("q"), .enter, .char("F")].contains(key) { return false }
        _ = pager.handle(key)
        return true
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        screen.hideCursor()
        let area = layout.body
        let width = min(maxWidth, max(20, area.width - 4))
        let height = min(area.height, pager.lines.count + 4)
        let inner = DialogFrame.draw(DialogFrame.box(height: height, width: width, in: area), title: crumb ?? "", on: screen)
        pager.draw(on: screen, in: inner)
    }

    var hints: [HintItem] {
        [HintItem(key: "j/k", label: "scroll"), HintItem(key: "Esc", label: "close")]
    }
}
