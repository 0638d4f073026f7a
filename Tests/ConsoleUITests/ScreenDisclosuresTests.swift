import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The disclosures screen: what awaits approval or release first with its marks in words, a
/// record's whole history, the record form's ground picker (only the kind's grounds, asking for
/// what the ground needs), approve greyed for the recorder and taken by a second admin,
/// release through its dialogs, and roles that may only read.
@Suite struct ScreenDisclosuresTests {
    /// The screen world plus a second admin (`bea`) and four disclosures:
    /// - `waiting`: content, legal-process, recorded by root, awaiting approval (due in 10 business days);
    /// - `overdue`: account, recorded by bea, received three weeks ago, awaiting approval and OVERDUE;
    /// - `delayed`: content, recorded by bea, approved by root, released, notice delayed until a day that has passed;
    /// - `refused`: account, refused.
    final class Fixture {
        let world: ScreenWorld
        var ids: [String: String] = [:]

        init() throws {
            world = try ScreenWorld(extraCustomers: 1)
            let root = world.admin
            _ = try root.grant(user: "bea", role: .admin)
            let bea = try world.open("bea")
            let kenji = try #require(world.customers["kenji"]).id
            let ann = try #require(world.customers["ann"]).id
            let m = world.messages
            ids["waiting"] = try root.recordDisclosure(DisclosureInput(
                kind: .content, ground: .legalProcess, requester: "County Court", requesterType: .court, requestType: .subpoena,
                reference: "CV-2026-118", communicationIds: [m[0].id])).id
            ids["overdue"] = try bea.recordDisclosure(DisclosureInput(
                kind: .account, ground: .harmPrevention, requester: "CERT-EU", requesterType: .governmentAgency, requestType: .emergency,
                receivedAt: "2026-02-09", customerIds: [ann], dataCategories: [.contact])).id
            let delayed = try bea.recordDisclosure(DisclosureInput(
                kind: .content, ground: .legalProcess, requester: "Springfield Police", requesterType: .lawEnforcement, requestType: .warrant,
                reference: "SW-77", communicationIds: [m[1].id]))
            ids["delayed"] = delayed.id
            try root.refresh()
            _ = try root.approveDisclosure(delayed.id)
            _ = try root.releaseDisclosure(delayed.id)
            _ = try root.delayNotice(delayed.id, until: "2026-03-04", order: "NDO-5")
            let refused = try root.recordDisclosure(DisclosureInput(
                kind: .account, ground: .requiredByLaw, requester: "Harlow & Pike LLP", requesterType: .civilLitigant, requestType: .subpoena,
                customerIds: [kenji], dataCategories: [.contact]))
            ids["refused"] = refused.id
            _ = try bea.refuseDisclosure(refused.id, reason: "civil subpoena without a court order")
            // Two days later: the delay (through 2026-03-04) has run out.
            world.clock.advance(days: 3)
        }

        func disclosure(_ name: String) throws -> Disclosure {
            try world.admin.refresh()
            return try world.admin.disclosure(try #require(ids[name])).disclosure
        }
    }

    /// Everything the open detail shows, page by page (it may be longer than the screen); the
    /// view is back at the top afterwards.
    static func wholeDetail(_ ui: ScreenDriver) -> String {
        ui.press(.char("g"))
        var pages = [ui.text]
        for _ in 0..<30 {
            ui.press(.pageDown)
            if ui.text == pages.last { break }
            pages.append(ui.text)
        }
        ui.press(.char("g"))
        return pages.joined(separator: "\n")
    }

