/// The rows a ``TableView`` shows, fetched by index so that only visible rows are ever
/// turned into text: a million customers never become a million strings.
public protocol TableDataSource {
    /// The number of rows.
    var count: Int { get }
    /// The text of each column of row `index` (raw data: the table sanitises it).
    func cells(at index: Int) -> [String]
    /// A style for the whole row when it is neither the cursor row nor marked (e.g.
    /// ``Style/overdue``, ``Style/dim``); nil for normal.
    func rowStyle(at index: Int) -> Style?
    /// A stable identity of row `index` for marks, so marks survive reordering and refresh.
    func rowKey(at index: Int) -> String
}

extension TableDataSource {
    public func rowStyle(at index: Int) -> Style? { nil }
    public func rowKey(at index: Int) -> String { String(index) }
}

/// One column of a ``TableView``.
public struct TableColumn: Equatable, Sendable {
    public enum Alignment: Equatable, Sendable { case left, right }

    public var title: String
    /// Columns never get fewer display columns than this while the table fits.
    public var minWidth: Int
    /// Share of the spare width; 0 keeps the column at `minWidth`.
    public var flex: Int
    public var alignment: Alignment

    public init(_ title: String, minWidth: Int, flex: Int = 0, alignment: Alignment = .left) {
        self.title = title
        self.minWidth = max(1, minWidth)
        self.flex = max(0, flex)
        self.alignment = alignment
    }
}

/// Which column the data is sorted by, shown as ▲ (ascending) or ▼ (descending).
public struct TableSort: Equatable, Sendable {
    public var column: Int
    public var ascending: Bool
    public init(column: Int, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}

/// A virtual table: the model (cursor, scroll offset, marks, sort indicator) plus a draw
/// step that asks the data source only for the visible rows.
///
/// Layout inside its rectangle: a title row, the data rows, and a footer row ("row 12 of
/// 1,000,000 · 3 marked") when the rectangle has at least three rows. The first two columns
/// of each row hold the mark ("*") when ``showsMarks`` is on.
public struct TableView: Equatable, Sendable {
    public var columns: [TableColumn]
    /// The index of the cursor row.
    public private(set) var cursor: Int = 0
    /// The index of the first visible row.
    public private(set) var offset: Int = 0
    /// Data rows visible at the last draw (used by page up/down).
    public private(set) var pageSize: Int = 10
    /// Keys (``TableDataSource/rowKey(at:)``) of the marked rows.
    public var marks: Set<String> = []
    public var sort: TableSort?
    /// Shown when the data source is empty.
    public var emptyMessage: String
    public var showsMarks: Bool
    public var showsFooter: Bool
    /// Drawn between columns.
    public static let separator = " │ "

    public init(columns: [TableColumn], emptyMessage: String = "(nothing to show)", showsMarks: Bool = true, showsFooter: Bool = true) {
        self.columns = columns
        self.emptyMessage = emptyMessage
        self.showsMarks = showsMarks
        self.showsFooter = showsFooter
    }

    // MARK: Navigation

    /// Moves the cursor by `delta` rows, staying within `0..<count`.
    public mutating func moveCursor(by delta: Int, count: Int) {
        setCursor(cursor + delta, count: count)
    }

    /// Puts the cursor on row `index` (clamped) and scrolls it into view.
    public mutating func setCursor(_ index: Int, count: Int) {
        cursor = count == 0 ? 0 : min(max(0, index), count - 1)
        scrollToCursor(count: count)
    }

    public mutating func moveToTop(count: Int) { setCursor(0, count: count) }
    public mutating func moveToBottom(count: Int) { setCursor(count - 1, count: count) }

    /// Moves down one page, the page scrolling with the cursor.
    public mutating func pageDown(count: Int) {
        let step = max(1, pageSize)
        offset = max(0, min(offset + step, count - step))
        setCursor(cursor + step, count: count)
    }

    /// Moves up one page.
    public mutating func pageUp(count: Int) {
        let step = max(1, pageSize)
        offset = max(0, offset - step)
        setCursor(cursor - step, count: count)
    }

    /// Keeps the cursor and offset valid after the data changed size.
    public mutating func clamp(count: Int) {
        setCursor(cursor, count: count)
    }

    private mutating func scrollToCursor(count: Int) {
        let page = max(1, pageSize)
        if cursor < offset { offset = cursor }
        if cursor >= offset + page { offset = cursor - page + 1 }
        offset = max(0, min(offset, max(0, count - page)))
    }

    /// Handles the standard movement keys: j/k and arrows, g/G and Home/End, PgUp/PgDn and
    /// Ctrl-b/Ctrl-f, Space to mark. Returns whether the key was one of them.
    public mutating func handleNavigation(_ key: Key, in source: some TableDataSource) -> Bool {
        let count = source.count
        switch key {
        case .down, .char("j"): moveCursor(by: 1, count: count)
        case .up, .char("k"): moveCursor(by: -1, count: count)
        case .home, .char("g"): moveToTop(count: count)
        case .end, .char("G"): moveToBottom(count: count)
        case .pageDown, .ctrl("f"): pageDown(count: count)
        case .pageUp, .ctrl("b"): pageUp(count: count)
        case .space: toggleMark(in: source)
        default: return false
        }
        return true
    }

    // MARK: Marks

