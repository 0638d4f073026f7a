import Foundation
import Testing

/// `store compact` changes nothing that can be read; `store stats` reports; `store scan` finds a
/// card number planted anywhere in the store without printing it.
@Suite("Store maintenance: compact, stats, scan")
struct StoreMaintenanceTests {
    @Test func compactKeepsEverything() throws {
        let sb = try Sandbox("compact")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.ok(["users", "grant", "sam", "support"])
        var ids: [String] = []
        for i in 0..<12 {
            let c = try sb.addCustomer(name: "Customer \(i) Ünïcode 客户", email: "c\(i)@example.com", phone: "+1 555 100 \(1000 + i)")
            ids.append(try #require(str(c, "id")))
        }
        try sb.ok(["customers", "update", ids[3], "--status", "suspended"])
        try sb.ok(["customers", "note", ids[4], "prefers phone"])
        try sb.ok(["optouts", "submit", "--contact", "c5@example.com", "--scope", "newsletter"])
        let reads: [[String]] = [
            ["customers", "list", "--json"], ["customers", "show", ids[4], "--json"], ["optouts", "list", "--json"],
            ["users", "list", "--json"], ["mailing", "export", "newsletter", "--json"],
        ]
        func snapshot() throws -> [String] {
            try reads.map { try sb.ok($0).out }
        }
        let before = try snapshot()
        let auditBefore = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let statsBefore = try sb.ok(["store", "stats", "--json"]).jsonObject()

        let compacted = try sb.ok(["store", "compact"])
        #expect(compacted.out.contains("compacted"), "\(compacted)")
        let after = try snapshot()
        for (args, (b, a)) in zip(reads, zip(before, after)) {
            #expect(a == b, "\(args) differs after compaction")
        }
        #expect(after[0] == before[0], "customers list --json identical before and after compaction")
        let statsAfter = try sb.ok(["store", "stats", "--json"]).jsonObject()
        #expect((statsAfter["snapshot_seq"] as? Int ?? 0) > (statsBefore["snapshot_seq"] as? Int ?? 0), "\(statsAfter)")
        #expect(statsAfter["journal_commits"] as? Int ?? -1 <= 2, "a fresh journal after compaction: \(statsAfter)")
        // The audit trail survives with its chain (plus the mailing exports and compaction).
        let auditAfter = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let hashes = Set(auditAfter.compactMap { str($0, "hash") })
        #expect(auditBefore.allSatisfy { str($0, "hash").map(hashes.contains) == true })
        #expect(auditAfter.contains { str($0, "action") == "store.compact" })
        try sb.auditVerifies()
        try sb.storeChecks()

        // The store keeps working after compaction.
        let more = try sb.addCustomer(name: "After Compaction", email: "after@example.com")
        #expect((str(more, "id") ?? "") > ids.last ?? "")
        try sb.ok(["store", "compact"])
        #expect(try sb.ok(["customers", "list", "--json"]).jsonArray().count == 13)
        try sb.auditVerifies()
        try sb.fails(77, ["store", "compact", "--as", "sam"])
    }

    @Test func statsParsesAndScanFindsPlantedCardNumbers() throws {
        let sb = try Sandbox("scan")
        defer { sb.cleanUp() }
        try sb.initStore()
        for i in 0..<3 { try sb.addCustomer(name: "Scan \(i)", email: "scan\(i)@example.com", phone: "+1 555 200 300\(i)") }

        let stats = try sb.ok(["store", "stats", "--json"]).jsonObject()
        expectKeys(stats, ["seq", "journal_bytes", "journal_commits", "snapshot_bytes", "snapshot_seq", "collections"], "store stats")
        let collections = try #require(stats["collections"] as? [[String: Any]], "\(stats)")
        let customers = collections.first { str($0, "name") == "customers" }
        #expect(customers?["records"] as? Int == 3, "\(collections)")
        let human = try sb.ok(["store", "stats"])
        #expect(human.out.contains("customers"))

        let clean = try sb.ok(["store", "scan"])
        #expect(clean.out.contains("no card numbers"), "\(clean)")
        #expect(try sb.ok(["store", "scan", "--json"]).jsonArray().isEmpty)

        // Planted by something outside lgadmin: a stray export file in the store.
        let stray = sb.store + "/exports-old.txt"
        try Data("first line\nname,card\nx,4111111111111111\n".utf8).write(to: URL(fileURLWithPath: stray))
        let found = try sb.run(["store", "scan"])
        #expect(found.status == 65, "\(found)")
        expectOneLineError(found)
        #expect(found.out.contains("exports-old.txt"), "the finding names the file\n\(found)")
        #expect(!found.out.contains("4111111111111111") && !found.err.contains("4111111111111111"), "the number itself is never printed")
        let findings = try sb.run(["store", "scan", "--json"])
        #expect(findings.status == 65)
        let list = try findings.jsonArray()
        #expect(list.count == 1)
        #expect(list.first.flatMap { str($0, "file") } == "exports-old.txt")
        #expect(list.first?["line"] as? Int == 3)
        #expect(list.first.flatMap { str($0, "last4") } == "1111")

        // Also inside a nested folder (the spool's bad/).
        try FileManager.default.removeItem(atPath: stray)
        try sb.ok(["store", "scan"])
        try Data("{\"contact\": \"4111 1111 1111 1111\"}".utf8).write(to: URL(fileURLWithPath: sb.store + "/inbox/optouts/bad/x.json"))
        let nested = try sb.run(["store", "scan", "--json"])
        #expect(nested.status == 65, "\(nested)")
        #expect(try nested.jsonArray().first.flatMap { str($0, "file") } == "inbox/optouts/bad/x.json")
    }
}
