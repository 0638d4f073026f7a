import Foundation
import Testing

/// The columns a string takes in a terminal, computed independently of the code under test:
/// East Asian Wide/Fullwidth characters take two, combining marks none, everything else one.
func displayWidth(_ s: Substring) -> Int {
    var w = 0
    for ch in s {
        guard let v = ch.unicodeScalars.first?.value else { continue }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { continue }
        if (0x0300...0x036F).contains(v) { continue }
        let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                                           0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                                           0xFFE0...0xFFE6, 0x20000...0x3FFFD]
        w += wide.contains { $0.contains(v) } ? 2 : 1
    }
    return w
}

/// The display column at which `needle` starts in `line`, or nil.
func displayColumn(of needle: String, in line: Substring) -> Int? {
    guard let r = line.range(of: needle) else { return nil }
    return displayWidth(line[line.startIndex..<r.lowerBound])
}

/// Human output aligns by display width and never passes control characters through; `--json`
/// parses for every list and show command; lists come in their documented order.
@Suite("Output: alignment, sanitising, JSON, order")
struct OutputTests {
    @Test func humanListAlignsByDisplayWidth() throws {
        let sb = try Sandbox("align")
        defer { sb.cleanUp() }
        try sb.initStore()
        let people: [(String, String)] = [
            ("山田太郎", "taro@example.jp"),
            ("Zoë Müller", "zoe@example.de"),
            ("Jose\u{301} Garci\u{301}a", "jose@example.es"),  // combining accents
            ("Ann", "ann@example.com"),
            ("김민준 (Kim Min-jun)", "minjun@example.kr"),
            ("ＦＵＬＬ　ＷＩＤＴＨ", "fw@example.jp"),
        ]
        for (n, e) in people { try sb.addCustomer(name: n, email: e, phone: "+1 555 010 0000") }
        let r = try sb.ok(["customers", "list"])
        let lines = r.out.split(separator: "\n")
        try #require(lines.count == people.count + 1, "\(r)")
        let header = lines[0]
        let emailCol = try #require(displayColumn(of: "EMAIL", in: header), "\(r)")
        let phoneCol = try #require(displayColumn(of: "PHONE", in: header), "\(r)")
        for (name, email) in people {
            let row = try #require(lines.first { $0.contains(email) }, "no row for \(email)\n\(r)")
            #expect(row.contains(name), "the name is printed as is: \(name)\n\(r)")
            #expect(displayColumn(of: email, in: row) == emailCol, "EMAIL of \(name) starts at display column \(displayColumn(of: email, in: row) ?? -1), not \(emailCol)\n\(r.out)")
            #expect(displayColumn(of: "+1 555 010 0000", in: row) == phoneCol, "PHONE of \(name) misaligned\n\(r.out)")
        }
    }

    @Test func controlCharactersNeverReachTheTerminal() throws {
        let sb = try Sandbox("escape")
        defer { sb.cleanUp() }
        try sb.initStore()
        let evil = "Mallory \u{1B}[2J\u{1B}[31mEvil"
        let bell = "Bell\u{07}\u{9B}31mC1 \u{202E}gnp.exe"
        let added = try sb.run(["customers", "add", "--name", evil, "--email", "mallory@example.com", "--address", "Line 1\nLine 2\u{1B}]0;title\u{07}", "--json"])
        #expect(added.status == 0, "\(added)")
        try sb.addCustomer(name: bell, email: "bell@example.com")
        #expect(!added.stdout.contains(0x1B), "JSON escapes ESC instead of printing it")
        let addedObj = try added.jsonObject()
        #expect(str(addedObj, "name") == evil)
        let id = try #require(str(addedObj, "id"))
        try sb.ok(["customers", "note", id, "said \u{1B}[5mblink\u{1B}[0m on the phone"])
        try sb.ok(["optouts", "submit", "--contact", "mallory@example.com", "--note", "from \u{1B}[31mred\u{1B}[0m"])

        let commands: [[String]] = [
            ["customers", "list"], ["customers", "list", "--json"],
            ["customers", "show", id], ["customers", "show", id, "--json"],
            ["customers", "list", "--filter", "mallory"],
            ["optouts", "list"], ["optouts", "list", "--json"],
            ["mailing", "export", "service-bulletins"], ["mailing", "export", "service-bulletins", "--json"],
            ["audit", "list"], ["audit", "list", "--json"],
        ]
        for args in commands {
            let r = try sb.ok(args)
            #expect(!r.stdout.contains(0x1B), "ESC reached stdout of \(args)\n\(r)")
            #expect(!r.stderr.contains(0x1B), "ESC reached stderr of \(args)\n\(r)")
            #expect(!r.stdout.contains(0x07), "BEL reached stdout of \(args)\n\(r)")
            #expect(!r.out.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E }, "a C1 control or bidi override reached stdout of \(args)")
            if args.contains("--json") {
                _ = try r.json()
            }
        }
        let listed = try sb.ok(["customers", "list", "--json"]).jsonArray()
        #expect(listed.compactMap { str($0, "name") } == [evil, bell], "JSON gives back the exact name")
        let shown = try sb.ok(["customers", "show", id])
        #expect(shown.out.contains("Mallory ^[[2J^[[31mEvil"), "escape sequences are shown, not executed\n\(shown)")
        // The human list is still one line per record: a newline in the data cannot forge rows.
        let human = try sb.ok(["customers", "list"])
        #expect(human.out.split(separator: "\n").count == 3, "\(human)")

        // Errors echo data sanitised too.
        let bad = try sb.fails(65, ["customers", "add", "--name", "X", "--email", "\u{1B}[2Jnot-an-email"])
        #expect(!bad.stderr.contains(0x1B), "\(bad)")
    }

