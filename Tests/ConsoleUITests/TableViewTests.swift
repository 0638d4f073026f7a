import Testing

@testable import ConsoleUI

@Suite struct TableViewTests {
    static let columns = [
        TableColumn("ID", minWidth: 6, alignment: .right),
        TableColumn("Name", minWidth: 12, flex: 1),
        TableColumn("Email", minWidth: 16, flex: 2),
    ]

    @Test(arguments: TermSize.both)
    func drawsTitlesRowsAndFooter(size: TermSize) {
        let term = size.terminal()
        let source = CountingSource(count: 100)
        var table = TableView(columns: Self.columns)
        let body = size.layout.body
        table.draw(source, on: term, in: body)
        let lines = term.lines()
        #expect(lines[body.row].contains("ID │ Name"), "\(term.dump)")
        #expect(lines[body.row + 1].contains("1 │ Customer 1 "))
        #expect(lines[body.bottom - 1].hasSuffix("row 1 of 100"))
        // The cursor row alone is selected, across the table's whole width.
        #expect(term.rowsWithStyle(.selected) == [body.row + 1])
        #expect(term.columnsWithStyle(.selected, inRow: body.row + 1).count == size.cols)
        #expect(table.pageSize == body.height - 2)
    }

    @Test(arguments: TermSize.both)
    func cursorMovesAndScrollsIntoView(size: TermSize) {
        let term = size.terminal()
        let source = CountingSource(count: 1000)
        var table = TableView(columns: Self.columns)
        let body = size.layout.body
        table.draw(source, on: term, in: body)
        let page = table.pageSize
        for _ in 0..<(page + 3) { _ = table.handleNavigation(.char("j"), in: source) }
        term.clear()
        table.draw(source, on: term, in: body)
        #expect(table.cursor == page + 3)
        #expect(table.offset == 4)  // the cursor row is the last visible one
        #expect(term.rowsWithStyle(.selected) == [body.row + page])
        #expect(term.lines()[body.row + page].contains("Customer \(page + 4) "))

        _ = table.handleNavigation(.end, in: source)
        #expect(table.cursor == 999)
        #expect(table.offset == 1000 - page)
        _ = table.handleNavigation(.char("g"), in: source)
        #expect(table.cursor == 0 && table.offset == 0)
        _ = table.handleNavigation(.pageDown, in: source)
        #expect(table.cursor == page && table.offset == page)
        _ = table.handleNavigation(.ctrl("b"), in: source)
        #expect(table.cursor == 0 && table.offset == 0)
        _ = table.handleNavigation(.char("k"), in: source)
        #expect(table.cursor == 0)
        let handled = table.handleNavigation(.char("z"), in: source)
        #expect(!handled)
    }

