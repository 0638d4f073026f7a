import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The customers screen: the virtual table, filtering and sorting, the detail, and edit, note
/// and status through forms and dialogs that call the service.
@Suite struct ScreenCustomersTests {
    @Test(arguments: TermSize.both)
    func tableAlignsCJKAndShowsEscapesWithoutRunningThem(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = try world.console("root", size: size)
        let titleRow = 3
        let kenjiRow = try #require(ui.row("山田太郎"), "\(ui.dump)")
        // Every column separator of the CJK row sits where the title row's does.
        #expect(ui.term.columns(of: "│", inRow: kenjiRow) == ui.term.columns(of: "│", inRow: titleRow))
        // The escape sequence is shown, never sent.
        let evilRow = try #require(ui.row("Evil"))
        #expect(ui.lines[evilRow].contains("Evil ^[[31m"), "\(ui.lines[evilRow])")
        #expect(!ui.text.contains("\u{1B}") && !ui.text.contains("\u{FFFD}"))
        #expect(ui.term.columns(of: "│", inRow: evilRow) == ui.term.columns(of: "│", inRow: titleRow))
    }

    @Test func filterAsYouTypeAcrossFieldsAndEscClears() throws {
        let world = try ScreenWorld(extraCustomers: 5)
        let ui = try world.console("root")
        let all = ui.screen.trailing()
        #expect(all.isEmpty)
        ui.press(.char("/"))
        #expect(ui.screen.isEditingText)
        ui.type("spring")  // the address
        #expect(ui.text.contains("Ann Archer") && !ui.text.contains("Bob Baker"), "\(ui.dump)")
        #expect(ui.crumbs.contains("1 matching"))
        #expect(ui.lines[3].hasPrefix(" / spring"), "\(ui.dump)")
        ui.press(.enter)  // keep the filter, back to the keys
        #expect(!ui.screen.isEditingText)
        #expect(ui.text.contains("Ann Archer") && !ui.text.contains("Bob Baker"))
        ui.press(.char("/"), .char("u"))
        for _ in 0..<7 { ui.press(.backspace) }
        ui.type("7946 0000")  // phone digits
        #expect(ui.text.contains("Bob Baker") && !ui.text.contains("Ann Archer"), "\(ui.dump)")
        ui.press(.escape)  // clears
        #expect(ui.text.contains("Bob Baker") && ui.text.contains("Ann Archer"))
        #expect(!ui.crumbs.contains("matching"))
        ui.press(.char("/"))
        ui.type("KENJI@")  // e-mail, any case
        #expect(ui.text.contains("山田太郎") && !ui.text.contains("Bob Baker"))
    }

    @Test func sortsByColumn() throws {
        let world = try ScreenWorld(extraCustomers: 3)
        let ui = try world.console("root")
        #expect(ui.lines[3].contains("ID ▲"))
        ui.press(.char("o"))
        #expect(ui.lines[3].contains("Name ▲"), "\(ui.lines[3])")
        #expect(ui.crumbs.contains("by name"))
        #expect(ui.lines[4].contains("Ann Archer"), "\(ui.dump)")
        ui.press(.char("O"))
        #expect(ui.lines[3].contains("Name ▼"))
        #expect(ui.lines[4].contains("山田太郎"), "\(ui.dump)")
        // A new order starts at its first row.
        ui.press(.char("j"), .char("O"))
        #expect(ui.selectedRows == [4])
    }

    @Test func theTableDecodesOnlyVisibleRows() throws {
        let world = try ScreenWorld(extraCustomers: 150)
        let ui = try world.console("root")
        let rows = try #require((ui.screen as? CustomersController)?.rows)
        #expect(rows.count == 154)
        rows.resetDecodeCount()
        rows.invalidate(nil)
        ui.render()
        let visible = ConsoleLayout(rows: 24, cols: 80).body.height - 2
        #expect(rows.decodeCount > 0 && rows.decodeCount <= visible, "\(rows.decodeCount)")
        rows.resetDecodeCount()
        ui.press(.char("G"))
        #expect(ui.selectedText?.contains("C0000154") == true, "\(ui.dump)")
        #expect(rows.decodeCount <= visible)
        #expect(ui.text.contains("row 154 of 154"))
    }

