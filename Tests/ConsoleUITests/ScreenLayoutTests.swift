import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The chrome, where each role lands, every screen rendered at 80×24 and 200×50, help, the
/// command line, and the keymap driving what is greyed and refused.
@Suite struct ScreenLayoutTests {
    @Test func eachRoleLandsOnItsOwnWork() throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let expected: [(String, ScreenID, String)] = [
            ("sam", .optOuts, "Opt-outs"), ("mo", .reports, "Reports"), ("root", .customers, "Customers"), ("aud", .audit, "Audit"),
        ]
        for (user, screen, title) in expected {
            let ui = try world.console(user)
            #expect(ui.screen.id == screen, "\(user)")
            #expect(ui.crumbs.trimmingCharacters(in: .whitespaces).hasPrefix(title), "\(user):\n\(ui.dump)")
            // The active tab is the screen's, drawn in the active-tab style.
            let col = try #require(ui.term.column(of: title, inRow: 1))
            #expect(ui.term.style(atRow: 1, col: col) == .activeTab)
        }
    }

    @Test(arguments: TermSize.both)
    func headerTabsCrumbsHintsAndFlash(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("sam", size: size)
        let header = ui.lines[0]
        #expect(header.contains(world.storePath) || header.contains("…"), "\(header)")
        #expect(header.contains("sam (support)"))
        // Four opt-outs pending, one overdue; the word, not only a colour.
        #expect(header.contains("4 pending, 1 OVERDUE"), "\(header)")
        #expect(header.contains("chain ok"), "\(header)")
        // Support may not list reports: no report count in the header, no tab.
        #expect(!header.contains("report"))
        #expect(ui.term.style(atRow: 0, col: 1) == .header)
        let tabs = ui.lines[1]
        #expect(tabs == " 1 Customers   2 Opt-outs", "\(tabs)")
        #expect(ui.crumbs.contains("Opt-outs › open queue"))
        #expect(ui.crumbs.contains("1 OVERDUE"))
        #expect(ui.hints.hasPrefix("? help  a apply  i needs info  r reject  Enter open"), "\(ui.hints)")
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
        if size.cols >= 200 {
            #expect(header.contains("opt-outs 4 pending, 1 OVERDUE"))
            #expect(ui.lines[3].contains("Received") && ui.lines[3].contains("Scopes"), "\(ui.dump)")
        }
    }

    @Test(arguments: TermSize.both)
    func everyScreenRendersForAnAdmin(size: TermSize) throws {
        let world = try ScreenWorld()
        let ui = try world.console("root", size: size)
        #expect(ui.lines[0].contains("root (admin)"))
        #expect(ui.lines[0].contains("2 open reports") || ui.lines[0].contains("reports 2 open"), "\(ui.lines[0])")
        // Customers.
        #expect(ui.lines[3].contains("ID") && ui.lines[3].contains("Name") && ui.lines[3].contains("E-mail") && ui.lines[3].contains("Opt-outs"))
        #expect(ui.text.contains("Ann Archer"))
        if size.cols >= 200 {
            #expect(ui.lines[3].contains("Phone") && ui.lines[3].contains("Services"))
            #expect(ui.text.contains("+1 555 0100 200") && ui.text.contains("hosting"))
        }
        #expect(ui.selectedText?.contains("C0000001") == true, "\(ui.dump)")
        // Opt-outs, reports, disclosures, audit by number.
        ui.press(.char("2"))
        #expect(ui.text.contains("OVERDUE") && ui.text.contains("nobody@nowhere.example"), "\(ui.dump)")
        ui.press(.char("3"))
        #expect(ui.text.contains("phishing link reported") && ui.text.contains("abuse-report"), "\(ui.dump)")
        ui.press(.char("4"))
        #expect(ui.text.contains("No disclosure requests"), "\(ui.dump)")
        ui.press(.char("5"))
        #expect(ui.text.contains("Chain verified: intact"), "\(ui.dump)")
        #expect(ui.text.contains("reports.file"), "\(ui.dump)")
        let chainRow = try #require(ui.row("Chain verified"))
        #expect(ui.term.style(atRow: chainRow, col: 2) == .ok)
        // Tab goes on to the policy check and traffic (admins), then cycles back to customers.
        ui.press(.tab)
        #expect(ui.screen.id == .policy)
        ui.press(.tab)
        #expect(ui.screen.id == .traffic)
        ui.press(.tab)
        #expect(ui.screen.id == .customers)
        ui.press(.backTab)
        #expect(ui.screen.id == .traffic)
    }

    @Test func auditShowsNewestFirstAndOpensAnEvent() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("aud", size: .large)
        let newest = try #require(world.newestAudit)
        let firstRow = ui.lines[5]  // header, tabs, crumbs, chain, column titles
        #expect(firstRow.contains(String(newest.seq)) && firstRow.contains(newest.action), "\(ui.dump)")
        #expect(ui.selectedText?.contains(newest.action) == true)
        ui.press(.enter)
        #expect(ui.text.contains("Audit event \(newest.seq)"))
        #expect(ui.text.contains("Prev hash") && ui.text.contains(newest.hash))
        ui.press(.escape)
        #expect(ui.text.contains("Chain verified"))
    }

    @Test func tooSmallTerminalShowsTheMessageAndQQuits() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let term = MemoryTerminal(rows: 23, cols: 79)
        let app = PrivacyConsole(ops: try world.open("sam"), readOnly: false, size: (23, 79))
        let keys = ScriptedKeySource([.char("a"), .char("q")])
        var seen = ""
        keys.beforeKey = { index in if index == 1 { seen = term.text } }
        let reason = EventLoop(app: app, keys: keys, screen: term, pendingSignal: { nil }).run()
        #expect(reason == .quit)
        #expect(seen.contains("terminal too small: need 80×24, have 79×23"))
        // The `a` pressed while too small did nothing.
        #expect(try world.optOut("annEmail").state == .pending)
        #expect(ConsoleLauncher.exitCode(for: .quit) == 0)
        #expect(ConsoleLauncher.exitCode(for: .signal(15)) == 143)
        #expect(ConsoleLauncher.exitCode(for: .hangup) == 129)
    }

    @Test func helpIsGeneratedFromTheKeymapAndGreysWhatTheRoleMayNotDo() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("aud", size: .large)
        ui.press(.char("1"), .char("?"))
        #expect(ui.text.contains("Help · Customers"))
        #expect(ui.text.contains("aud (auditor)"))
        let editRow = try #require(ui.row("e            edit") ?? ui.lines.firstIndex { $0.contains(" edit") && $0.contains("not available") })
        #expect(ui.lines[editRow].contains("not available to you here"))
        #expect(ui.term.style(atRow: editRow, col: 3) == .dim)
        let downRow = try #require(ui.lines.firstIndex { $0.contains("j ↓") })
        #expect(ui.term.style(atRow: downRow, col: 3) == .normal)
        ui.press(.escape)
        #expect(!ui.text.contains("Help ·"))
        // The greyed action is refused with a message, and the hint line leaves it out.
        #expect(!ui.hints.contains("edit"))
        ui.press(.char("e"))
        #expect(ui.flash.contains("error: edit is not available to aud (auditor): it needs the role admin, support"), "\(ui.flash)")
        #expect(ui.session.topOverlay == nil)
    }

    @Test func commandLineCompletesAndRuns() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("root")
        ui.press(.char(":"))
        ui.type("op")
        ui.press(.tab)
        #expect(ui.hints.hasPrefix(":optouts"), "\(ui.hints)")
        ui.type(" ")
        ui.press(.tab)
        #expect(ui.hints.contains("optouts pending") && ui.hints.contains("optouts needs-info"), "\(ui.hints)")
        ui.type("p")
        ui.press(.tab, .enter)
        #expect(ui.screen.id == .optOuts)
        #expect(ui.crumbs.contains("Opt-outs › pending"))
        ui.press(.char(":"))
        ui.type("reports open")
        ui.press(.enter)
        #expect(ui.crumbs.contains("Reports › open"))
        ui.press(.char(":"))
        ui.type("bogus")
        ui.press(.enter)
        #expect(ui.flash.contains("unknown command :bogus"))
        ui.press(.char(":"))
        ui.type("q")
        #expect(ui.press(.enter) == .quit)
    }

    @Test func qQuitsFromTheTopAndGoesBackFromARecord() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.enter)
        #expect(ui.screen.isInDetail)
        #expect(ui.press(.char("q")) == .redraw)
        #expect(!ui.screen.isInDetail)
        #expect(ui.press(.char("q")) == .quit)
    }

    @Test func flashMessagesClearAfterAFewSeconds() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("R"))
        #expect(ui.flash.contains("refreshed"))
        ui.tick(seconds: 10)
        #expect(ui.flash.isEmpty)
    }

    @Test func readOnlyDisablesEveryChange() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("root", readOnly: true)
        #expect(ui.lines[0].contains("READ-ONLY"))
        for action in [ActionID.customerEdit, .customerNote, .customerStatus, .optOutApply, .reportBlock, .reportDelete] {
            #expect(ui.session.disabled.contains(action), "\(action)")
        }
        ui.press(.char("2"), .char("a"))
        #expect(ui.flash.contains("read-only"), "\(ui.flash)")
        #expect(ui.session.topOverlay == nil)
        #expect(try world.optOut("overdue").state == .pending)
    }
}
