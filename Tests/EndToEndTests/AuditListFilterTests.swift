import Foundation
import Testing

/// `lgadmin audit list --actor --action --target --since --until` through the built binary:
/// criteria combine, `--json` carries each event's changes, a bad date exits 65 with one line.
@Suite("audit list filters")
struct AuditListFilterTests {
    @Test func filtersCombineAndChangesArePrinted() throws {
        let sb = try Sandbox("audit-filter")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.ok(["users", "grant", "sam", "support"])
        let c = try sb.addCustomer(name: "Zoë Müller", email: "zoe@example.com", phone: "+1 555 010 4567")
        let id = try #require(c["id"] as? String)
        try sb.ok(["customers", "update", id, "--status", "suspended", "--as", "sam"])
        try sb.addCustomer(name: "Other", email: "other@example.com")

        let r = try sb.ok(["audit", "list", "--target", id, "--json"])
        let events = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [[String: Any]])
        #expect(events.map { $0["action"] as? String } == ["customers.status", "customers.add"], "\(r)")
        #expect(events.allSatisfy { $0["target"] as? String == id })
        let status = try #require(events.first?["changes"] as? [[String: Any]])
        #expect(status.contains { $0["field"] as? String == "status" && $0["before"] as? String == "active" && $0["after"] as? String == "suspended" })
        let add = try #require(events.last?["changes"] as? [[String: Any]])
        #expect(add.contains { $0["field"] as? String == "phone" && $0["after"] as? String == "…4567" })
        #expect(!r.out.contains("Müller") && !r.out.contains("zoe@"), "\(r)")

        // Combined criteria; the text table shows the change.
        let text = try sb.ok(["audit", "list", "--actor", "sam", "--action", "customers", "--since", "2000-01-01", "--until", "2999-12-31"])
        #expect(text.out.contains("customers.status") && text.out.contains("status: active -> suspended"), "\(text)")
        #expect(!text.out.contains("customers.add"), "\(text)")
        let none = try sb.ok(["audit", "list", "--actor", "sam", "--action", "customers.add", "--json"])
        #expect((try JSONSerialization.jsonObject(with: none.stdout) as? [Any])?.isEmpty == true, "\(none)")
        // A plain number after --since is still a seq, as before.
        let afterSeq = try sb.ok(["audit", "list", "--since", "1", "--json"])
        #expect(((try JSONSerialization.jsonObject(with: afterSeq.stdout) as? [[String: Any]]) ?? []).allSatisfy { ($0["seq"] as? Int ?? 0) > 1 })
    }

    @Test(arguments: [["--since", "yesterday"], ["--until", "2026-02-30"], ["--since", "2026-03-04", "--until", "2026-03-03"]])
    func badDatesExit65(_ args: [String]) throws {
        let sb = try Sandbox("audit-filter-bad")
        defer { sb.cleanUp() }
        try sb.initStore()
        let r = try sb.fails(65, ["audit", "list"] + args)
        #expect(r.err.contains("2026-03-10") || r.err.contains("before"), "\(r)")
    }
}