    @Test func everyListAndShowPrintsJSONInItsOrder() throws {
        let sb = try Sandbox("json")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.ok(["users", "grant", "mo", "moderator"])
        var ids: [String] = []
        for (i, n) in ["Carol", "Alice", "Bob", "Dave"].enumerated() {
            let c = try sb.addCustomer(name: n, email: "\(n.lowercased())@example.com", phone: "+1 555 000 000\(i)")
            ids.append(try #require(str(c, "id")))
        }
        // A later change does not reorder: customers by id.
        try sb.ok(["customers", "update", ids[0], "--name", "Carol Changed"])
        let customers = try sb.ok(["customers", "list", "--json"]).jsonArray()
        #expect(customers.compactMap { str($0, "id") } == ids)
        #expect(ids == ids.sorted())

        // Opt-outs by due date, whatever order they arrived in.
        try sb.ok(["optouts", "submit", "--contact", "+1 555 000 0003"])  // received now: due last
        let submitted: [(String, String)] = [("f1", "2026-11-20T10:00:00Z"), ("f2", "2026-10-01T10:00:00Z"), ("f3", "2026-11-02T10:00:00Z")]
        for (i, (name, at)) in submitted.enumerated() {
            try sb.deliverToSpool(["contact": "\(["carol", "alice", "bob"][i])@example.com", "submitted_at": at], name: name)
        }
        try sb.ok(["optouts", "ingest"])
        let optouts = try sb.ok(["optouts", "list", "--json"]).jsonArray()
        try #require(optouts.count == 4, "\(optouts)")
        let dues = optouts.compactMap { str($0, "due_at") }
        #expect(dues == dues.sorted(), "opt-outs by due date: \(dues)")
        #expect(optouts.compactMap { str($0, "contact") }.prefix(3) == ["alice@example.com", "bob@example.com", "carol@example.com"])
        #expect(str(optouts[3], "source") == "manual")
        let oID = try #require(str(optouts[0], "id"))
        #expect(str(try sb.ok(["optouts", "show", oID, "--json"]).jsonObject(), "id") == oID)

        // Reports: open first, oldest first.
        let maildir = sb.root + "/Maildir"
        _ = try ModerationFlowTests.makeMaildir(at: maildir)
        let comms = try sb.ok(["comms", "import-maildir", maildir, "--customer", ids[1], "--json"]).jsonArray()
        try #require(comms.count == 2)
        let m1 = try #require(str(comms[0], "id"))
        let m2 = try #require(str(comms[1], "id"))
        var reports: [String] = []
        for (m, why) in [(m1, "first"), (m2, "second"), (m1, "third")] {
            let r = try sb.ok(["reports", "file", "--comm", m, "--trigger", "tou-complaint", "--reason", why, "--json"]).jsonObject()
            reports.append(try #require(str(r, "id")))
        }
        try sb.ok(["moderation", "dismiss", reports[0], "--note", "not a violation", "--as", "mo"])
        let listed = try sb.ok(["reports", "list", "--json"]).jsonArray()
        #expect(listed.compactMap { str($0, "id") } == [reports[1], reports[2], reports[0]], "open reports first, oldest first")
        #expect(listed.compactMap { str($0, "state") } == ["open", "open", "dismissed"])

        // Every list/show command's --json parses.
        let jsonCommands: [[String]] = [
            ["customers", "list", "--json"], ["customers", "show", ids[1], "--json"],
            ["customers", "list", "--filter", "ALICE", "--json"], ["customers", "list", "--status", "closed", "--json"],
            ["optouts", "list", "--json"], ["optouts", "show", oID, "--json"],
            ["comms", "list", "--json"], ["comms", "list", "--customer", ids[1], "--json"],
            ["reports", "list", "--json"], ["reports", "show", reports[0], "--json"],
            ["users", "list", "--json"], ["audit", "list", "--json"], ["audit", "verify", "--json"],
            ["store", "stats", "--json"], ["store", "check", "--json"], ["store", "scan", "--json"],
            ["mailing", "export", "newsletter", "--json"],
        ]
        for args in jsonCommands {
            let r = try sb.ok(args)
            let j = try r.json()
            let isList = ["list", "export", "scan"].contains(args[1])
            if isList {
                #expect(j is [Any], "\(args) prints one JSON array\n\(r)")
            } else {
                #expect(j is [String: Any], "\(args) prints one JSON object\n\(r)")
            }
            if let a = j as? [[String: Any]], args[0] != "mailing", args[0] != "store" {
                for o in a {
                    #expect(o["id"] != nil, "\(args): every record has an id")
                    #expect(o["version"] is Int, "\(args): every record has a version")
                }
            }
        }
        let filtered = try sb.ok(["customers", "list", "--filter", "ALICE", "--json"]).jsonArray()
        #expect(filtered.compactMap { str($0, "id") } == [ids[1]])
        let audit = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let seqs = audit.compactMap { $0["seq"] as? Int }
        #expect(seqs == seqs.sorted(by: >), "audit newest first")
        for e in audit { expectKeys(e, ["seq", "at", "actor", "role", "action", "target", "case", "detail", "prev_hash", "hash"], "audit event") }
    }
}
