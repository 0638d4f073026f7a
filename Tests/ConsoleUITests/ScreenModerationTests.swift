import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The moderation screen: open reports first, the case detail, content viewed through the case
/// (audited, sanitised), block with a ground from the list, unblock, dismiss and delete, and
/// refusals for roles that may not moderate.
@Suite struct ScreenModerationTests {
    @Test(arguments: TermSize.both)
    func caseDetailShowsTheMessageMetadataReasonAndHistory(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        _ = try world.admin.dismiss(report: world.reports["open"]!.id, note: "not phishing after all")
        let r3 = try world.admin.fileReport(communication: world.messages[0].id, trigger: .legal, reason: "court order", reporter: nil)
        let ui = try world.console("mo", size: size)
        // Open reports first.
        #expect(ui.lines[4].contains("R000002") && ui.lines[5].contains(r3.id) && ui.lines[6].contains("R000001"), "\(ui.dump)")
        #expect(ui.term.style(atRow: 6, col: 4) == .dim)
        ui.press(.char("G"), .enter)
        #expect(ui.text.contains("Spammer <spam@bad.example>") && ui.text.contains("You won"), "\(ui.dump)")
        #expect(ui.text.contains("phishing link reported") && ui.text.contains("abuse@example.net"))
        ui.press(.char("G"))  // scrolls the detail to its end
        #expect(ui.text.contains("not viewable: the case is closed"), "\(ui.dump)")
        #expect(ui.text.contains("Case history") && ui.text.contains("filed") && ui.text.contains("dismissed"))
    }