    @Test func marksAreCountedStyledAndShown() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        let source = CountingSource(count: 10)
        var table = TableView(columns: Self.columns)
        let body = ConsoleLayout(rows: 24, cols: 80).body
        _ = table.handleNavigation(.space, in: source)  // marks row 0, cursor to 1
        _ = table.handleNavigation(.space, in: source)  // marks row 1, cursor to 2
        #expect(table.markedCount == 2)
        #expect(table.marks == ["id-0", "id-1"])
        table.draw(source, on: term, in: body)
        #expect(term.rowsWithStyle(.marked) == [body.row + 1, body.row + 2])
        #expect(term.rowsWithStyle(.selected) == [body.row + 3])
        #expect(term.lines()[body.row + 1].hasPrefix("*"))
        #expect(term.lines()[body.bottom - 1].hasSuffix("row 3 of 10 · 2 marked"))
        // Space again on a marked row unmarks it.
        table.setCursor(0, count: source.count)
        table.toggleMark(in: source)
        #expect(table.marks == ["id-1"])
    }

    @Test func overdueAndDimRowsKeepTheirStyle() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        let source = CountingSource(count: 10)
        source.overdue = { $0 % 3 == 0 }
        var table = TableView(columns: Self.columns)
        let body = ConsoleLayout(rows: 24, cols: 80).body
        table.draw(source, on: term, in: body)
        // Row 0 is the cursor row: selected wins. Rows 3, 6 and 9 are overdue.
        #expect(term.rowsWithStyle(.overdue) == [3, 6, 9].map { body.row + 1 + $0 })
    }

    @Test func sortIndicatorFollowsTheSortColumn() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        let source = CountingSource(count: 3)
        var table = TableView(columns: Self.columns)
        let body = ConsoleLayout(rows: 24, cols: 80).body
        table.toggleSort(column: 1)
        table.draw(source, on: term, in: body)
        #expect(term.lines()[body.row].contains("Name ▲"))
        table.toggleSort(column: 1)
        table.draw(source, on: term, in: body)
        #expect(term.lines()[body.row].contains("Name ▼"))
        table.toggleSort(column: 2)
        table.draw(source, on: term, in: body)
        #expect(term.lines()[body.row].contains("Email ▲"))
        #expect(!term.lines()[body.row].contains("Name ▼"))
        #expect(term.rowsWithStyle(.title) == [body.row])
    }

    @Test(arguments: TermSize.both)
    func wideAndCombiningTextKeepsColumnsAligned(size: TermSize) {
        let term = size.terminal()
        let source = ArraySource(rows: [
            ["1", "Zoë Ångström", "zoe@example.com"],
            ["2", "山田太郎", "taro@example.jp"],
            ["3", "e\u{301}cole Ｆｕｌｌ", "ecole@example.fr"],
            ["4", "José 👍 Ñandú", "jose@example.es"],
            ["5", "👨‍👩‍👧 family", "family@example.com"],
            ["6", String(repeating: "한국어 텍스트가 아주 길어서 잘립니다 ", count: 8), "long@example.kr"],
            ["7", "plain", "plain@example.com"],
        ])
        var table = TableView(columns: Self.columns)
        let body = size.layout.body
        table.draw(source, on: term, in: body)
        let separators = (body.row...(body.row + source.count)).map { term.columns(of: "│", inRow: $0) }
        #expect(separators.allSatisfy { $0.count == 2 }, "\(term.dump)")
        #expect(Set(separators).count == 1, "separators move: \(separators)\n\(term.dump)")
        #expect(term.lines()[body.row + 6].contains("…"))
    }

    @Test func escapeSequencesInDataAreShownNotSent() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        let source = ArraySource(rows: [
            ["1", "\u{1B}[2J\u{1B}[31mEvil", "a\u{1B}]0;pwned\u{07}b"],
            ["2", "line\nbreak", "tab\there"],
        ])
        var table = TableView(columns: Self.columns)
        table.draw(source, on: term, in: ConsoleLayout(rows: 24, cols: 80).body)
        let text = term.text
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(text.contains("^[[2J^[[31mEvil"))
        #expect(text.contains("a^[]0;pwned^Gb"))
        #expect(!text.contains("\u{FFFD}"))  // sanitised before the grid's last-line defence
    }

    @Test func aMillionRowsDrawOnlyTheVisibleRows() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        let source = CountingSource(count: 1_000_000)
        var table = TableView(columns: Self.columns)
        let body = ConsoleLayout(rows: 24, cols: 80).body
        table.draw(source, on: term, in: body)
        let visible = table.pageSize
        #expect(source.cellCalls == visible)
        #expect(source.askedIndices == Set(0..<visible))

        source.resetCounts()
        for _ in 0..<5 { table.pageDown(count: source.count) }
        table.moveToBottom(count: source.count)
        #expect(source.cellCalls == 0)  // moving asks for nothing
        term.clear()
        table.draw(source, on: term, in: body)
        #expect(source.cellCalls == visible)
        #expect(source.askedIndices == Set((1_000_000 - visible)..<1_000_000))
        #expect(term.lines()[body.bottom - 1].hasSuffix("row 1,000,000 of 1,000,000"))
        #expect(term.text.contains("Customer 1000000 "))
    }

    @Test func emptyTableShowsItsMessage() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        var table = TableView(columns: Self.columns, emptyMessage: "no opt-out requests waiting")
        let body = ConsoleLayout(rows: 24, cols: 80).body
        table.draw(ArraySource(rows: []), on: term, in: body)
        #expect(term.lines()[body.row + 1].contains("no opt-out requests waiting"))
        #expect(term.style(atRow: body.row + 1, col: 2) == .dim)
        #expect(term.rowsWithStyle(.selected).isEmpty)
        #expect(table.cursor == 0)
        #expect(term.lines()[body.bottom - 1].hasSuffix("0 rows"))
    }

    @Test func columnWidthsShareSpareWidthByFlex() {
        let table = TableView(columns: Self.columns)
        // 80 columns: 2 for the mark, 2 × 3 for separators, 34 of minimums, 38 spare.
        let widths = table.columnWidths(totalWidth: 80)
        #expect(widths.reduce(0, +) == 80 - 2 - 6)
        #expect(widths[0] == 6)
        #expect(widths[1] == 12 + 12 && widths[2] == 16 + 26)
        // Too narrow: minimums are kept and the row is clipped.
        #expect(table.columnWidths(totalWidth: 20) == [6, 12, 16])
        let fixed = TableView(columns: [TableColumn("a", minWidth: 3), TableColumn("b", minWidth: 3)])
        #expect(fixed.columnWidths(totalWidth: 20) == [3, 20 - 2 - 3 - 3])
    }

    @Test func clampKeepsTheCursorValidWhenDataShrinks() {
        var table = TableView(columns: Self.columns)
        table.setCursor(50, count: 100)
        table.clamp(count: 10)
        #expect(table.cursor == 9)
        table.clamp(count: 0)
        #expect(table.cursor == 0 && table.offset == 0)
    }
}
