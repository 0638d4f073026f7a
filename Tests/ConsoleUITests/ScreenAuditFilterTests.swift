import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The audit screen's filters (`/` with actor:, action:, target:, since:, until: and words, the
/// service's filter), each record's history one key away (`H`), the changes in an event's
/// detail, and the customer filter ignoring case and accents; at 80×24 and 200×50.
@Suite struct ScreenAuditFilterTests {
    /// The audit rows shown (lines holding a seq and an action).
    static func actions(_ ui: ScreenDriver) -> [String] {
        let known = ["customers.", "optouts.", "reports.", "users.", "comms.", "store.", "disclosures.", "moderation."]
        return ui.lines.dropFirst(4).compactMap { line in
            line.split(separator: " ").map(String.init).first { w in known.contains { w.hasPrefix($0) } }
        }
    }

    @Test(arguments: TermSize.both)
    func filterByActionActorAndTargetAndEscClears(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let sam = try world.open("sam")
        let ann = world.customers["ann"]!.id
        _ = try sam.updateCustomer(ann, CustomerChanges(status: .suspended))
        let ui = try world.console("aud", size: size)
        #expect(ui.screen.id == .audit)
        let everything = Self.actions(ui)
        #expect(Set(everything).count > 3, "\(ui.dump)")

        ui.press(.char("/"))
        ui.type("action:customers.status")
        #expect(Self.actions(ui) == ["customers.status"], "\(ui.dump)")
        #expect(ui.crumbs.contains("1 matching"), "\(ui.crumbs)")
        ui.press(.enter)
        #expect(!ui.screen.isEditingText)
        // Combined with an actor: root never changed a status.
        ui.press(.char("/"))
        ui.type(" actor:root")
        #expect(Self.actions(ui).isEmpty && ui.text.contains("no audit event matches"), "\(ui.dump)")
        ui.press(.escape)
        #expect(Self.actions(ui).count >= min(everything.count, size.rows - 8), "\(ui.dump)")
        // A target: every event about Ann (her add and the status change), and the crumb says so.
        ui.press(.char("/"))
        ui.type("target:\(ann)")
        ui.press(.enter)
        #expect(Self.actions(ui) == ["customers.status", "customers.add"], "\(ui.dump)")
        #expect(ui.crumbs.contains("history of \(ann)"), "\(ui.crumbs)")
        // The newest event's detail shows its changes, status as it was and is.
        ui.press(.enter)
        #expect(ui.text.contains("Changes") && ui.text.contains("status: active -> suspended"), "\(ui.dump)")
        #expect(!ui.text.contains("Archer"), "personal data is kept masked in the audit")
    }

    @Test(arguments: TermSize.both)
    func badDateSaysWhatToWrite(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("aud", size: size)
        ui.press(.char("/"))
        ui.type("since:yesterday")
        #expect(ui.text.contains("2026-03-10"), "\(ui.dump)")
        ui.press(.escape)
        #expect(ui.text.contains("Chain verified"), "\(ui.dump)")
    }

    @Test(arguments: TermSize.both)
    func historyIsOneKeyAwayFromARecord(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("root", size: size)
        let ann = world.customers["ann"]!.id
        // From a customer's detail.
        ui.press(.char("1"))
        #expect(ui.screen.id == .customers)
        #expect(ui.hints.contains("history") || size.cols < 100, "\(ui.hints)")
        ui.press(.enter)
        #expect(ui.screen.isInDetail)
        ui.press(.char("H"))
        #expect(ui.screen.id == .audit, "\(ui.dump)")
        #expect(ui.crumbs.contains("history of \(ann)"), "\(ui.crumbs)")
        #expect(Self.actions(ui) == ["customers.add"], "\(ui.dump)")
        // From an opt-out on its list row, and from a report.
        ui.press(.char("2"))
        let optOut = try #require((ui.screen as? OptOutsController)?.currentKey)
        ui.press(.char("H"))
        #expect(ui.crumbs.contains("history of \(optOut)"), "\(ui.crumbs)")
        #expect(Self.actions(ui).contains("optouts.submit"), "\(ui.dump)")
        ui.press(.char("3"))
        let report = try #require((ui.screen as? ReportsController)?.currentKey)
        ui.press(.enter, .char("H"))
        #expect(ui.crumbs.contains("history of \(report)"), "\(ui.crumbs)")
        #expect(Self.actions(ui).contains("reports.file"), "\(ui.dump)")
        // Esc clears the filter: the whole trail again.
        ui.press(.escape)
        #expect(ui.crumbs.contains("newest first"), "\(ui.crumbs)")
    }

    @Test func historyIsRefusedToARoleWithoutTheAuditTrail() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("1"), .enter, .char("H"))
        #expect(ui.screen.id == .customers)
        #expect(ui.flash.contains("history") && ui.flash.contains("sam (support)"), "\(ui.flash)")
    }

    @Test(arguments: TermSize.both)
    func customerFilterIgnoresCaseAndAccentsAndFindsIds(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let zoe = try world.admin.addCustomer(CustomerInput(name: "Zoë Müller", email: "zm@example.de"))
        _ = try world.admin.addCustomer(CustomerInput(name: "Zoe\u{308} Nfd", email: "nfd@example.de"))
        let ui = try world.console("root", size: size)
        ui.press(.char("/"))
        ui.type("zoe muller")
        #expect(ui.text.contains("Zoë Müller") && !ui.text.contains("Ann Archer"), "\(ui.dump)")
        #expect(ui.crumbs.contains("1 matching"), "\(ui.crumbs)")
        ui.press(.escape, .char("/"))
        ui.type("ZOE")
        #expect(ui.text.contains("Zoë Müller") && ui.text.contains("Nfd"), "\(ui.dump)")
        ui.press(.escape, .char("/"))
        ui.type(zoe.id.lowercased())
        #expect(ui.text.contains("Zoë Müller") && ui.crumbs.contains("1 matching"), "\(ui.dump)")
    }
}
