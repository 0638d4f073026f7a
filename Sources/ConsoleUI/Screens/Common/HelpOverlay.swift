/// The `?` help: the keymap's lines for the screen, filtered as you type (k9s-style).
///
/// Printable keys go to the filter (so j, k and q are letters here); arrows, PgUp/PgDn and
/// Home/End scroll; Backspace edits; Esc clears the filter, and closes the help when there is
/// none; Enter or `?` closes it. A paste is filter text.
final class HelpOverlay: Overlay {
    /// Every line, unfiltered.
    let all: [StyledLine]
    let screenTitle: String
    private(set) var filter = TextInput(maxLength: 60)
    private(set) var pager: TextPager
    let crumb: String? = "help"

    init(lines: [StyledLine], screenTitle: String) {
        all = lines
        self.screenTitle = screenTitle
        pager = TextPager(title: "", lines: lines)
        refilter()
    }

    /// The lines matching `needle` (case-insensitively): entries whose text holds it, under
    /// their section's heading; the first lines (who you are) stay. All lines for an empty needle.
    static func filtered(_ lines: [StyledLine], by needle: String) -> [StyledLine] {
        let needle = needle.trimmingSpaces.lowercased()
        guard !needle.isEmpty else { return lines }
        var out: [StyledLine] = []
        var heading: StyledLine?
        for line in lines {
            if line.style == .title {
                heading = line
                continue
            }
            guard !line.text.trimmingSpaces.isEmpty, line.text.lowercased().contains(needle) else { continue }
            if let h = heading {
                if !out.isEmpty { out.append(StyledLine("")) }
                out.append(h)
                heading = nil
            }
            out.append(line)
        }
        return out.isEmpty ? [StyledLine("(no key or command matches \"\(needle)\": Backspace or Esc to clear)", style: .dim)] : out
    }

    private func refilter() {
        var title = "Help · \(screenTitle)   "
        title += filter.isEmpty ? "(type to filter · Esc closes)" : "filter: \(filter.text)   (Esc clears)"
        pager = TextPager(title: title, lines: Self.filtered(all, by: filter.text))
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .enter, .char("?"):
            return false
        case .escape:
            guard !filter.isEmpty else { return false }
            filter.clear()
            refilter()
        case .up, .down, .pageUp, .pageDown, .home, .end, .ctrl("f"), .ctrl("b"):
            _ = pager.handle(key)
        default:
            let before = filter.text
            _ = filter.handle(key)
            if filter.text != before { refilter() }
        }
        return true
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        screen.hideCursor()
        pager.draw(on: screen, in: layout.body.inset(cols: 1))
    }

    var hints: [HintItem] {
        [HintItem(key: "type", label: "to filter"), HintItem(key: "↑↓", label: "scroll"), HintItem(key: "Esc", label: filter.isEmpty ? "close" : "clear")]
    }
}
