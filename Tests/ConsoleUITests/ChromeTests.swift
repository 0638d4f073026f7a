import Testing

@testable import ConsoleUI

@Suite struct ChromeTests {
    private func expired(_ flash: inout FlashLine, _ now: ContinuousClock.Instant) -> Bool {
        flash.expire(now: now)
    }

    @Test(arguments: TermSize.both)
    func layoutPlacesEveryPart(size: TermSize) {
        let layout = size.layout
        #expect(layout.header.row == 0 && layout.tabs.row == 1 && layout.breadcrumbs.row == 2)
        #expect(layout.body.row == 3 && layout.body.bottom == size.rows - 2)
        #expect(layout.flash.row == size.rows - 2 && layout.hint.row == size.rows - 1)
        #expect([layout.header, layout.tabs, layout.body, layout.hint].allSatisfy { $0.width == size.cols })
        #expect(!ConsoleLayout.isTooSmall(rows: size.rows, cols: size.cols))
        #expect(ConsoleLayout.isTooSmall(rows: 23, cols: 80))
        #expect(ConsoleLayout.isTooSmall(rows: 24, cols: 79))
    }

    @Test func tooSmallViewSaysWhatIsNeeded() {
        let term = MemoryTerminal(rows: 20, cols: 70)
        term.put("stale", row: 0, col: 0)
        TooSmallView.draw(on: term)
        #expect(term.text.contains("terminal too small: need 80×24, have 70×20"))
        #expect(!term.text.contains("stale"))
        #expect(TooSmallView.message(rows: 10, cols: 40) == "terminal too small: need 80×24, have 40×10")
        // Tiny terminals get the message wrapped, never past the edge.
        let tiny = MemoryTerminal(rows: 6, cols: 22)
        TooSmallView.draw(on: tiny)
        #expect(tiny.text.contains("terminal too small:"))
        #expect(tiny.lines().contains { $0.contains("need 80×24, have 22×6") })
        #expect(tiny.lines().allSatisfy { TextFitting.width($0) <= 22 })
    }

    @Test func hintBarKeepsWhatFitsInOrder() {
        let items = [HintItem(key: "?", label: "help"), HintItem(key: "a", label: "apply"), HintItem(key: "q", label: "quit")]
        #expect(HintBar.text(items, width: 80) == "? help  a apply  q quit")
        #expect(HintBar.text(items, width: 15) == "? help  a apply")
        #expect(HintBar.text(items, width: 14) == "? help")
        let term = MemoryTerminal(rows: 1, cols: 30)
        HintBar.draw(items, on: term, row: 0, width: 30)
        #expect(term.lines()[0] == "? help  a apply  q quit")
        #expect(term.style(atRow: 0, col: 0) == .title)
        #expect(term.style(atRow: 0, col: 2) == .hint)
        #expect(term.style(atRow: 0, col: 29) == .hint)
    }

    @Test func flashMessagesExpire() {
        let start = ContinuousClock.now
        var flash = FlashLine()
        flash.show("applied opt-out #7", kind: .success, now: start)
        #expect(!expired(&flash, start + .seconds(3)))
        #expect(flash.text == "applied opt-out #7")
        #expect(expired(&flash, start + .seconds(4)))
        #expect(flash.message == nil)
        #expect(!expired(&flash, start + .seconds(5)))
        flash.show("the store is read-only", kind: .error, now: start)
        #expect(!expired(&flash, start + .seconds(5)))  // errors stay longer
        #expect(flash.text == "error: the store is read-only")  // never colour alone
        let term = MemoryTerminal(rows: 2, cols: 40)
        flash.draw(on: term, row: 1, width: 40)
        #expect(term.lines()[1] == "error: the store is read-only")
        #expect(term.style(atRow: 1, col: 0) == .error)
        flash.dismiss()
        flash.draw(on: term, row: 1, width: 40)
        #expect(term.lines()[1] == "")
    }

    @Test func headerTabsAndBreadcrumbs() {
        let term = MemoryTerminal(rows: 3, cols: 80)
        HeaderBar.draw(left: "lgadmin · /var/lib/lgadmin · alice (support)", right: "4 pending · 1 overdue", on: term, row: 0, width: 80)
        #expect(term.lines()[0].hasPrefix(" lgadmin · /var/lib/lgadmin · alice (support)"))
        #expect(term.lines()[0].hasSuffix("4 pending · 1 overdue"))
        #expect(term.columnsWithStyle(.header, inRow: 0).count == 80)
        TabBar.draw(["Customers", "Opt-outs", "Reports"], active: 1, on: term, row: 1, width: 80)
        #expect(term.lines()[1] == " 1 Customers   2 Opt-outs   3 Reports")
        #expect(term.style(atRow: 1, col: 14) == .activeTab)
        #expect(term.style(atRow: 1, col: 1) == .tab)
        Breadcrumbs.draw(["Opt-outs", "pending", "#1234"], trailing: "2 marked", on: term, row: 2, width: 80)
        #expect(term.lines()[2].hasPrefix(" Opt-outs › pending › #1234"))
        #expect(term.lines()[2].hasSuffix("2 marked"))
        #expect(Breadcrumbs.text(["Customers", "Ada Lovelace", "log"], width: 20) == "… › log")
    }

    @Test func pagerScrolls() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        var pager = TextPager(title: "Help", lines: (1...100).map { StyledLine("line \($0)") })
        pager.draw(on: term, in: ConsoleLayout(rows: 24, cols: 80).body)
        #expect(term.text.contains("lines 1–17 of 100"))
        _ = pager.handle(.pageDown)
        _ = pager.handle(.char("j"))
        term.clear()
        pager.draw(on: term, in: ConsoleLayout(rows: 24, cols: 80).body)
        #expect(term.lines()[4] == "line 19")
        _ = pager.handle(.char("G"))
        term.clear()
        pager.draw(on: term, in: ConsoleLayout(rows: 24, cols: 80).body)
        #expect(term.text.contains("lines 84–100 of 100"))
    }
}
