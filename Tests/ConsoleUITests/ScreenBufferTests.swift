import Testing

@testable import ConsoleUI

@Suite struct MemoryTerminalTests {
    @Test func putWritesTextAndStyle() {
        let term = MemoryTerminal(rows: 3, cols: 10)
        term.put("hello", row: 1, col: 2, style: .title)
        #expect(term.lines() == ["", "  hello", ""])
        #expect(term.style(atRow: 1, col: 2) == .title)
        #expect(term.style(atRow: 1, col: 6) == .title)
        #expect(term.style(atRow: 1, col: 7) == .normal)
        #expect(term.rowsWithStyle(.title) == [1])
    }

    @Test func putClipsAtTheRightEdgeAndOutsideRows() {
        let term = MemoryTerminal(rows: 2, cols: 5)
        term.put("abcdefgh", row: 0, col: 2)
        term.put("zzz", row: 2, col: 0)
        term.put("yyy", row: -1, col: 0)
        #expect(term.lines() == ["  abc", ""])
    }

    @Test func leftClippingDropsWhatIsLeftOfTheEdge() {
        let term = MemoryTerminal(rows: 1, cols: 6)
        term.put("abcdef", row: 0, col: -3)
        #expect(term.lines() == ["def"])
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
        let term = MemoryTerminal(rows: 1, cols: 5)
        term.put("山田太", row: 0, col: 0)
        // 山田 fit in 4 columns; 太 would straddle the edge, so column 4 is blank.
        #expect(term.lines() == ["山田"])
        #expect(term.character(atRow: 0, col: 1) == nil)  // right half of 山
        #expect(term.character(atRow: 0, col: 2) == "田")
        #expect(term.character(atRow: 0, col: 4) == " ")
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        let term = MemoryTerminal(rows: 1, cols: 6)
        term.put("山田", row: 0, col: 0)
        term.put("x", row: 0, col: 1)  // right half of 山
        #expect(term.lines() == [" x田"])
        term.put("y", row: 0, col: 2)  // left half of 田
        #expect(term.lines() == [" xy"])
        #expect(term.character(atRow: 0, col: 3) == " ")
    }

    @Test func combiningAccentsStayWithTheirLetter() {
        let term = MemoryTerminal(rows: 1, cols: 10)
        term.put("e\u{301}cole|", row: 0, col: 0)
        #expect(term.columns(of: "|", inRow: 0) == [5])
    }

    @Test func rawControlCharactersNeverReachTheGrid() {
        let term = MemoryTerminal(rows: 1, cols: 20)
        term.put("a\u{1B}[2Jb\u{07}c\u{9B}", row: 0, col: 0)
        let line = term.lines()[0]
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        #expect(line.hasPrefix("a\u{FFFD}[2Jb"))
    }

    @Test func flushSendsOnlyChangedCells() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        term.put("hello", row: 0, col: 0)
        term.flush()
        #expect(term.lastFlushCellCount == 24 * 80)  // first flush paints everything
        term.flush()
        #expect(term.lastFlushCellCount == 0)
        term.clear()
        term.put("hellO", row: 0, col: 0)
        term.flush()
        #expect(term.lastFlushCellCount == 1)
        term.put("山", row: 5, col: 10)
        term.flush()
        #expect(term.lastFlushCellCount == 1)  // one wide character, one write
    }

    @Test func resizeBlanksAndRepaintsEverything() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        term.put("x", row: 0, col: 0)
        term.flush()
        term.resize(rows: 30, cols: 100)
        #expect(term.size == (30, 100))
        #expect(term.text == "")
        term.flush()
        #expect(term.lastFlushCellCount == 3000)
    }

    @Test func fillAndClearLine() {
        let term = MemoryTerminal(rows: 2, cols: 10)
        term.fill(row: 0, col: 2, width: 3, style: .selected)
        #expect(term.columnsWithStyle(.selected, inRow: 0) == [2, 3, 4])
        term.put("abc", row: 1, col: 0)
        term.clearLine(row: 1)
        #expect(term.lines()[1] == "")
    }

    @Test func rectHelpers() {
        let r = Rect(row: 2, col: 4, height: 10, width: 20)
        #expect(r.bottom == 12 && r.right == 24)
        #expect(r.inset(rows: 1, cols: 2) == Rect(row: 3, col: 6, height: 8, width: 16))
        #expect(r.centered(height: 4, width: 10) == Rect(row: 5, col: 9, height: 4, width: 10))
        #expect(r.centered(height: 40, width: 40) == r)
    }
}

@Suite struct ThemeTests {
    @Test func noColorSelectsMonochrome() {
        #expect(Theme.resolve(noColorFlag: true, environment: [:]).isMonochrome)
        #expect(Theme.resolve(noColorFlag: false, environment: ["NO_COLOR": "1"]).isMonochrome)
        #expect(!Theme.resolve(noColorFlag: false, environment: ["NO_COLOR": ""]).isMonochrome)
        #expect(!Theme.resolve(noColorFlag: false, environment: [:]).isMonochrome)
    }

    @Test func monochromeUsesAttributesOnly() {
        let mono = Theme.monochrome
        for style in Style.allCases { #expect(!mono[style].usesColor, "\(style)") }
        #expect(mono[.selected].reverse)
        #expect(mono[.overdue].bold)
        #expect(mono[.dim].dim)
        #expect(mono[.normal] == .plain)
    }

    /// Never red versus green alone: styles that differ in meaning differ in attributes too,
    /// and no style is green.
    @Test func coloursNeverCarryMeaningAlone() {
        for theme in [Theme.standard, .monochrome] {
            for style in Style.allCases { #expect(theme[style].foreground != .green && theme[style].background != .green) }
            let meaningful: [Style] = [.overdue, .error, .warning]
            for style in meaningful {
                let a = theme[style]
                #expect(a.bold || a.underline || a.reverse, "\(theme.name) \(style)")
            }
            #expect(theme[.error] != theme[.ok])
            #expect(theme[.selected].reverse)
        }
    }
}
