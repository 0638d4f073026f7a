import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The opt-out queue: due-date order, the OVERDUE marker, the triage flow through dialogs,
/// bulk apply of marked rows, and requests taken from the contact-form spool without a key.
@Suite struct ScreenOptOutsTests {
    @Test(arguments: TermSize.both)
    func queueIsByDueDateWithOverdueMarkedInWords(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam", size: size)
        let first = 4  // header, tabs, crumbs, titles
        #expect(ui.lines[first].contains("O000001") && ui.lines[first].contains("OVERDUE"), "\(ui.dump)")
        for (offset, id) in ["O000002", "O000003", "O000004"].enumerated() {
            #expect(ui.lines[first + 1 + offset].contains(id) && !ui.lines[first + 1 + offset].contains("OVERDUE"))
        }
        // The cursor row is drawn selected; moved off, the overdue row keeps its own style.
        #expect(ui.selectedRows == [first])
        ui.press(.char("j"))
        #expect(ui.selectedRows == [first + 1])
        #expect(ui.term.style(atRow: first, col: 4) == .overdue)
        #expect(ui.term.style(atRow: first + 2, col: 4) == .normal)
        #expect(ui.lines[3].contains("Due ▲"))
    }

    @Test func triageAppliesARequestThroughTheDialog() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("j"), .enter)
        #expect(ui.crumbs.contains("Opt-outs › open queue › O000002"))
        #expect(ui.text.contains("What the customer submitted") && ui.text.contains("ANN@example.com"), "\(ui.dump)")
        #expect(ui.text.contains("C0000001") && ui.text.contains("Ann Archer"))
        ui.press(.char("a"))
        let buttons = try #require(ui.row("[ Cancel ]"), "\(ui.dump)")
        let cancel = try #require(ui.term.column(of: "[ Cancel ]", inRow: buttons))
        let apply = try #require(ui.term.column(of: "[ Apply ]", inRow: buttons))
        #expect(ui.term.style(atRow: buttons, col: cancel) == .selected)
        #expect(ui.term.style(atRow: buttons, col: apply) == .normal)
        #expect(ui.text.contains("Exact matches: C0000001 Ann Archer"))
        #expect(ui.crumbs.contains("apply?"))
        ui.press(.tab)
        #expect(ui.term.style(atRow: buttons, col: apply) == .selected)
        #expect(try world.optOut("annEmail").state == .pending)
        ui.press(.enter)
        let after = try world.optOut("annEmail")
        #expect(after.state == .applied)
        #expect(after.decidedBy == "sam")
        #expect(ui.flash.contains("O000002 applied"), "\(ui.flash)")
        #expect(ui.text.contains("applied by sam"), "\(ui.dump)")
        #expect(world.newestAudit?.action == "optouts.apply")
        // Back on the list, the open queue no longer has it; the header counts one fewer.
        ui.press(.escape)
        #expect(!ui.lines[3..<22].contains { $0.contains("O000002") }, "\(ui.dump)")
        #expect(ui.lines[0].contains("3 pending"))
    }

    @Test func cancelChangesNothing() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("a"), .enter)
        ui.press(.char("a"), .escape)
        ui.press(.char("a"), .char("y"), .char("x"))  // letters do not confirm
        #expect(ui.session.topOverlay is ConfirmOverlay)
        ui.press(.escape)
        #expect(try world.optOut("overdue").state == .pending)
    }

    @Test func needsInfoWithANote() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("G"), .char("i"))
        ui.press(.enter)
        #expect(ui.text.contains("note is empty"), "\(ui.dump)")
        ui.type("Which newsletter address is yours?")
        ui.press(.enter)
        let r = try world.optOut("nobody")
        #expect(r.state == .needsInfo && r.note == "Which newsletter address is yours?")
        #expect(ui.text.contains("needs-info"))
    }

    @Test func rejectsWithAReasonPickedFromTheList() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("G"), .char("r"))
        for reason in OptOutRejectReason.allCases { #expect(ui.text.contains(reason.rawValue)) }
        ui.press(.char("j"), .enter)
        ui.type("no answer to two e-mails")
        ui.press(.enter)
        #expect(ui.text.contains("Reason: could not verify the request: no answer to two e-mails"), "\(ui.dump)")
        ui.press(.tab, .enter)
        let r = try world.optOut("nobody")
        #expect(r.state == .rejected)
        #expect(r.note == "could not verify the request: no answer to two e-mails")
    }

    @Test func bulkApplyTakesMarkedOpenRequestsWithExactMatchesAndSaysWhyOthersWereSkipped() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.space)  // O000001 (bob's e-mail), cursor moves down
        ui.press(.char("j"), .space, .space)  // O000003 (bob's phone), O000004 (nobody)
        #expect(ui.crumbs.contains("3 marked"), "\(ui.crumbs)")
        #expect(ui.text.contains("3 marked"))
        let markedRow = try #require(ui.row("O000003"))
        #expect(ui.lines[markedRow].hasPrefix(" *"), "\(ui.lines[markedRow])")
        // Another process applies O000001 meanwhile? No: that one is still open. Apply.
        ui.press(.char("a"))
        #expect(ui.text.contains("Apply 2 of the 3 marked requests"), "\(ui.dump)")
        #expect(ui.text.contains("O000004 no exact match"))
        ui.press(.tab, .enter)
        #expect(ui.flash.contains("applied 2 of 3 marked; skipped 1: O000004 no exact match"), "\(ui.flash)")
        #expect(try world.optOut("overdue").state == .applied)
        #expect(try world.optOut("bobPhone").state == .applied)
        #expect(try world.optOut("nobody").state == .pending)
        #expect(try world.optOut("annEmail").state == .pending)
        #expect(!ui.crumbs.contains("marked"))
    }

    @Test func requestsArrivingInTheSpoolAppearWithoutAKeypress() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        try world.deliver(contact: "kenji@example.jp", name: "1772442000.form1.web1")
        #expect(!ui.text.contains("kenji@example.jp"))
        #expect(ui.tick(seconds: 4))
        #expect(ui.text.contains("kenji@example.jp"), "\(ui.dump)")
        #expect(ui.flash.contains("1 new opt-out request from the contact form"), "\(ui.flash)")
        #expect(ui.lines[0].contains("5 pending"))
        #expect(try OptOutSpool(store: world.storePath).waiting().isEmpty)
    }

    @Test func aModeratorMayNotListOptOuts() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("mo")
        #expect(!ui.lines[1].contains("Opt-outs"), "\(ui.lines[1])")
        ui.press(.char("2"))
        #expect(ui.flash.contains("Opt-outs is not available to mo (moderator)"), "\(ui.flash)")
        #expect(ui.screen.id == .reports)
        #expect(!ui.text.contains("O000001"))
    }
}
