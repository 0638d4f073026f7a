import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The Policy screen and the header's policy state: the check runs in the background ("policy:
/// checking…" on the first frame), its rows are listed with their status in words, Enter on a
/// failing row opens the offending record on its own screen, and `t` generates the transparency
/// report for a period (audited) and shows it. The screen world has one overdue opt-out, so
/// `optouts-overdue` fails.
@Suite struct ScreenPolicyTests {
    /// Lets the background check finish and the console take its result.
    static func settle(_ ui: ScreenDriver) {
        ui.session.policy.waitForRun()
        ui.tick()
    }

    @Test(arguments: TermSize.both)
    func headerSaysCheckingThenTheResult(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("root", size: size)
        // The first frame does not wait for the check.
        #expect(ui.lines[0].contains("checking…"), "\(ui.lines[0])")
        Self.settle(ui)
        let header = ui.lines[0]
        #expect(header.contains("policy") && header.contains("1 FAIL"), "\(header)")
        #expect(TextFitting.width(header) <= size.cols)
        // Opt-outs and reports keep their counts beside it.
        #expect(header.contains("1 OVERDUE") && (header.contains("2 open reports") || header.contains("reports 2 open")), "\(header)")
        if size.cols >= 200 { #expect(header.contains("policy: 1 FAIL") && header.contains("audit chain ok"), "\(header)") }
        // The overdue request applied: after R the check runs again and passes.
        _ = try world.admin.applyOptOut(try world.optOut("overdue").id)
        ui.press(.char("R"))
        Self.settle(ui)
        #expect(ui.lines[0].contains("PASS"), "\(ui.lines[0])")
    }

    @Test(arguments: TermSize.both)
    func supportAndModeratorsHaveNoPolicy(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        for user in ["sam", "mo"] {
            let ui = try world.console(user, size: size)
            #expect(!ui.lines[0].contains("policy"), "\(ui.lines[0])")
            #expect(!ui.session.policy.isRunning)
            #expect(!ui.lines[1].contains("Policy"), "\(ui.lines[1])")
            // As any screen the role may not use: 6 says so in one line, and nothing is shown.
            let crumbs = ui.crumbs
            ui.press(.char("6"))
            #expect(ui.flash.contains("Policy is not available to \(user)"), "\(ui.dump)")
            #expect(ui.crumbs == crumbs)
            #expect(!ui.text.contains("optouts-overdue"))
        }
    }

    @Test(arguments: TermSize.both)
    func rowsWithTheirStatusInWords(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("aud", size: size)
        ui.press(.char("6"))
        #expect(ui.crumbs.contains("Policy › check"), "\(ui.crumbs)")
        #expect(ui.text.contains("Checking every promise"), "\(ui.dump)")
        Self.settle(ui)
        #expect(ui.text.contains("Policy: 1 FAIL"), "\(ui.dump)")
        #expect(ui.text.contains("Audit chain head"))
        let overdue = try world.optOut("overdue").id
        let failRow = try #require(ui.row("optouts-overdue"), "\(ui.dump)")
        #expect(ui.lines[failRow].contains("FAIL") && ui.lines[failRow].contains(overdue), "\(ui.lines[failRow])")
        for id in ["card-numbers", "disclosure-approval", "content-views", "audit-chain", "roles"] {
            let row = try #require(ui.row(id), "\(id) missing\n\(ui.dump)")
            #expect(ui.lines[row].contains("PASS"), "\(ui.lines[row])")
        }
        #expect(ui.crumbs.contains("1 FAIL"))
        if size.cols >= 200 {
            #expect(ui.lines[failRow].contains("was due"), "the finding beside the row on a wide screen: \(ui.lines[failRow])")
        }
        // Not colour alone: the word FAIL is there, and the row has the overdue style off the cursor.
        ui.press(.char("g"))
        #expect(ui.term.style(atRow: failRow, col: 2) == .overdue || ui.selectedRows.contains(failRow))
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test(arguments: TermSize.both)
    func enterOnAFailingRowOpensTheRecord(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("root", size: size)
        ui.press(.char("6"))
        Self.settle(ui)
        let overdue = try world.optOut("overdue").id
        // Move to the failing row and press Enter.
        for _ in 0..<20 where ui.selectedText?.contains("optouts-overdue") != true { ui.press(.char("j")) }
        #expect(ui.selectedText?.contains("optouts-overdue") == true, "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.crumbs.contains("Opt-outs") && ui.crumbs.contains(overdue), "\(ui.crumbs)\n\(ui.dump)")
        #expect(ui.text.contains("bob@example.org"), "the request's detail: \(ui.dump)")
        // Esc goes back to the opt-out list; 6 back to the policy rows.
        ui.press(.escape, .char("6"))
        #expect(ui.crumbs.contains("Policy › check"))
        // Enter on a passing row shows the row in full.
        ui.press(.char("g"))
        #expect(ui.selectedText?.contains("card-numbers") == true)
        ui.press(.enter)
        #expect(ui.crumbs.contains("card-numbers"), "\(ui.crumbs)")
        #expect(ui.text.contains("No card number anywhere in the store"), "\(ui.dump)")
    }

    @Test(arguments: TermSize.both)
    func transparencyReportForAPeriodIsGeneratedAndAudited(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("aud", size: size)
        ui.press(.char("6"))
        #expect(ui.hints.contains("t transparency report"), "\(ui.hints)")
        ui.press(.char("t"))
        // The periods around the service's today (2026-03-02).
        #expect(ui.text.contains("2026H1") && ui.text.contains("2025H2") && ui.text.contains("other days"), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.crumbs.contains("transparency report 2026H1"), "\(ui.crumbs)")
        #expect(ui.text.contains("TRANSPARENCY REPORT 2026H1"), "\(ui.dump)")
        let event = try #require(world.newestAudit)
        #expect(event.action == "transparency.report" && event.actor == "aud" && event.target == "2026H1")
        #expect(ui.text.contains("Audited as seq \(event.seq)"), "\(ui.dump)")
        #expect(ui.flash.contains("audited as seq \(event.seq)"), "\(ui.flash)")
        // The whole report is there page by page, and redrawing does not generate it again.
        var pages = ui.text
        for _ in 0..<40 { ui.press(.pageDown); pages += ui.text }
        #expect(pages.contains("OPT-OUTS") && pages.contains("STATEMENTS"), "\(pages)")
        ui.tick()
        ui.tick()
        #expect(world.newestAudit?.seq == event.seq, "a redraw generated the report again")
        // Other days, through the form: a wrong day is refused on the form.
        ui.press(.escape, .char("t"))
        ui.press(.char("G"), .enter)
        ui.type("2026-02-30")
        ui.press(.tab)
        ui.type("2026-03-01")
        ui.press(.enter)
        #expect(ui.text.contains("not a day of the calendar"), "\(ui.dump)")
        #expect(world.newestAudit?.seq == event.seq)
    }

    @Test func readOnlyConsoleCannotGenerateTheReport() throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("root", readOnly: true)
        ui.press(.char("6"))
        #expect(!ui.hints.contains("transparency"), "\(ui.hints)")
        ui.press(.char("t"))
        #expect(ui.session.topOverlay == nil)
        #expect(ui.flash.contains("read-only"), "\(ui.flash)")
        // The check itself is a read: it runs.
        Self.settle(ui)
        // At 80 columns beside READ-ONLY and the counts, the worst status in a word.
        #expect(ui.lines[0].contains("READ-ONLY") && ui.lines[0].contains("policy FAIL"), "\(ui.lines[0])")
        #expect(ui.session.policy.latest?.summary == "1 FAIL")
    }
}
