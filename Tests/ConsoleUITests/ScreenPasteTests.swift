import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// Bracketed pastes reaching the console: text for the focused field, never keys. Outside a
/// field a paste does nothing; in a form its line breaks never submit; a card number pasted
/// into a form is still refused by the service and never reaches the store.
@Suite struct ScreenPasteTests {
    /// Every key that would act on the reports screen if typed, as one paste.
    static let actionKeys = "vbuxDcR?/:q\r\n\u{1B}\t 123j"

    @Test func outsideATextFieldAPasteDoesNothing() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("mo")
        let before = try #require(world.newestAudit).seq
        let selectedBefore = ui.selectedText
        let result = ui.press(.paste(Self.actionKeys))
        #expect(result != .quit)
        #expect(ui.session.topOverlay == nil, "a pasted key opened something")
        #expect(!ui.screen.isEditingText && !ui.screen.isInDetail)
        #expect(ui.flash.contains("paste ignored"), "\(ui.flash)")
        #expect(try #require(world.newestAudit).seq == before)
        #expect(try world.report("open").state == .open && world.report("second").state == .open)
        #expect(ui.selectedText == selectedBefore, "a pasted j moved the cursor")
        #expect(ui.crumbs.contains("Reports"), "a pasted 1 or Tab switched screens: \(ui.crumbs)")
        // Over an open pager (message content) it is nothing either: the pager stays.
        ui.press(.char("v"))
        #expect(ui.session.topOverlay is PagerOverlay)
        ui.press(.paste("q\r\u{1B}"))
        #expect(ui.session.topOverlay is PagerOverlay, "a pasted q, Enter or Esc closed the pager")
    }

    @Test func aPasteIntoTheFilterIsFilterTextAndItsEnterDoesNotLeaveTheFilter() throws {
        let world = try ScreenWorld(extraCustomers: 5)
        let ui = try world.console("sam")
        ui.press(.char("1"), .char("/"))
        #expect(ui.screen.isEditingText)
        ui.press(.paste("Archer\r"))
        #expect(ui.screen.isEditingText, "the pasted Enter closed the filter")
        #expect(ui.text.contains("Ann Archer"), "\(ui.dump)")
        #expect(!ui.text.contains("Bob Baker"), "\(ui.dump)")
    }

    @Test func aPasteWithANewlineDoesNotSubmitAForm() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        let count = try world.admin.listCustomers().count
        ui.press(.char("1"), .char("A"))
        let form = try #require(ui.session.topOverlay as? FormOverlay)
        ui.press(.paste("Zoë\nZed\r"))
        #expect(ui.session.topOverlay === form, "the pasted newline submitted or closed the form")
        #expect(form.form["name"] == "Zoë Zed ")
        ui.press(.paste("\u{1B}"))
        #expect(ui.session.topOverlay === form, "a pasted Esc cancelled the form")
        #expect(try world.admin.listCustomers().count == count)
        // A paste longer than the field says it was cut, under the field.
        ui.press(.ctrl("u"), .paste(String(repeating: "y", count: 250)))
        #expect(form.form["name"]?.count == 200)
        #expect(ui.text.contains("pasted text cut to fit: 200 of 250 characters kept"), "\(ui.dump)")
    }

    @Test func aPastedCardNumberNeverReachesTheStoreThroughAForm() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        let count = try world.admin.listCustomers().count
        let seq = try #require(world.newestAudit).seq
        ui.press(.char("1"), .char("A"))
        // A name with a card number after a line break, and a plain one in the address.
        ui.press(.paste("Card Holder\n4111 1111 1111 1111"), .tab)
        ui.press(.paste("holder@example.com"), .tab, .tab)
        ui.press(.paste("5500-0000-0000-0004\r\n"))
        ui.press(.enter)
        #expect(ui.session.topOverlay is FormOverlay, "\(ui.dump)")
        #expect(ui.text.contains("card number ending"), "\(ui.dump)")
        #expect(try world.admin.listCustomers().count == count)
        #expect(try #require(world.newestAudit).seq == seq)
        #expect(try world.admin.scanStore().isEmpty, "a card number reached the store's files")
        ui.press(.escape)
        #expect(try world.admin.scanStore().isEmpty)
    }
}
