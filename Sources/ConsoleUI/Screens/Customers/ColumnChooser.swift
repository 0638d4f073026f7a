/// The column chooser of the customer table (`C`, `:columns`): which columns show, for narrow
/// terminals where not all fit. The id always shows (it says which record a row is). The
/// choice stays until changed or reset, and a saved view keeps it.
///
/// Keys: j/k or arrows move; Space or x ticks a column; Enter shows the ticked columns;
/// `a` goes back to the columns that fit the width; Esc leaves it as it was.
struct ColumnChooser: Equatable {
    enum Outcome: Equatable {
        case pending
        case cancelled
        /// These columns, in the table's order.
        case chosen([CustomersRender.Column])
        /// The columns that fit the width.
        case automatic
    }

    private(set) var ticked: Set<CustomersRender.Column>
    private(set) var cursor = 0
    /// The table's width, to say whether the ticked columns fit.
    var width: Int

    init(shown: [CustomersRender.Column], width: Int) {
        ticked = Set(shown).union([.id])
        self.width = width
    }

    /// The columns ticked, in the table's order.
    var columns: [CustomersRender.Column] { CustomersRender.Column.allCases.filter(ticked.contains) }

    /// The width the ticked columns need at least.
    var neededWidth: Int {
        let columns = self.columns
        return columns.map(\.table.minWidth).reduce(0, +) + TextFitting.width(TableView.separator) * max(0, columns.count - 1)
    }

    mutating func handle(_ key: Key) -> Outcome {
        let all = CustomersRender.Column.allCases
        switch key {
        case .escape: return .cancelled
        case .enter: return .chosen(columns)
        case .char("a"): return .automatic
        case .down, .char("j"): cursor = min(all.count - 1, cursor + 1)
        case .up, .char("k"): cursor = max(0, cursor - 1)
        case .space, .char("x"):
            let column = all[cursor]
            guard column != .id else { break }
            if ticked.contains(column) { ticked.remove(column) } else { ticked.insert(column) }
        default: break
        }
        return .pending
    }

    func draw(on screen: TerminalScreen, in area: Rect) {
        let all = CustomersRender.Column.allCases
        let width = min(area.width, 56)
        let box = DialogFrame.box(height: all.count + 4, width: width, in: area)
        let inner = DialogFrame.draw(box, title: "Columns of the customer table", on: screen)
        guard inner.height > 0 else { return }
        for (i, column) in all.enumerated() where i + 1 < inner.height {
            let mark = ticked.contains(column) ? "[x]" : "[ ]"
            var text = "\(mark) \(column.table.title)"
            if column == .id { text += "  (always)" }
            screen.fill(row: inner.row + i, col: inner.col, width: inner.width, style: i == cursor ? .selected : .normal)
            screen.put(TextFitting.clip(text, width: inner.width), row: inner.row + i, col: inner.col, style: i == cursor ? .selected : .normal)
        }
        let fits = neededWidth <= self.width
        let note = fits ? "fits: needs \(neededWidth) of \(self.width) columns"
            : "needs \(neededWidth) of \(self.width) columns: the last ones are cut"
        if all.count + 1 < inner.height {
            screen.put(TextFitting.clip(note, width: inner.width), row: inner.row + all.count + 1, col: inner.col, style: fits ? .dim : .warning)
        }
    }
}

/// The ``ColumnChooser`` over the customer table; `onDone` gets the choice (nil: automatic).
final class ColumnChooserOverlay: Overlay {
    private(set) var chooser: ColumnChooser
    let crumb: String? = "columns"
    private let onDone: ([CustomersRender.Column]?) -> Void

    init(_ chooser: ColumnChooser, onDone: @escaping ([CustomersRender.Column]?) -> Void) {
        self.chooser = chooser
        self.onDone = onDone
    }

    func handle(_ key: Key) -> Bool {
        switch chooser.handle(key) {
        case .pending: return true
        case .cancelled: return false
        case .chosen(let columns):
            onDone(columns)
            return false
        case .automatic:
            onDone(nil)
            return false
        }
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        screen.hideCursor()
        chooser.draw(on: screen, in: layout.body)
    }

    var hints: [HintItem] {
        [HintItem(key: "Space", label: "tick"), HintItem(key: "Enter", label: "show"), HintItem(key: "a", label: "what fits"),
         HintItem(key: "Esc", label: "cancel")]
    }
}
