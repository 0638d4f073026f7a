import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// `:ID` on the command line opens any record the role may see; `f` on a customer files a
/// report on one of their communications through the service.
@Suite struct ScreenJumpAndFileReportTests {
    static func command(_ ui: ScreenDriver, _ line: String) {
        ui.press(.char(":"))
        ui.type(line)
        ui.press(.enter)
    }

    @Test(arguments: TermSize.both)
    func jumpToARecordByIdFromTheCommandLine(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 3)
        let ui = try world.console("root", size: size)
        let kenji = world.customers["kenji"]!.id
        Self.command(ui, kenji.lowercased())
        #expect(ui.screen.id == .customers && ui.screen.isInDetail, "\(ui.dump)")
        #expect(ui.crumbs.contains(kenji) && ui.text.contains("山田太郎") && ui.text.contains("kenji@example.jp"), "\(ui.dump)")

        let overdue = world.optOuts["overdue"]!.id
        Self.command(ui, overdue)
        #expect(ui.screen.id == .optOuts && ui.crumbs.contains(overdue), "\(ui.dump)")
        #expect(ui.text.contains("stop the newsletter please") || ui.text.contains("bob@example.org"), "\(ui.dump)")

        // Ids are case-insensitive and their zeros optional.
        Self.command(ui, "r1")
        #expect(ui.screen.id == .reports && ui.crumbs.contains("R000001"), "\(ui.dump)")
        #expect(ui.text.contains("phishing link reported"), "\(ui.dump)")

        // A record that is not there: one line, nothing moves.
        let crumbs = ui.crumbs
        Self.command(ui, "C9999999")
        #expect(ui.flash.contains("no customer C9999999"), "\(ui.flash)")
        #expect(ui.crumbs == crumbs)
        Self.command(ui, "D000001")
        #expect(ui.flash.contains("no disclosure D000001"), "\(ui.flash)")
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test func aRecordTheRoleMayNotSeeIsRefusedInOneLine() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let mo = try world.console("mo")
        let crumbs = mo.crumbs
        Self.command(mo, world.optOuts["overdue"]!.id)
        #expect(mo.flash.contains("error:"), "\(mo.flash)")
        #expect(mo.flash.contains("mo (moderator) may not optouts show"), "\(mo.flash)")
        #expect(mo.crumbs == crumbs && mo.screen.id == .reports)
        let sam = try world.console("sam")
        Self.command(sam, "R000001")
        #expect(sam.flash.contains("error:"), "\(sam.flash)")
        #expect(sam.screen.id == .optOuts && !sam.text.contains("phishing link reported"))
        // Customers every role may see.
        Self.command(sam, world.customers["ann"]!.id)
        #expect(sam.screen.id == .customers && sam.text.contains("Ann Archer"), "\(sam.dump)")
    }

    @Test(arguments: TermSize.both)
    func fileAReportFromTheCustomersDetail(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 3)
        let kenji = world.customers["kenji"]!.id
        let before = try world.admin.listReports().count
        let ui = try world.console("sam", size: size)
        Self.command(ui, kenji)
        #expect(ui.hints.contains("f file report") || size.cols < 200, "\(ui.hints)")
        ui.press(.char("f"))
        #expect(ui.text.contains("File a report on which of \(kenji)'s communications?"), "\(ui.dump)")
        #expect(ui.text.contains(world.messages[0].id) && ui.text.contains(world.messages[1].id), "\(ui.dump)")
        ui.press(.char("j"), .enter)  // the second message
        #expect(ui.text.contains("Report \(world.messages[1].id): what brought it up?"), "\(ui.dump)")
        #expect(ui.text.contains("tou-complaint") && ui.text.contains("legal"), "\(ui.dump)")
        ui.press(.char("j"), .enter)  // tou-complaint
        #expect(ui.text.contains("Report \(world.messages[1].id) (tou-complaint)"), "\(ui.dump)")
        // The reason is required.
        ui.press(.enter)
        #expect(ui.text.contains("say what is wrong with the message"), "\(ui.dump)")
        ui.type("mass mailing to strangers")
        ui.press(.tab)
        ui.type("abuse@example.net")
        ui.press(.enter)
        #expect(ui.session.topOverlay == nil, "\(ui.dump)")
        _ = try world.admin.refresh()
        let reports = try world.admin.listReports()
        #expect(reports.count == before + 1)
        let filed = try #require(reports.first { $0.reason == "mass mailing to strangers" })
        #expect(filed.communicationId == world.messages[1].id && filed.trigger == .touComplaint && filed.reporter == "abuse@example.net")
        #expect(filed.filedBy == "sam" && filed.state == .open)
        #expect(ui.flash.contains("filed \(filed.id) about \(world.messages[1].id)"), "\(ui.flash)")
        let event = try #require(world.newestAudit)
        #expect(event.action == "reports.file" && event.actor == "sam")
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test func filingIsRefusedToAuditorsAndForCustomersWithoutMail() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let aud = try world.console("aud")
        Self.command(aud, world.customers["kenji"]!.id)
        aud.press(.char("f"))
        #expect(aud.flash.contains("file report is not available to aud (auditor)"), "\(aud.flash)")
        #expect(aud.session.topOverlay == nil)
        let sam = try world.console("sam")
        Self.command(sam, world.customers["ann"]!.id)
        sam.press(.char("f"))
        #expect(sam.flash.contains("has no communications to report"), "\(sam.flash)")
        #expect(sam.session.topOverlay == nil)
    }
}
