import Foundation
import Testing

/// `demo` creates a realistic store once, which passes every check and whose spooled contact
/// form requests ingest cleanly; the console refuses to start without a terminal.
@Suite("Demo store and console without a terminal")
struct DemoTests {
    @Test func demoStoreIsCreatedOnceAndIsHealthy() throws {
        let sb = try Sandbox("demo")
        defer { sb.cleanUp() }
        let dir = sb.store
        let created = try sb.run(["demo", "--no-console", "--customers", "300", "--store", dir], store: .some(nil))
        try #require(created.status == 0, "\(created)")
        #expect(fileExists(dir + "/journal.jsonl"))
        #expect(!fileExists(sb.root + "/lgadmin-demo"), "--store is honoured")
        let customers = try sb.ok(["customers", "list", "--json"]).jsonArray()
        #expect(customers.count == 300)
        let stats = try sb.ok(["store", "stats", "--json"]).jsonObject()
        let journal = try #require(fileBytes(dir + "/journal.jsonl"))

        // Run again: the store is used, not recreated.
        let again = try sb.run(["demo", "--no-console", "--customers", "50", "--seed", "7", "--store", dir], store: .some(nil))
        #expect(again.status == 0, "\(again)")
        #expect(fileBytes(dir + "/journal.jsonl") == journal, "a second demo run must not touch the store")
        let stats2 = try sb.ok(["store", "stats", "--json"]).jsonObject()
        #expect(stats2["seq"] as? Int == stats["seq"] as? Int)
        #expect(try sb.ok(["customers", "list", "--json"]).jsonArray().count == 300)

        try sb.auditVerifies()
        try sb.storeChecks()
        try sb.ok(["store", "scan"])

        // The demo staff exist with their roles.
        let users = try sb.ok(["users", "list", "--json"]).jsonArray()
        let roles = Dictionary(users.compactMap { u in str(u, "id").map { ($0, str(u, "role") ?? "") } }, uniquingKeysWith: { a, _ in a })
        #expect(roles["sam"] == "support")
        #expect(roles["mo"] == "moderator")
        #expect(roles["aud"] == "auditor")

        // The spooled contact-form requests are taken, each exactly once.
        let waiting = listDir(dir + "/inbox/optouts/new")
        #expect(!waiting.isEmpty, "the demo leaves requests waiting in the spool")
        let countBefore = try sb.ok(["optouts", "list", "--json", "--as", "sam"]).jsonArray().count
        let ingest = try sb.ok(["optouts", "ingest", "--json", "--as", "sam"]).jsonObject()
        let taken = (ingest["taken"] as? [String]) ?? []
        let bad = (ingest["bad"] as? [Any]) ?? []
        #expect(Set(taken).count == taken.count)
        #expect(taken.count + bad.count == waiting.count, "\(ingest)")
        #expect(Set(taken).isSubset(of: Set(waiting)))
        #expect(listDir(dir + "/inbox/optouts/new").isEmpty)
        #expect(Set(listDir(dir + "/inbox/optouts/cur")) == Set(taken))
        #expect(try sb.ok(["optouts", "list", "--json", "--as", "sam"]).jsonArray().count == countBefore + taken.count)
        let second = try sb.ok(["optouts", "ingest", "--json", "--as", "sam"]).jsonObject()
        #expect((second["taken"] as? [String])?.isEmpty == true)
        try sb.auditVerifies()
        try sb.storeChecks()

        // A moderator can open a demo case and read its message.
        let reports = try sb.ok(["reports", "list", "--state", "open", "--json", "--as", "mo"]).jsonArray()
        if let r = reports.first, let rid = str(r, "id"), let mid = str(r, "communication_id") {
            let v = try sb.ok(["comms", "view", mid, "--case", rid, "--as", "mo"])
            #expect(!v.stdout.isEmpty)
            #expect(!v.stdout.contains(0x1B))
        } else {
            Issue.record("the demo has no open report")
        }
        try sb.auditVerifies()
    }

    /// `demo --as sam` on a new store: the store is still made by the one running it, and sam
    /// keeps the demo's support role (the console would then open for sam).
    @Test func demoAsAnotherUserKeepsTheirRole() throws {
        let sb = try Sandbox("demo-as")
        defer { sb.cleanUp() }
        let r = try sb.run(["demo", "--no-console", "--customers", "50", "--seed", "5", "--as", "sam"])
        #expect(r.status == 0, "\(r)")
        let users = try sb.ok(["users", "list", "--json"]).jsonArray()
        #expect(users.contains { str($0, "id") == "sam" && str($0, "role") == "support" }, "\(users)")
        #expect(!users.contains { str($0, "granted_by") == "sam" }, "\(users)")
    }

    @Test func consoleRefusesWithoutATerminal() throws {
        let sb = try Sandbox("console")
        defer { sb.cleanUp() }
        try sb.initStore()
        for args in [["--store", sb.store], ["console", "--store", sb.store], []] {
            let r = try sb.fails(64, args)
            #expect(r.err.contains("subcommand"), "it says to use a subcommand\n\(r)")
        }
        // Keys arriving through a pipe are not a terminal either.
        let piped = try sb.run(["--store", sb.store], stdin: Data("q\n".utf8))
        #expect(piped.status == 64, "\(piped)")
        expectOneLineError(piped)
        // demo with the console wanted: creates the store, then refuses the console the same way.
        let demo = try sb.run(["demo", "--customers", "50", "--store", sb.root + "/demo2"], store: .some(nil))
        #expect(demo.status == 64, "\(demo)")
        #expect(demo.err.contains("subcommand"), "\(demo)")
        #expect(fileExists(sb.root + "/demo2/journal.jsonl"))
    }
}
