import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// ↑ and ↓ on the `:` and `/` prompts walk what was typed before, in this session and earlier
/// ones (the history the service keeps in the user's state directory).
@Suite struct ScreenHistoryTests {
    static func console(_ world: ScreenWorld, state: String, size: TermSize = .standard) throws -> ScreenDriver {
        let ops = try world.open("root")
        let ui = ScreenDriver(ops: ops, size: size, userState: UserStateDirectory(path: state))
        return ui
    }

    @Test func walkingLinesWithUpAndDown() {
        var line = CommandLineInput(history: ["customers", "optouts pending", "audit"])
        _ = line.handle(.char("x"), completions: { _ in [] })
        _ = line.handle(.up, completions: { _ in [] })
        #expect(line.text == "audit")
        _ = line.handle(.up, completions: { _ in [] })
        _ = line.handle(.up, completions: { _ in [] })
        #expect(line.text == "customers")
        // The oldest stays.
        _ = line.handle(.up, completions: { _ in [] })
        #expect(line.text == "customers")
        _ = line.handle(.down, completions: { _ in [] })
        #expect(line.text == "optouts pending")
        _ = line.handle(.down, completions: { _ in [] })
        _ = line.handle(.down, completions: { _ in [] })
        // Past the newest: what was being typed.
        #expect(line.text == "x")
        var empty = CommandLineInput()
        _ = empty.handle(.up, completions: { _ in [] })
        #expect(empty.text.isEmpty)
    }

    @Test(arguments: TermSize.both)
    func commandAndFilterLinesComeBackAfterARestart(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 3)
        let state = world.base + "/state"
        let ui = try Self.console(world, state: state, size: size)
        ui.press(.char(":"))
        ui.type("optouts pending")
        ui.press(.enter)
        #expect(ui.screen.id == .optOuts)
        ui.press(.char("1"), .char("/"))
        ui.type("archer")
        ui.press(.enter)
        // Not kept: a filter holding a card number.
        ui.press(.escape, .char("/"))
        ui.type("4111 1111 1111 1111")
        ui.press(.enter, .escape)
        #expect(!ui.session.history.lines(on: .filter).contains { $0.contains("4111") })

        // A new console (a new session) of the same person.
        let again = try Self.console(world, state: state, size: size)
        again.press(.char("1"), .char(":"), .up)
        #expect(again.lines[size.rows - 1].hasPrefix(":optouts pending"), "\(again.dump)")
        again.press(.enter)
        #expect(again.screen.id == .optOuts && again.crumbs.contains("pending"), "\(again.dump)")
        again.press(.char("1"), .char("/"), .up)
        // The filter typed earlier is back, and applied.
        #expect(again.text.contains("/ archer"), "\(again.dump)")
        #expect(again.text.contains("Ann Archer") && !again.text.contains("Bob Baker"), "\(again.dump)")
        // ↓ past the newest: the empty filter typed before the walk.
        again.press(.down)
        #expect(again.text.contains("Bob Baker"), "\(again.dump)")
        #expect(again.lines.allSatisfy { TextFitting.width($0) <= size.cols })
    }

    @Test func aStateDirectoryThatCannotBeWrittenIsSaidOnceAndNothingBreaks() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        // A file where the directory should be.
        let state = world.base + "/blocked"
        try Data("x".utf8).write(to: URL(fileURLWithPath: state))
        let ui = try Self.console(world, state: state + "/lgadmin")
        ui.press(.char(":"))
        ui.type("customers")
        ui.press(.enter)
        #expect(ui.session.flash.message?.text.contains("kept for this session only") == true, "\(ui.flash)")
        ui.press(.char(":"), .up)
        #expect(ui.lines[23].hasPrefix(":customers"), "\(ui.dump)")
    }
}
