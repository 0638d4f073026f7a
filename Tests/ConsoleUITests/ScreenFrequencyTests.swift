import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// `F` or `:freq COLUMN` on Customers: a popup counting the customers listed per value,
/// most common first, as the service counted them.
@Suite struct ScreenFrequencyTests {
    @Test(arguments: TermSize.both)
    func frequencyPopupOverTheFilter(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 6)
        let ui = try world.console("root", size: size)
        // F: pick the column, then the popup.
        ui.press(.char("F"))
        #expect(ui.text.contains("Count customers per") && ui.text.contains("e-mail domain"), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.text.contains("Customers per status: 10 customers, 1 value"), "\(ui.dump)")
        let active = try #require(ui.lines.first { $0.contains("active") && $0.contains("100%") }, "\(ui.dump)")
        #expect(active.contains("10") && active.contains("#"), "\(active)")
        #expect(ui.crumbs.contains("per status"))
        ui.press(.escape)
        #expect(!ui.text.contains("Customers per status"))

        // Over the filter: the e-mail domains of the customers listed.
        ui.press(.char("/"))
        ui.type("example")
        ui.press(.enter, .char(":"))
        ui.type("freq domain")
        ui.press(.enter)
        let expected = try world.admin.customerFrequencies(of: .domain, filter: "example")
        #expect(ui.text.contains("Customers per e-mail domain (filter \"example\"): \(expected.customers) customers"), "\(ui.dump)")
        let shown = ui.lines.compactMap { line in expected.rows.firstIndex { line.contains(" " + $0.value + " ") || line.contains("│ " + $0.value) } }
        #expect(shown == Array(expected.rows.indices), "most common first, as the service counted\n\(ui.dump)")
        #expect(expected.rows.first?.value == "example.com")
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
        ui.press(.char("q"))
        #expect(ui.screen.id == .customers && ui.session.overlays.isEmpty)
    }

    /// A large store is counted off the loop's thread: keys still work, and the popup opens on
    /// the tick after the count.
    @Test func aLargeStoreIsCountedInTheBackground() throws {
        let world = try ScreenWorld(extraCustomers: 6)
        let ui = try world.console("root")
        ui.press(.char("1"))
        let customers = try #require(ui.screen as? CustomersController)
        customers.backgroundThreshold = 3
        ui.press(.char(":"))
        ui.type("freq status")
        ui.press(.enter)
        #expect(ui.session.flash.message?.text == "counting 10 customers per status… (keys still work)", "\(ui.flash)")
        #expect(ui.session.overlays.isEmpty)
        ui.press(.char("j"))
        customers.finishFrequencies()
        ui.render()
        #expect(ui.text.contains("Customers per status: 10 customers, 1 value"), "\(ui.dump)")
    }

    @Test func servicesAndWhereItIsNotAvailable() throws {
        let world = try ScreenWorld(extraCustomers: 0)
        let ui = try world.console("mo")
        ui.press(.char(":"))
        ui.type("freq services")
        ui.press(.enter)
        #expect(ui.session.flash.message?.text.contains("go to the Customers list") == true, "\(ui.dump)")
        ui.press(.char("1"), .char(":"))
        ui.type("freq services")
        ui.press(.enter)
        #expect(ui.text.contains("Customers per services: 4 customers"), "\(ui.dump)")
        #expect(ui.text.contains("(none)") && ui.text.contains("hosting") && ui.text.contains("mail"), "\(ui.dump)")
        let help = Keymap.standard.helpLines(for: .customers).map(\.text)
        #expect(help.contains { $0.contains(":freq [status|services|domain]") }, "\(help)")
    }
}
