import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// `C` or `:columns` on Customers: tick the columns to show (narrow terminals); the choice
/// stays, a saved view keeps it, `a` goes back to what fits.
@Suite struct ScreenColumnChooserTests {
    static func header(_ ui: ScreenDriver) -> String {
        ui.lines.first { $0.contains("ID") && $0.contains("Name") } ?? ""
    }

    @Test(arguments: TermSize.both)
    func chooseColumnsKeepThemInAViewAndReset(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 2)
        let state = UserStateDirectory(path: world.base + "/state")
        let ui = ScreenDriver(ops: try world.open("root"), size: size, userState: state)
        ui.press(.char("1"))
        let auto = Self.header(ui)
        #expect(auto.contains("E-mail"))
        #expect(auto.contains("Phone") == (size.cols >= 100), "\(auto)")
        ui.press(.char("C"))
        #expect(ui.text.contains("Columns of the customer table") && ui.text.contains("[x] ID  (always)"), "\(ui.dump)")
        #expect(ui.text.contains("fits: needs"), "\(ui.dump)")
        // The id cannot be unticked; e-mail off, phone on.
        ui.press(.space, .char("j"), .char("j"), .space, .char("j"))
        // Phone shows by itself from 100 columns; below, tick it.
        if size.cols < 100 { ui.press(.space) }
        #expect(ui.text.contains("[x] ID") && ui.text.contains("[ ] E-mail") && ui.text.contains("[x] Phone"), "\(ui.dump)")
        ui.press(.enter)
        #expect(ui.session.overlays.isEmpty)
        let chosen = Self.header(ui)
        #expect(chosen.contains("Phone") && !chosen.contains("E-mail"), "\(ui.dump)")
        #expect(ui.text.contains("+1 555 0100 200"), "the phone shows\n\(ui.dump)")
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })

        // A saved view keeps the columns, in a later session too.
        ui.press(.char(":"))
        ui.type("view save phones")
        ui.press(.enter)
        let later = ScreenDriver(ops: try world.open("root"), size: size, userState: state)
        later.press(.char(":"))
        later.type("view phones")
        later.press(.enter)
        #expect(Self.header(later) == chosen, "\(later.dump)")

        // a: back to what fits; Esc leaves the choice as it was.
        later.press(.char("C"), .char("j"), .char("j"), .space, .escape)
        #expect(Self.header(later) == chosen)
        later.press(.char(":"))
        later.type("columns")
        later.press(.enter, .char("a"))
        #expect(Self.header(later) == auto, "\(later.dump)")
    }

    @Test func tooManyColumnsForTheWidthIsSaid() {
        var chooser = ColumnChooser(shown: CustomersRender.layout(width: 78), width: 78)
        #expect(chooser.neededWidth <= 78)
        for _ in 0..<3 { _ = chooser.handle(.down) }  // phone
        _ = chooser.handle(.space)
        _ = chooser.handle(.down); _ = chooser.handle(.down)  // services
        _ = chooser.handle(.space)
        #expect(chooser.columns == CustomersRender.Column.allCases)
        #expect(chooser.neededWidth > 78)
        let term = MemoryTerminal(rows: 24, cols: 80)
        chooser.draw(on: term, in: Rect(row: 3, col: 0, height: 18, width: 80))
        term.flush()
        #expect(term.text.contains("the last ones are cut"), "\(term.dump)")
        #expect(chooser.handle(.enter) == .chosen(CustomersRender.Column.allCases))
    }
}
