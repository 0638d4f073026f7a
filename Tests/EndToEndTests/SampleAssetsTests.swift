import Foundation
import Testing

// The sample data in Assets/samples works with the commands the README and the help name.

private let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Assets/samples").path

@Suite("Sample data in Assets/samples")
struct SampleAssetsTests {
    @Test("customers.csv imports cleanly, accents and quoted commas intact")
    func customersImport() throws {
        let s = try Sandbox("samples")
        defer { s.cleanUp() }
        try s.initStore()
        let r = try s.ok(["customers", "import", samples + "/customers.csv", "--json"])
        let cs = try r.jsonArray()
        #expect(cs.count == 8, "\(r)")
        #expect(cs.contains { $0["name"] as? String == "Zoë Müller" })
        #expect(cs.contains { $0["name"] as? String == "O'Brien, Siobhán" })
        try s.storeChecks()
    }

    @Test("the Maildir indexes three messages: plain, quoted-printable, multipart with an attachment")
    func maildirIndexes() throws {
        let s = try Sandbox("samples")
        defer { s.cleanUp() }
        try s.initStore()
        try s.addCustomer(name: "Zoë Müller", email: "zoe.muller@example.net")
        // Indexed in place: a copy, so the committed files are never touched.
        let copy = s.root + "/Maildir"
        try FileManager.default.copyItem(atPath: samples + "/Maildir", toPath: copy)
        try s.ok(["comms", "import-maildir", copy, "--customer", "C0000001"])
        let list = try s.ok(["comms", "list", "--json"]).jsonArray()
        let subjects = Set(list.compactMap { $0["subject"] as? String })
        #expect(subjects == ["Your hosting renewal", "Résumé of the outage on my site", "Action required: confirm your account"],
                "\(list)")
    }

    @Test("access.log reads as Combined Log Format: every line counted, none unreadable")
    func accessLogParses() throws {
        let s = try Sandbox("samples")
        defer { s.cleanUp() }
        try s.initStore()
        let r = try s.ok(["traffic", "report", "--min-count", "5", samples + "/access.log"])
        let lines = try String(contentsOfFile: samples + "/access.log", encoding: .utf8).split(separator: "\n").count
        #expect(lines >= 24)
        #expect(r.err.contains("read \(lines) line(s)"), "\(r)")
        #expect(!r.err.contains("could not be read") && !r.err.contains("incomplete"), "\(r)")
    }
}
