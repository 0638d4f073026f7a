import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// `:view save NAME` keeps the Customers screen's filter, status, sort and columns; `:view NAME`
/// brings them back, in this session or a later one; `:view` lists them.
@Suite struct ScreenSavedViewsTests {
    static func command(_ ui: ScreenDriver, _ line: String) {
        ui.press(.char(":"))
        ui.type(line)
        ui.press(.enter)
    }

    static func message(_ ui: ScreenDriver) -> String { ui.session.flash.message?.text ?? "" }

    @Test(arguments: TermSize.both)
    func aSavedViewComesBackAfterARestart(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 4)
        let state = UserStateDirectory(path: world.base + "/state")
        let ui = ScreenDriver(ops: try world.open("sam"), size: size, userState: state)
        ui.press(.char("1"))
        Self.command(ui, "customers active")
        ui.press(.char("/"))
        ui.type("example.com")
        ui.press(.enter)
        ui.press(.char("o"), .char("O"))  // by name, reversed
        Self.command(ui, "view save mine")
        #expect(Self.message(ui).hasPrefix("saved view mine: filter \"example.com\" · active · by name (reversed)"), "\(Self.message(ui))")
        let shown = ui.lines

        let again = ScreenDriver(ops: try world.open("sam"), size: size, userState: state)
        #expect(again.screen.id == .optOuts)
        Self.command(again, "view mine")
        #expect(again.screen.id == .customers)
        #expect(again.crumbs.contains("active") && again.crumbs.contains("by name (reversed)"), "\(again.dump)")
        #expect(again.text.contains("/ example.com"), "\(again.dump)")
        // The same rows, in the same order, as when it was saved.
        #expect(Array(again.lines[4..<(size.rows - 3)]) == Array(shown[4..<(size.rows - 3)]), "\(again.dump)")
        #expect(again.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test func listingOpeningAndRefusing() throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let ui = ScreenDriver(ops: try world.open("root"), size: .standard, userState: UserStateDirectory(path: world.base + "/state"))
        Self.command(ui, "view")
        #expect(Self.message(ui).contains("no saved views yet"), "\(Self.message(ui))")
        ui.press(.char("/"))
        ui.type("bob")
        ui.press(.enter)
        Self.command(ui, "view save bobs")
        ui.press(.escape)
        #expect(ui.text.contains("Ann Archer"))
        // :view lists; Enter opens the one picked.
        Self.command(ui, "view")
        #expect(ui.text.contains("bobs") && ui.text.contains("filter \"bob\""), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.text.contains("Bob Baker") && !ui.text.contains("Ann Archer"), "\(ui.dump)")
        // Tab completes saved names.
        ui.press(.char(":"))
        ui.type("view b")
        ui.press(.tab)
        #expect(ui.lines[23].hasPrefix(":view bobs"), "\(ui.dump)")
        ui.press(.escape)
        // Refused by the service's rules, in one line.
        Self.command(ui, "view save two words")
        #expect(Self.message(ui).contains("use :view"), "\(Self.message(ui))")
        Self.command(ui, "view nothing-here")
        #expect(Self.message(ui).contains("no saved view nothing-here"), "\(Self.message(ui))")
        Self.command(ui, "view delete bobs")
        #expect(Self.message(ui) == "deleted view bobs")
        #expect(ui.session.views.views.isEmpty)
    }
}
