import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// Changes committed by another process appear after a tick, without a key.
@Suite struct ScreenLiveTests {
    @Test func aCommitByASecondInstanceShowsUpAfterATick() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        let other = try world.open("root")
        _ = try other.applyOptOut(world.optOuts["annEmail"]!.id)
        _ = try other.submitOptOut(OptOutSubmission(contact: "late@example.com", scopes: [.newsletter]))
        #expect(ui.text.contains("O000002") && !ui.text.contains("late@example.com"))
        #expect(ui.tick())
        #expect(!ui.text.contains("O000002"), "\(ui.dump)")
        #expect(ui.text.contains("late@example.com"))
        #expect(ui.lines[0].contains("4 pending"))
        // Nothing new: the tick reports no change (no redraw).
        #expect(!ui.tick())
    }

    @Test func theOpenRecordAndTheCustomerListFollowOtherProcesses() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("1"), .enter)
        let other = try world.open("root")
        _ = try other.addNote(customer: world.customers["ann"]!.id, text: "Note from another desk.")
        ui.tick()
        #expect(ui.text.contains("Note from another desk."), "\(ui.dump)")
        ui.press(.escape)
        _ = try other.addCustomer(CustomerInput(name: "Newly Added", email: "new@example.com"))
        _ = try other.updateCustomer(world.customers["bob"]!.id, CustomerChanges(name: "Robert Baker"))
        ui.tick()
        #expect(ui.text.contains("Newly Added") && ui.text.contains("Robert Baker"), "\(ui.dump)")
    }

    @Test func aRoleChangedElsewhereTakesEffect() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        #expect(!ui.session.disabled.contains(.optOutApply))
        _ = try world.admin.grant(user: "sam", role: .auditor)
        ui.tick()
        #expect(ui.session.disabled.contains(.optOutApply))
        #expect(ui.lines[0].contains("sam (auditor)"))
        ui.press(.char("a"))
        #expect(ui.flash.contains("apply is not available to sam (auditor)"), "\(ui.flash)")
        #expect(try world.optOut("overdue").state == .pending)
    }
}