    @Test(arguments: TermSize.both)
    func queueShowsWhatAwaitsApprovalOrReleaseFirstWithMarksInWords(size: TermSize) throws {
        let fx = try Fixture()
        let ui = try fx.world.console("root", size: size)
        ui.press(.char("4"))
        #expect(ui.crumbs.contains("Disclosures › queue"), "\(ui.crumbs)")
        let first = 4  // header, tabs, crumbs, column titles
        let order = ["overdue", "waiting", "refused", "delayed"].compactMap { fx.ids[$0] }
        for (offset, id) in order.enumerated() {
            #expect(ui.lines[first + offset].contains(id), "row \(offset) should be \(id)\n\(ui.dump)")
        }
        let overdueRow = ui.lines[first]
        #expect(overdueRow.contains("OVERDUE") && overdueRow.contains("approval"), "\(overdueRow)")
        #expect(ui.lines[first + 1].contains("approval") && !ui.lines[first + 1].contains("OVERDUE"))
        #expect(ui.lines[first + 3].contains("DELAY RUN OUT"), "\(ui.dump)")
        #expect(ui.crumbs.contains("1 OVERDUE"), "\(ui.crumbs)")
        if size.cols >= 200 { #expect(ui.crumbs.contains("2 awaiting approval"), "\(ui.crumbs)") }
        // Not colour alone: the words are there; the overdue row also has its style once the cursor leaves it.
        ui.press(.char("j"))
        #expect(ui.term.style(atRow: first, col: 3) == .overdue)
        #expect(ui.term.style(atRow: first + 2, col: 3) == .dim)
        if size.cols >= 200 {
            #expect(ui.lines[3].contains("Requester") && ui.lines[3].contains("Notice"))
            #expect(ui.text.contains("CERT-EU") && ui.text.contains("delayed-by-order"))
        }
        // :disclosures notice-due lists the run-out delay only.
        ui.press(.char(":"))
        ui.type("disclosures notice-due")
        ui.press(.enter)
        #expect(ui.crumbs.contains("notice due"), "\(ui.crumbs)")
        let delayed = try #require(fx.ids["delayed"]), waiting = try #require(fx.ids["waiting"])
        #expect(ui.text.contains(delayed) && !ui.text.contains(waiting), "\(ui.dump)")
    }

    @Test(arguments: TermSize.both)
    func approveIsGreyedForTheRecorderAndTakenByASecondAdmin(size: TermSize) throws {
        let fx = try Fixture()
        let waiting = try #require(fx.ids["waiting"])
        let ui = try fx.world.console("root", size: size)
        ui.press(.char("4"))
        // The first row was recorded by bea: root may approve it.
        #expect(ui.hints.contains("approve"), "\(ui.hints)")
        // The second was recorded by root: approve is greyed and refused with the service's reason.
        ui.press(.char("j"))
        #expect(ui.selectedText?.contains(waiting) == true)
        #expect(!ui.hints.contains("approve"), "\(ui.hints)")
        ui.press(.char("a"))
        #expect(ui.session.topOverlay == nil)
        #expect(ui.flash.contains("another admin"), "\(ui.flash)")
        #expect(try fx.disclosure("waiting").state == .recorded)
        ui.press(.char("?"))
        #expect(ui.text.contains("approve (asks first) (not available to you here)"), "\(ui.dump)")
        ui.press(.escape, .enter)
        let detail = Self.wholeDetail(ui)
        #expect(detail.contains("approve: not available (root recorded \(waiting)"), "\(detail)")
        // Release waits for the approval; it says so.
        #expect(detail.contains("release: not available (\(waiting) is not approved"), "\(detail)")

        // bea approves it through the dialog, which opens with Cancel focused.
        let bea = try fx.world.console("bea", size: size)
        bea.press(.char("4"), .char("j"))
        #expect(bea.selectedText?.contains(waiting) == true)
        #expect(bea.hints.contains("approve"), "\(bea.hints)")
        bea.press(.char("a"))
        let buttons = try #require(bea.row("[ Cancel ]"), "\(bea.dump)")
        let cancel = try #require(bea.term.column(of: "[ Cancel ]", inRow: buttons))
        #expect(bea.term.style(atRow: buttons, col: cancel) == .selected)
        #expect(bea.text.contains("you are the second admin"))
        bea.press(.tab, .enter)
        let approved = try fx.disclosure("waiting")
        #expect(approved.state == .approved && approved.approvedBy == "bea")
        #expect(bea.flash.contains("\(waiting) approved"), "\(bea.flash)")
        #expect(fx.world.newestAudit?.action == "disclosures.approve" && fx.world.newestAudit?.caseId == waiting)

        // The recorder's console sees it live: now release is offered, approve is not.
        ui.tick(seconds: 2)
        ui.press(.escape)
        #expect(ui.selectedText?.contains(waiting) == true, "\(ui.dump)")
        #expect(ui.hints.contains("release") && !ui.hints.contains("approve"), "\(ui.hints)")
    }

    @Test func releaseThroughItsDialogsWritesTheManifest() throws {
        let fx = try Fixture()
        let waiting = try #require(fx.ids["waiting"])
        _ = try fx.world.open("bea").approveDisclosure(waiting)
        let ui = try fx.world.console("root")
        ui.press(.char("4"), .char("j"), .char("l"))
        #expect(ui.text.contains("Release \(waiting): outcome"), "\(ui.dump)")
        ui.press(.enter, .enter)  // all; no items typed
        #expect(ui.text.contains("Release to County Court (all): \(fx.world.messages[0].id)?"), "\(ui.dump)")
        ui.press(.tab, .enter)
        let d = try fx.disclosure("waiting")
        #expect(d.state == .released && d.outcome == .all)
        #expect(d.manifest.map(\.sha256) == [fx.world.messages[0].sha256])
        #expect(ui.text.contains("NOTICE DUE"), "\(ui.dump)")
        ui.press(.enter)
        let detail = Self.wholeDetail(ui)
        #expect(detail.contains("Manifest") && detail.contains(String(fx.world.messages[0].sha256.prefix(20))), "\(detail)")
        #expect(detail.contains("NOTICE DUE: tell the customer now"), "\(detail)")
    }

    @Test(arguments: TermSize.both)
    func detailShowsTheWholeHistory(size: TermSize) throws {
        let fx = try Fixture()
        let delayed = try #require(fx.ids["delayed"])
        let ui = try fx.world.console("aud", size: size)
        ui.press(.char("4"), .char("G"), .enter)
        #expect(ui.crumbs.contains(delayed), "\(ui.crumbs)")
        let text = Self.wholeDetail(ui)
        #expect(text.contains("History (the audit trail of this case"), "\(text)")
        for action in ["disclosures.record", "disclosures.approve", "disclosures.release", "disclosures.delay-notice"] {
            #expect(text.contains(action), "\(action) missing from the history\n\(text)")
        }
        #expect(text.contains("DELAY RUN OUT") && text.contains("NDO-5"), "\(text)")
        #expect(text.contains("notify customer: not available (aud (auditor) may not"), "\(text)")
        // An auditor reads; every action is greyed with the reason.
        #expect(!ui.hints.contains("notify") && !ui.hints.contains("approve"), "\(ui.hints)")
        ui.press(.char("n"))
        #expect(ui.flash.contains("not available to aud (auditor)"), "\(ui.flash)")
    }

    @Test func recordFormOffersOnlyTheKindsGroundsAndAsksForWhatTheGroundNeeds() throws {
        let fx = try Fixture()
        let ui = try fx.world.console("root")
        ui.press(.char("4"), .char("A"))
        func offered() -> [String] { (ui.session.topOverlay as? PickerOverlay)?.picker.items.map(\.id) ?? [] }
        #expect(offered() == ["content", "account"], "\(ui.dump)")
        #expect(ui.text.contains("personal and account information"))
        // account: its two grounds only.
        ui.press(.char("j"), .enter)
        #expect(offered() == ["harm-prevention", "required-by-law"], "\(ui.dump)")
        #expect(ui.text.contains("identify, contact or act against"), "\(ui.dump)")
        ui.press(.escape)
        #expect(ui.session.topOverlay == nil)

        // content, legal-process: the four content grounds; then only legal request types.
        ui.press(.char("A"), .enter)
        #expect(offered() == DisclosureKind.content.grounds.map(\.rawValue), "\(ui.dump)")
        #expect(ui.text.contains("needs a reference"), "the picker says what a ground needs\n\(ui.dump)")
        ui.press(.char("j"), .char("j"), .enter)
        #expect(offered() == ["subpoena", "court-order", "warrant", "interception-order"], "\(ui.dump)")
        ui.press(.enter, .enter)  // subpoena; the requester type (law-enforcement, first)
        #expect(ui.text.contains("Reference (needed)") && ui.text.contains("This ground needs"), "\(ui.dump)")
        #expect(!ui.text.contains("Seen in"))
        ui.type("District Attorney")
        ui.press(.tab, .tab)
        ui.type(fx.world.messages[1].id)
        let before = fx.world.newestAudit?.seq
        ui.press(.enter)
        #expect(ui.text.contains("legal-process needs the reference"), "\(ui.dump)")
        #expect(fx.world.newestAudit?.seq == before, "a refused record wrote something")
        // The refusal put the focus on the reference field.
        ui.type("GJ-2026-4411")
        ui.press(.enter)
        #expect(ui.session.topOverlay == nil, "\(ui.dump)")
        #expect(ui.flash.contains("recorded; it needs the approval of an admin other than root"), "\(ui.flash)")
        try fx.world.admin.refresh()
        let made = try #require(try fx.world.admin.listDisclosures().first { $0.reference == "GJ-2026-4411" })
        #expect(made.requester == "District Attorney" && made.requesterType == .lawEnforcement && made.requestType == .subpoena)
        #expect(made.communicationIds == [fx.world.messages[1].id] && made.recordedBy == "root")
        #expect(ui.text.contains(made.id), "\(ui.dump)")

        // law-enforcement-inadvertent: no requester picker (law enforcement only) and the case asked for.
        ui.press(.char("A"), .enter, .char("j"), .char("j"), .char("j"), .enter)
        #expect(ui.text.contains("What kind of request"), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.text.contains("Seen in (needed)") && ui.text.contains("from law-enforcement"), "\(ui.dump)")
        ui.type("City Police")
        ui.press(.tab, .tab)
        ui.type(fx.world.messages[0].id)
        ui.press(.enter)
        #expect(ui.text.contains("needs the report (case)"), "\(ui.dump)")
        ui.type(try #require(fx.world.reports["open"]).id)
        ui.press(.enter)
        #expect(ui.session.topOverlay == nil, "\(ui.dump)")
        try fx.world.admin.refresh()
        #expect(try fx.world.admin.listDisclosures().contains { $0.ground == .lawEnforcementInadvertent })
    }

    @Test func aCardNumberInTheFormIsRefusedAndNothingIsWritten() throws {
        let fx = try Fixture()
        let ui = try fx.world.console("root")
        ui.press(.char("4"), .char("A"), .char("j"), .enter, .enter, .enter, .enter)  // account, harm-prevention, subpoena, law-enforcement
        ui.type("Officer 4111 1111 1111 1111")
        let count = try fx.world.admin.listDisclosures().count
        ui.press(.enter)
        #expect(ui.text.contains("card number ending 1111"), "\(ui.dump)")
        try fx.world.admin.refresh()
        #expect(try fx.world.admin.listDisclosures().count == count)
    }

    @Test func supportMayNotListTheRegister() throws {
        let fx = try Fixture()
        let ui = try fx.world.console("sam")
        #expect(!ui.lines[1].contains("Disclosures"), "\(ui.lines[1])")
        ui.press(.char("4"))
        #expect(ui.flash.contains("Disclosures is not available to sam (support)"), "\(ui.flash)")
        #expect(ui.screen.id == .optOuts)
        ui.press(.char("A"))
        #expect(ui.session.topOverlay == nil)
    }
}
