import Foundation
import Testing

@testable import PrivacyOps

/// Saved customer views as the service keeps them: per user, JSON, 0600, checked names, never
/// a card number, an unreadable file is no views.
@Suite struct SavedViewsTests {
    @Test func savedListedReplacedAndDeletedAcrossSessions() throws {
        let base = try CommandHistoryTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = UserStateDirectory(path: base + "/lgadmin")
        var views = SavedViews(directory: dir)
        #expect(views.views.isEmpty)
        try views.save(SavedView(name: "smiths", filter: "smith", status: .active, sort: .name, ascending: false,
                                 columns: [.name, .email, .id, .name]))
        try views.save(SavedView(name: "all-by-email", sort: .email))
        let again = SavedViews(directory: dir)
        #expect(again.views.map(\.name) == ["all-by-email", "smiths"])
        let smiths = try #require(again.view(named: "smiths"))
        // The id column is always there, first; a column named twice is shown once.
        #expect(smiths == SavedView(name: "smiths", filter: "smith", status: .active, sort: .name, ascending: false, columns: [.id, .name, .email]))
        #expect(smiths.summary == "filter \"smith\" · active · by name (reversed) · columns id, name, email")
        #expect(CommandHistoryTests.mode(base + "/lgadmin/views.json") == 0o600)
        // Same name: replaced.
        var third = SavedViews(directory: dir)
        try third.save(SavedView(name: "smiths", filter: "smithson"))
        #expect(SavedViews(directory: dir).view(named: "smiths")?.filter == "smithson")
        try third.delete("all-by-email")
        #expect(SavedViews(directory: dir).views.map(\.name) == ["smiths"])
        #expect(serviceExitCode { try third.delete("nope") } == 66)
    }

    @Test(arguments: ["", "two words", "save", "delete", String(repeating: "x", count: 41), "a/b", "tab\tname", "esc\u{1B}[31m"])
    func aBadNameIsRefused(_ name: String) throws {
        var views = SavedViews(directory: nil)
        #expect(serviceExitCode { try views.save(SavedView(name: name)) } == 65)
        #expect(views.views.isEmpty)
    }

    @Test func aFilterHoldingACardNumberIsNeverSaved() throws {
        let base = try CommandHistoryTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = UserStateDirectory(path: base)
        var views = SavedViews(directory: dir)
        #expect(serviceExitCode { try views.save(SavedView(name: "card", filter: "4111 1111 1111 1111")) } == 65)
        #expect(!FileManager.default.fileExists(atPath: base + "/views.json"))
        // Planted by hand: not read back; the others are.
        let planted = #"{"version":1,"views":[{"name":"card","filter":"4111111111111111","sort":"id","ascending":true},{"name":"ok","filter":"x","sort":"name","ascending":true}]}"#
        try Data(planted.utf8).write(to: URL(fileURLWithPath: base + "/views.json"))
        #expect(SavedViews(directory: dir).views.map(\.name) == ["ok"])
    }

    @Test func anUnreadableFileIsNoViews() throws {
        let base = try CommandHistoryTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = UserStateDirectory(path: base)
        for garbage in ["", "not json", "{\"version\":1}", "[1,2,3]", "{\"version\":1,\"views\":[{\"name\":\"x\",\"sort\":\"shoe size\"}]}"] {
            try Data(garbage.utf8).write(to: URL(fileURLWithPath: base + "/views.json"))
            #expect(SavedViews(directory: dir).views.isEmpty, "\(garbage)")
        }
        try FileManager.default.removeItem(atPath: base + "/views.json")
        try FileManager.default.createDirectory(atPath: base + "/views.json", withIntermediateDirectories: true)
        var views = SavedViews(directory: dir)
        #expect(views.views.isEmpty)
        #expect(serviceExitCode { try views.save(SavedView(name: "kept")) } == 1)
        #expect(views.view(named: "kept") != nil, "kept for the session")
    }
}