    /// Marks or unmarks the cursor row and moves the cursor down, as in mutt and tig.
    public mutating func toggleMark(in source: some TableDataSource) {
        guard source.count > 0 else { return }
        let key = source.rowKey(at: cursor)
        if marks.remove(key) == nil { marks.insert(key) }
        moveCursor(by: 1, count: source.count)
    }

    public func isMarked(_ index: Int, in source: some TableDataSource) -> Bool {
        !marks.isEmpty && marks.contains(source.rowKey(at: index))
    }

    /// How many rows are marked.
    public var markedCount: Int { marks.count }

    public mutating func clearMarks() { marks.removeAll() }

    // MARK: Sort

    /// Sorts by `column`: the same column again flips the direction. The data source does the
    /// sorting; the table shows the indicator.
    public mutating func toggleSort(column: Int) {
        if let current = sort, current.column == column {
            sort = TableSort(column: column, ascending: !current.ascending)
        } else {
            sort = TableSort(column: column, ascending: true)
        }
    }

    // MARK: Layout

    private var markWidth: Int { showsMarks ? 2 : 0 }

    /// The display width of each column for a table `totalWidth` columns wide: each column
    /// gets its minimum, then the spare width is shared by flex weight (all to the last column
    /// when none flexes).
    public func columnWidths(totalWidth: Int) -> [Int] {
        guard !columns.isEmpty else { return [] }
        let separators = TextFitting.width(Self.separator) * (columns.count - 1)
        let available = totalWidth - markWidth - separators
        var widths = columns.map(\.minWidth)
        let spare = available - widths.reduce(0, +)
        guard spare > 0 else { return widths }
        let totalFlex = columns.reduce(0) { $0 + $1.flex }
        if totalFlex == 0 {
            widths[widths.count - 1] += spare
            return widths
        }
        var given = 0
        var lastFlex = 0
        for (i, column) in columns.enumerated() where column.flex > 0 {
            let share = spare * column.flex / totalFlex
            widths[i] += share
            given += share
            lastFlex = i
        }
        widths[lastFlex] += spare - given
        return widths
    }

    /// Number of data rows that fit in a rectangle `height` rows high.
    public func dataRows(height: Int) -> Int {
        max(0, height - 1 - (showsFooter && height >= 3 ? 1 : 0))
    }

    // MARK: Drawing

    /// Draws the table into `rect`, asking `source` only for the rows that are visible.
    /// Updates ``pageSize`` and scrolls the cursor into view for the rectangle's height.
    ///
    /// - Complexity: O(visible rows × columns) calls and strings, whatever `source.count` is.
    public mutating func draw(_ source: some TableDataSource, on screen: TerminalScreen, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let count = source.count
        pageSize = max(1, dataRows(height: rect.height))
        setCursor(cursor, count: count)
        let widths = columnWidths(totalWidth: rect.width)

        // Title row with the sort indicator.
        var titles: [String] = []
        for (i, column) in columns.enumerated() {
            var title = TextFitting.clean(column.title)
            if let sort, sort.column == i { title += sort.ascending ? " ▲" : " ▼" }
            titles.append(title)
        }
        screen.fill(row: rect.row, col: rect.col, width: rect.width, style: .title)
        screen.put(line(titles, widths: widths, mark: " ", width: rect.width), row: rect.row, col: rect.col, style: .title)

        // Data rows.
        let visible = dataRows(height: rect.height)
        for i in 0..<visible {
            let row = rect.row + 1 + i
            let index = offset + i
            guard index < count else {
                screen.fill(row: row, col: rect.col, width: rect.width, style: .normal)
                continue
            }
            let marked = isMarked(index, in: source)
            let style: Style = index == cursor ? .selected : marked ? .marked : (source.rowStyle(at: index) ?? .normal)
            let cells = source.cells(at: index).map(TextFitting.clean)
            screen.fill(row: row, col: rect.col, width: rect.width, style: style)
            screen.put(line(cells, widths: widths, mark: marked ? "*" : " ", width: rect.width), row: row, col: rect.col, style: style)
        }
        if count == 0 && visible > 0 {
            // Wrapped over the empty rows: an empty state says what to do, and that can take two lines.
            let lines = TextFitting.wrap(TextFitting.clean(emptyMessage), width: max(1, rect.width - markWidth))
            for (i, line) in lines.prefix(max(1, visible - 1)).enumerated() {
                screen.put(line, row: rect.row + 1 + i, col: rect.col + markWidth, style: .dim)
            }
        }

        // Footer.
        if showsFooter && rect.height >= 3 {
            let row = rect.bottom - 1
            var footer = count == 0 ? "0 rows" : "row \(TextFitting.grouped(cursor + 1)) of \(TextFitting.grouped(count))"
            if !marks.isEmpty { footer += " · \(TextFitting.grouped(marks.count)) marked" }
            screen.fill(row: row, col: rect.col, width: rect.width, style: .normal)
            screen.put(TextFitting.fit(footer, width: rect.width, alignRight: true), row: row, col: rect.col, style: .dim)
        }
    }

    /// One row of text: the mark column, each cell cut and padded to its column's width, the
    /// separators, all clipped to `width`.
    private func line(_ cells: [String], widths: [Int], mark: Character, width: Int) -> String {
        var text = showsMarks ? "\(mark) " : ""
        for (i, columnWidth) in widths.enumerated() {
            if i > 0 { text += Self.separator }
            let cell = i < cells.count ? cells[i] : ""
            text += TextFitting.fit(cell, width: columnWidth, alignRight: columns[i].alignment == .right)
        }
        return TextFitting.fit(text, width: width)
    }
}
