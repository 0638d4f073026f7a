import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// `y` puts the current row's id on the terminal's clipboard with OSC 52 and says so; `?` help
/// filters its lines as you type.
@Suite struct ScreenClipboardAndHelpTests {
    @Test func theOSC52BytesAreExact() {
        #expect(Clipboard.osc52("C0000004") == Array("\u{1B}]52;c;QzAwMDAwMDQ=\u{07}".utf8))
        #expect(Clipboard.osc52("") == Array("\u{1B}]52;c;\u{07}".utf8))
        #expect(Clipboard.osc52(String(repeating: "x", count: Clipboard.maximumBytes + 1)) == nil)
    }

    @Test(arguments: TermSize.both)
    func yCopiesTheCurrentIdAndFlashes(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 3)
        let ui = try world.console("root", size: size)
        ui.press(.char("1"), .char("j"), .char("j"), .char("j"))
        let id = try #require(ui.screen.selectedRecordID)
        #expect(id == "C0000004")
        ui.press(.char("y"))
        #expect(ui.term.controlsSent == [Array("\u{1B}]52;c;QzAwMDAwMDQ=\u{07}".utf8)], "\(ui.term.controlsSent)")
        #expect(ui.flash.contains("copied C0000004"), "\(ui.flash)")
        // Sent once, with the frame after the key; not again on the next frames.
        ui.render()
        #expect(ui.term.controlsSent.count == 1)
        // Inside a record: its id.
        let overdue = world.optOuts["overdue"]!.id
        ui.press(.char(":"))
        ui.type(overdue)
        ui.press(.enter, .char("y"))
        #expect(ui.term.controlsSent.last == Clipboard.osc52(overdue))
        #expect(ui.flash.contains("copied \(overdue)"))
        // The policy screen lists findings, not records: nothing is sent.
        ui.press(.escape, .char("6"), .char("y"))
        #expect(ui.term.controlsSent.count == 2)
        #expect(ui.flash.contains("nothing to copy here"), "\(ui.flash)")
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test(arguments: TermSize.both)
    func helpFiltersAsYouType(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("root", size: size)
        ui.press(.char("1"), .char("?"))
        #expect(ui.text.contains("Help · Customers") && ui.text.contains("first row"), "\(ui.dump)")
        ui.type("expo")
        #expect(ui.text.contains("filter: expo"), "\(ui.dump)")
        #expect(ui.text.contains(":export [csv|json] PATH"), "\(ui.dump)")
        #expect(!ui.text.contains("first row") && !ui.text.contains("Moving around"), "\(ui.dump)")
        // Letters that would scroll or quit are filter text here.
        ui.press(.backspace, .backspace, .backspace, .backspace)
        ui.type("q")
        #expect(ui.session.topOverlay is HelpOverlay)
        #expect(ui.text.contains("quit"), "\(ui.dump)")
        ui.type("zzz")
        #expect(ui.text.contains("no key or command matches \"qzzz\""), "\(ui.dump)")
        // Esc clears the filter, then closes.
        ui.press(.escape)
        #expect(ui.text.contains("first row") && ui.session.topOverlay is HelpOverlay, "\(ui.dump)")
        ui.press(.escape)
        #expect(ui.session.topOverlay == nil && !ui.text.contains("Help ·"))
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test func theFilterKeepsHeadingsOfWhatMatches() {
        let lines = [StyledLine("You are x."), StyledLine(""), StyledLine("Actions", style: .title), StyledLine("  e  edit"),
                     StyledLine("  n  note"), StyledLine(""), StyledLine("Moving around", style: .title), StyledLine("  j  down")]
        #expect(HelpOverlay.filtered(lines, by: "EDIT").map(\.text) == ["Actions", "  e  edit"])
        #expect(HelpOverlay.filtered(lines, by: "n").map(\.text) == ["Actions", "  n  note", "", "Moving around", "  j  down"])
        #expect(HelpOverlay.filtered(lines, by: "") == lines)
    }
}