    @Test func detailShowsContactPointsWithSuppressionsLogAndCommunications() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        _ = try world.admin.applyOptOut(world.optOuts["annEmail"]!.id)
        _ = try world.admin.addNote(customer: world.customers["ann"]!.id, text: "Called about the invoice.")
        let ui = try world.console("root", size: .large)
        ui.tick()
        #expect(ui.lines[4].contains("Ann Archer") && ui.lines[4].contains("all"), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.crumbs.contains("Customers › all › C0000001"))
        let emailRow = try #require(ui.lines.firstIndex { $0.contains("email") && $0.contains("ann@example.com") }, "\(ui.dump)")
        #expect(ui.lines[emailRow].components(separatedBy: "SUPPRESSED").count == 4)
        let phoneRow = try #require(ui.lines.firstIndex { $0.contains("phone") && $0.contains("+1 555 0100 200") })
        #expect(!ui.lines[phoneRow].contains("SUPPRESSED"))
        #expect(ui.text.contains("Customer log (1 note)") && ui.text.contains("Called about the invoice."))
        #expect(ui.text.contains("Opt-out requests (1)") && ui.text.contains("applied"))
        #expect(ui.text.contains("Status") && ui.text.contains("active") && ui.text.contains("hosting"))
        ui.press(.escape)
        ui.press(.char("j"), .enter)
        #expect(ui.text.contains("Communications (2)") && ui.text.contains("You won") && ui.text.contains("Lunch"), "\(ui.dump)")
    }

    @Test func editRefusesACardNumberOnTheFieldWithTheServicesReason() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        let before = try world.customer("ann")
        ui.press(.char("1"), .enter, .char("e"))
        #expect(ui.text.contains("Edit C0000001"), "\(ui.dump)")
        #expect(ui.crumbs.contains("edit"))
        ui.press(.tab, .tab, .tab, .ctrl("u"))  // name → e-mail → phone → address
        ui.type("4111 1111 1111 1111")
        ui.press(.tab)  // leaving the field checks it
        let errorRow = try #require(ui.lines.firstIndex { $0.contains("card number ending 1111") }, "\(ui.dump)")
        #expect(ui.term.style(atRow: errorRow, col: ui.term.column(of: "address", inRow: errorRow) ?? 20) == .error)
        ui.press(.enter)
        #expect(ui.session.topOverlay is FormOverlay)
        #expect(try world.customer("ann").version == before.version)
        ui.press(.ctrl("u"))  // the focus went back to the field with the error
        ui.type("2 Side Street")
        ui.press(.enter)
        #expect(ui.session.topOverlay == nil)
        #expect(ui.flash.contains("C0000001 saved (version \(before.version + 1))"), "\(ui.flash)")
        #expect(try world.customer("ann").address == "2 Side Street")
        #expect(ui.text.contains("2 Side Street"))
    }

    @Test func noteAndStatusChangeWithConfirmation() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("1"), .char("j"), .char("n"))
        ui.type("Asked to close the account.")
        ui.press(.enter)
        #expect(ui.flash.contains("added to C0000002"), "\(ui.flash)")
        ui.press(.enter)
        #expect(ui.text.contains("Asked to close the account."))
        // Status: a picker, then a dialog opening with Cancel focused.
        ui.press(.char("s"))
        #expect(ui.text.contains("Status of C0000002"))
        ui.press(.char("j"), .char("j"), .enter)
        let buttons = try #require(ui.row("[ Cancel ]"), "\(ui.dump)")
        let cancel = try #require(ui.term.column(of: "[ Cancel ]", inRow: buttons))
        #expect(ui.term.style(atRow: buttons, col: cancel) == .selected)
        #expect(ui.text.contains("from active to closed?"))
        ui.press(.enter)  // Cancel
        #expect(try world.customer("kenji").status == .active)
        ui.press(.char("s"), .char("j"), .char("j"), .enter, .tab, .enter)
        #expect(try world.customer("kenji").status == .closed)
        #expect(ui.flash.contains("C0000002 is now closed"))
        #expect(ui.text.contains("closed"))
    }

    @Test func aLostRaceSaysSoAndShowsTheCurrentRecord() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("1"), .char("e"))
        #expect(ui.session.topOverlay is FormOverlay)
        // Another member of staff saves first.
        let other = try world.open("root")
        _ = try other.updateCustomer(world.customers["ann"]!.id, CustomerChanges(name: "Ann Changed Elsewhere"))
        ui.press(.ctrl("u"))
        ui.type("Ann Mine")
        ui.press(.enter)
        #expect(ui.session.topOverlay == nil)
        #expect(ui.flash.contains("not saved: C0000001 was changed by someone else"), "\(ui.flash)")
        #expect(ui.text.contains("Not saved: customer C0000001 changed since version 1"), "\(ui.dump)")
        #expect(ui.text.contains("Ann Changed Elsewhere"))
        #expect(!ui.text.contains("Ann Mine"))
        #expect(try world.customer("ann").name == "Ann Changed Elsewhere")
    }

    @Test func addsACustomer() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        ui.press(.char("1"), .char("A"))
        ui.press(.enter)  // empty: the service's messages on the fields
        #expect(ui.text.contains("name is empty"), "\(ui.dump)")
        ui.type("Zoë Zed")
        ui.press(.tab)
        ui.type("zoe@example.com")
        ui.press(.enter)
        #expect(ui.flash.contains("added C0000006"), "\(ui.flash)")
        #expect(ui.selectedText?.contains("Zoë Zed") == true, "\(ui.dump)")
    }
}

