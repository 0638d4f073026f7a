import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// `:export csv|json PATH` writes the list as shown (filter and sort applied) through the
/// service, and says so in one line.
@Suite struct ScreenExportTests {
    static func command(_ ui: ScreenDriver, _ line: String) {
        ui.press(.char(":"))
        ui.type(line)
        ui.press(.enter)
    }

    static func text(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "(no file)"
    }

    /// The whole flash message (the line on screen may be cut at 80 columns).
    static func message(_ ui: ScreenDriver) -> String { ui.session.flash.message?.text ?? "" }

    @Test(arguments: TermSize.both)
    func exportsTheCustomersAsFilteredAndSorted(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 5)
        let ui = try world.console("root", size: size)
        ui.press(.char("/"))
        ui.type("example.com")
        ui.press(.enter)
        // Sort by name, then reversed: the file follows the screen's order.
        ui.press(.char("o"), .char("O"))
        let path = world.base + "/view.csv"
        Self.command(ui, "export csv \(path)")
        #expect(ui.flash.contains("exported"), "\(ui.dump)")
        let message = Self.message(ui)
        let shown = try world.admin.sortCustomerIDs(try world.admin.matchingCustomerIDs(filter: "example.com"), by: .name, ascending: false)
        #expect(message.hasPrefix("exported \(shown.count) rows of Customers to \(path) (CSV,"), "\(message)")
        #expect(message.contains("audited"))
        let lines = Self.text(path).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(lines.map { String($0.prefix(8)) } == shown, "\(Self.text(path))")
        #expect(!lines.contains { $0.contains("bob@example.org") || $0.contains("kenji@example.jp") })
        let event = try #require(world.newestAudit)
        #expect(event.action == "view.export" && event.target == "customers" && event.detail.contains("rows: \(shown.count)"))
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols })

        // The same path again: refused in one line, the file untouched.
        let before = Self.text(path)
        Self.command(ui, "export json \(path)")
        #expect(ui.flash.contains("error:") && Self.message(ui).contains("already exists"), "\(ui.flash)")
        #expect(Self.text(path) == before)
    }

    @Test func exportsTheOptOutQueueAsJSONWithSpacesInThePath() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let sam = try world.console("sam")
        #expect(sam.screen.id == .optOuts)
        let dir = world.base + "/My Exports"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        Self.command(sam, "export json \(dir)/queue.json")
        let data = try #require(FileManager.default.contents(atPath: dir + "/queue.json"))
        let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        guard case .rows(.optouts, let ids) = sam.app.screen.exportSelection() else {
            Issue.record("the opt-out screen has rows to export")
            return
        }
        #expect(array.map { $0["id"] as? String } == ids)
        #expect(ids.contains(world.optOuts["overdue"]!.id))
        #expect(Self.message(sam).hasPrefix("exported \(ids.count) rows of Opt-outs"), "\(Self.message(sam))")
    }

    @Test func whatCannotBeExportedIsSaidInOneLine() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let root = try world.console("root")
        Self.command(root, "export")
        #expect(Self.message(root).contains(":export csv PATH or :export json PATH"), "\(Self.message(root))")
        Self.command(root, "export csv")
        #expect(Self.message(root).contains("name the file to write"), "\(Self.message(root))")
        Self.command(root, "export xml out.xml")
        #expect(Self.message(root).contains("xml is not one of csv, json"), "\(Self.message(root))")
        root.press(.char("6"))
        Self.command(root, "export csv \(world.base)/policy.csv")
        #expect(Self.message(root).contains("Policy has no list to export"), "\(Self.message(root))")
        #expect(!FileManager.default.fileExists(atPath: world.base + "/policy.csv"))

        // Opened read-only: the export would be recorded, so it is refused like any change.
        let ro = try world.console("aud", readOnly: true)
        Self.command(ro, "export csv \(world.base)/ro.csv")
        #expect(Self.message(ro).contains("--read-only"), "\(Self.message(ro))")
        #expect(!FileManager.default.fileExists(atPath: world.base + "/ro.csv"))
    }

    /// A long list is read and formatted off the loop's thread; the file is written, and the
    /// export recorded, on the tick after it is ready.
    @Test func aLargeListIsExportedInTheBackground() throws {
        let world = try ScreenWorld(extraCustomers: 20)
        let ui = try world.console("root")
        ui.app.exportInlineLimit = 5
        ui.press(.char("1"))
        let seq = try #require(world.newestAudit).seq
        let path = world.base + "/big.csv"
        Self.command(ui, "export csv \(path)")
        #expect(Self.message(ui) == "exporting 24 rows of Customers… (keys still work)", "\(Self.message(ui))")
        #expect(!FileManager.default.fileExists(atPath: path), "written before the tick")
        // Keys still work meanwhile; a second export waits its turn.
        ui.press(.char("j"))
        Self.command(ui, "export json \(world.base)/second.json")
        #expect(Self.message(ui).contains("still being made"), "\(Self.message(ui))")
        ui.app.finishBackgroundExport()
        ui.render()
        #expect(Self.message(ui).hasPrefix("exported 24 rows of Customers to \(path)"), "\(Self.message(ui))")
        #expect(Self.text(path).components(separatedBy: "\r\n").count == 26)
        #expect(try #require(world.newestAudit).seq == seq + 1)
        // A path already taken is said at once, before any work.
        Self.command(ui, "export csv \(path)")
        #expect(Self.message(ui).contains("already exists") && ui.flash.contains("error:"), "\(Self.message(ui))")
    }

    @Test func helpListsTheCommand() throws {
        let lines = Keymap.standard.helpLines(for: .customers).map(\.text)
        #expect(lines.contains { $0.contains(":export [csv|json] PATH") }, "\(lines)")
        #expect(Keymap.standard.completions(for: "export c") == ["export csv"])
        #expect(Keymap.standard.resolve(command: "export csv a b.csv") == .action(.exportView, arguments: ["csv", "a", "b.csv"]))
        #expect(PrivacyConsole.text(of: "  export  csv  My Exports/a.csv ", afterWords: 2) == "My Exports/a.csv")
    }
}