    @Test func aModeratorViewsContentThroughTheCaseAndTheViewIsAudited() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("mo")
        ui.press(.enter)
        #expect(ui.text.contains("press v to read it through this case"))
        ui.press(.char("v"))
        #expect(ui.text.contains("Message M0000001 read through case R000001"), "\(ui.dump)")
        #expect(ui.text.contains("Subject: You won"))
        // The terminal escape in the body is shown, not run.
        #expect(ui.text.contains("Click ^[]8;;http://bad.example^Ghere"), "\(ui.dump)")
        #expect(!ui.text.contains("\u{1B}"))
        let event = try #require(world.newestAudit)
        #expect(event.action == "comms.view" && event.actor == "mo" && event.caseId == "R000001" && event.target == "M0000001")
        ui.press(.escape)
        #expect(ui.session.topOverlay == nil)
    }

    @Test func blockWithAGroundFromThePickerMovesTheFileOutOfTheMaildir() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let file = world.messages[0].maildirPath
        #expect(FileManager.default.fileExists(atPath: file))
        let ui = try world.console("mo")
        ui.press(.char("b"))
        for ground in ModerationGround.allCases { #expect(ui.text.contains(ground.rawValue), "\(ui.dump)") }
        ui.press(.char("j"), .enter)  // harm-customers, then the note
        ui.press(.enter)
        #expect(ui.text.contains("Note is required"), "\(ui.dump)")
        ui.type("phishing page")
        ui.press(.enter)
        #expect(ui.text.contains("Block the message M0000001 reported in R000001?"), "\(ui.dump)")
        #expect(ui.text.contains("Ground: harm-customers"))
        ui.press(.tab, .enter)
        let r = try world.report("open")
        #expect(r.state == .blocked && r.ground == .harmCustomers)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(ui.flash.contains("M0000001 blocked"), "\(ui.flash)")
        #expect(ui.lines[try #require(ui.row("R000001 "))].contains("blocked"))
    }

    @Test func aTermsOfUseGroundAsksForTheClause() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("mo")
        ui.press(.char("j"), .char("b"), .char("G"), .enter)
        ui.type("bulk mail")
        ui.press(.enter)
        #expect(ui.text.contains("which clause of the Terms of Use"), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.text.contains("give the clause"))
        ui.type("4.2")
        ui.press(.enter, .tab, .enter)
        let r = try world.report("second")
        #expect(r.state == .blocked && r.ground == .touViolation && r.clause == "4.2")
    }

    @Test func deleteNeedsTheWordTyped() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("mo")
        ui.press(.char("D"), .enter)
        ui.type("malware")
        ui.press(.enter)
        #expect(ui.text.contains("Type delete to confirm"), "\(ui.dump)")
        ui.press(.tab, .enter)  // Delete is disabled until the word is typed
        #expect(ui.text.contains("type \"delete\" to confirm"))
        #expect(try world.report("open").state == .open)
        ui.type("delete")
        ui.press(.enter)
        #expect(try world.report("open").state == .deleted)
        #expect(!FileManager.default.fileExists(atPath: world.messages[0].maildirPath))
    }

    @Test func dismissAndUnblock() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        _ = try world.admin.block(report: world.reports["second"]!.id, ground: .harmCompany, clause: nil, note: "held")
        let ui = try world.console("mo")
        ui.press(.char("x"))
        ui.type("ordinary newsletter")
        ui.press(.enter)
        #expect(ui.text.contains("Close report R000001 without action?"), "\(ui.dump)")
        ui.press(.tab, .enter)
        #expect(try world.report("open").state == .dismissed)
        ui.press(.char("G"))
        #expect(ui.selectedText?.contains("R000002") == true, "\(ui.dump)")
        ui.press(.char("u"), .enter)
        ui.press(.tab, .enter)  // an empty reason: the service refuses, the form comes back
        #expect(ui.text.contains("reason is empty"), "\(ui.dump)")
        ui.type("complaint withdrawn")
        ui.press(.enter, .tab, .enter)
        #expect(try world.report("second").state == .reinstated)
        #expect(FileManager.default.fileExists(atPath: world.messages[1].maildirPath))
    }

    @Test func supportMayNotModerateAndNothingChanges() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam", size: .large)
        let auditBefore = try #require(world.newestAudit).seq
        // Support has no Reports tab: 3 and :reports say so and stay.
        #expect(!ui.lines[1].contains("Reports"), "\(ui.lines[1])")
        ui.press(.char("3"))
        #expect(ui.flash.contains("error: Reports is not available to sam (support): it needs the role admin, moderator, auditor"), "\(ui.flash)")
        #expect(ui.screen.id == .optOuts)
        ui.press(.char(":"))
        ui.type("reports open")
        ui.press(.enter)
        #expect(ui.flash.contains("Reports is not available to sam (support)"), "\(ui.flash)")
        #expect(ui.screen.id == .optOuts)
        ui.press(.char("b"))
        #expect(ui.session.topOverlay == nil)
        #expect(try world.report("open").state == .open)
        #expect(FileManager.default.fileExists(atPath: world.messages[0].maildirPath))
        #expect(try #require(world.newestAudit).seq == auditBefore)
        // The service refuses moderation to support anyway.
        let sam = try world.open("sam")
        #expect(throws: OpsError.self) { try sam.block(report: world.reports["open"]!.id, ground: .harmCustomers, clause: nil, note: "x", expectVersion: nil) }
    }

    /// A report root filed on its own word: `mo` confirms it with `c` (a note, then a dialog
    /// with Cancel focused); the service records it; the case shows who confirmed it.
    @Test func aModeratorConfirmsAReportSomeoneElseFiled() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let second = world.reports["second"]!
        #expect(second.confirmation == .awaiting && second.filedBy == "root")
        let ui = try world.console("mo", size: .large)
        ui.press(.char("j"))
        #expect(ui.selectedText?.contains(second.id) == true, "\(ui.dump)")
        #expect(ui.hints.contains("confirm report"), "\(ui.hints)")
        #expect(ui.selectedText?.contains("awaiting") == true, "the wide list shows the confirmation\n\(ui.dump)")
        ui.press(.enter)
        #expect(ui.text.contains("not yet: root may not read the message through it"), "\(ui.dump)")
        #expect(ui.text.contains("press c to confirm it"), "\(ui.dump)")
        ui.press(.char("c"))
        ui.type("the complaint stands")
        ui.press(.enter)
        #expect(ui.text.contains("Confirm report \(second.id) about \(second.communicationId), filed by root?"), "\(ui.dump)")
        ui.press(.enter)  // Cancel is focused: nothing happens
        #expect(try world.report("second").confirmation == .awaiting)
        ui.press(.char("c"), .enter, .tab, .enter)
        let r = try world.report("second")
        #expect(r.confirmation == .confirmed && r.confirmedBy == "mo")
        #expect(r.history.last?.action == "confirmed")
        let event = try #require(world.newestAudit)
        #expect(event.action == "reports.confirm" && event.actor == "mo" && event.caseId == second.id)
        #expect(ui.flash.contains("\(second.id) confirmed"), "\(ui.flash)")
        #expect(ui.text.contains("by mo at"), "\(ui.dump)")
        // Confirmed: nothing more to confirm, so c leaves the hint line.
        #expect(!ui.hints.contains("confirm report"), "\(ui.hints)")
    }

    /// The filer of a report nobody confirmed: v and c are greyed on that case (the service's
    /// answer, shown as the reason), refused on their key, and nothing is recorded.
    @Test func theFilerOfAnUnconfirmedReportMayNeitherViewNorConfirmIt() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let second = world.reports["second"]!
        let ui = try world.console("root", size: .large)
        let before = try #require(world.newestAudit).seq
        ui.press(.char("3"))
        let row = try #require(ui.row(second.id + " "), "\(ui.dump)")
        for _ in 0..<10 where ui.selectedRows.first != row { ui.press(.char("j")) }
        #expect(ui.selectedText?.contains(second.id) == true, "\(ui.dump)")
        #expect(!ui.hints.contains("view content") && !ui.hints.contains("confirm report"), "\(ui.hints)")
        ui.press(.char("v"))
        #expect(ui.flash.contains("another moderator or admin must confirm it first"), "\(ui.flash)")
        #expect(ui.session.topOverlay == nil)
        ui.press(.char("c"))
        #expect(ui.flash.contains("may not confirm it"), "\(ui.flash)")
        #expect(ui.session.topOverlay == nil)
        ui.press(.char("?"))
        for label in ["view content", "confirm report"] {
            let line = try #require(ui.lines.firstIndex { $0.contains("  \(label)") }, "\(label)\n\(ui.dump)")
            #expect(ui.lines[line].contains("not available to you here"), "\(ui.dump)")
        }
        ui.press(.escape, .enter)
        #expect(ui.text.contains("not viewable by you now"), "\(ui.dump)")
        #expect(try #require(world.newestAudit).seq == before)
        #expect(try world.report("second").confirmation == .awaiting)
        // The outside reporter's case needs no confirmation, and root may read through it.
        ui.press(.escape)
        let open = world.reports["open"]!
        let openRow = try #require(ui.row(open.id + " "), "\(ui.dump)")
        for _ in 0..<10 where ui.selectedRows.first != openRow { ui.press(.char("k")) }
        #expect(ui.selectedText?.contains(open.id) == true, "\(ui.dump)")
        #expect(ui.hints.contains("view content") && !ui.hints.contains("confirm report"), "\(ui.hints)")
    }

    @Test func anAuditorReadsCasesButNotContent() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("aud")
        ui.press(.char("3"), .enter)
        #expect(ui.text.contains("not viewable with your role"), "\(ui.dump)")
        ui.press(.char("v"))
        #expect(ui.flash.contains("view content is not available to aud (auditor)"), "\(ui.flash)")
        #expect(world.newestAudit?.action != "comms.view")
    }
}
