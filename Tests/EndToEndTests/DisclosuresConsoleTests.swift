import Foundation
import Testing

/// The Disclosures screen in a real terminal (tmux): one admin records a content disclosure in
/// the console, may not approve it herself, and a second admin approves and releases it there.
@Suite("Disclosures screen in a terminal (tmux)", .serialized)
struct DisclosuresConsoleTests {
    func console(_ sb: Sandbox, as user: String) throws -> TmuxSession {
        let binary = try LGAdminBinary.require()
        return try TmuxSession([binary, "--store", sb.store, "--as", user], env: ["LC_ALL": "C.UTF-8", "HOME": sb.root],
                               cols: 100, rows: 30)
    }

    /// The row of the disclosure to Jo Customer: filtered to it, so the actions work on it.
    func select(_ t: TmuxSession, _ id: String) throws {
        try t.send("/")
        try t.type(id)
        try t.waitFor("1 matching")
        try t.send("Enter")
    }

    @Test func recordRefuseTheRecordersApprovalApproveAsAnotherAdminRelease() throws {
        let sb = try Sandbox("console-disclosure")
        defer { sb.cleanUp() }
        // The demo has customers, Maildirs, and two admins: root and dora.
        try sb.ok(["demo", "--no-console", "--customers", "50", "--seed", "3", "--store", sb.store])
        let comms = try sb.ok(["comms", "list", "--state", "visible", "--json"]).jsonArray()
        let comm = try #require(comms.first.flatMap { str($0, "id") })
        let before = Set(try sb.ok(["disclosures", "list", "--json"]).jsonArray().compactMap { str($0, "id") })

        // dora records a content disclosure on provide-service, for the customer asking.
        let t = try console(sb, as: "dora")
        defer { t.kill() }
        try t.waitFor("Disclosures")
        try t.send("4")
        try t.waitFor("Disclosures › queue")
        try t.send("A")
        try t.waitFor("what is asked for?")
        try t.send("Enter")  // content
        try t.waitFor("provide-service")
        try t.send("Enter")  // provide-service, the first content ground
        try t.waitFor("What kind of request is it?")
        for _ in 0..<6 { try t.send("j") }
        try t.send("Enter")  // other
        try t.waitFor("Who is asking?")
        for _ in 0..<5 { try t.send("j") }
        try t.send("Enter")  // customer
        try t.waitFor("Requester:")
        try t.type("Jo Customer")
        try t.send("Tab", "Tab")
        try t.type(comm)
        try t.send("Enter")
        try t.waitFor("it needs the approval of an admin other than dora")
        let recorded = try sb.ok(["disclosures", "list", "--json"]).jsonArray().filter { !before.contains(str($0, "id") ?? "") }
        try #require(recorded.count == 1, "\(recorded)")
        let id = try #require(str(recorded[0], "id"))
        #expect(str(recorded[0], "state") == "recorded" && str(recorded[0], "recorded_by") == "dora", "\(recorded[0])")

        // Approve is refused to the recorder, with the service's reason; nothing changes.
        try select(t, id)
        try t.send("a")
        try t.waitFor("another admin must approve it")
        #expect(str(try sb.ok(["disclosures", "show", id, "--json"]).jsonObject(), "state") == "recorded")
        try t.send("q")
        try t.waitFor("[exited")
        t.kill()

        // root, the second admin, approves and releases it in the console.
        let r = try console(sb, as: "root")
        defer { r.kill() }
        try r.waitFor("Disclosures")
        try r.send("4")
        try r.waitFor("Disclosures › queue")
        try select(r, id)
        try r.send("a")
        try r.waitFor("you are the second admin")
        try r.waitFor("[ Cancel ]")
        try r.send("Tab", "Enter")  // the dialog opens on Cancel
        try r.waitFor("\(id) approved")
        try r.send("l")
        try r.waitFor("Release \(id): outcome")
        try r.send("Enter")  // all
        try r.send("Enter")  // no narrower list of items
        try r.waitFor("never a copy")
        try r.send("Tab", "Enter")
        try r.waitFor("released state") { _ in
            (try? sb.ok(["disclosures", "show", id, "--json"]).jsonObject()).flatMap { str($0, "state") } == "released"
        }
        let done = try sb.ok(["disclosures", "show", id, "--json"]).jsonObject()
        #expect(str(done, "approved_by") == "root", "\(done)")
        let manifest = (done["manifest"] as? [[String: Any]]) ?? []
        #expect(manifest.map { str($0, "id") } == [comm], "\(done)")
        try r.send("q")
        try r.waitFor("[exited")
        try sb.auditVerifies()
    }
}