/// On a large store, filtering and sorting run off the loop's thread: the keys keep working
/// and the rows arrive on a tick.
@Suite struct ScreenLargeStoreTests {
    @Test func sortAndFilterRunInTheBackground() throws {
        let world = try ScreenWorld(extraCustomers: 5)
        let ui = try world.console("root")
        let customers = try #require(ui.screen as? CustomersController)
        customers.backgroundThreshold = 0  // treat this store as large
        ui.press(.char("o"))
        #expect(ui.crumbs.contains("sorting 9 customers…"), "\(ui.crumbs)")
        #expect(ui.lines[3].contains("ID ▲"))  // the rows shown are still by id
        #expect(ui.press(.char("j")) == .redraw)  // keys still work meanwhile
        customers.finishBackgroundWork()
        ui.render()
        #expect(ui.lines[3].contains("Name ▲") && ui.lines[4].contains("Ann Archer"), "\(ui.dump)")
        #expect(!ui.crumbs.contains("sorting"))
        ui.press(.char("/"))
        ui.type("bob")
        #expect(ui.text.contains("Ann Archer"))  // not applied until typing pauses
        ui.tick(seconds: 0.5)
        customers.finishBackgroundWork()
        ui.render()
        #expect(ui.text.contains("Bob Baker") && !ui.text.contains("Ann Archer"), "\(ui.dump)")
        #expect(ui.crumbs.contains("1 matching"))
    }

    @Test func oneJobAtATimeAndTheLatestWishWins() throws {
        let world = try ScreenWorld(extraCustomers: 5)
        let ui = try world.console("root")
        let customers = try #require(ui.screen as? CustomersController)
        customers.backgroundThreshold = 0
        ui.press(.char("o"), .char("o"), .char("O"))  // name, then e-mail, then e-mail reversed
        customers.finishBackgroundWork()
        ui.render()
        #expect(ui.lines[3].contains("E-mail ▼"), "\(ui.dump)")
        #expect(ui.lines[4].contains("kenji@example.jp"), "\(ui.dump)")
        #expect(ui.selectedRows == [4])
    }
}
