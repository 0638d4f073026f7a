import Crypto
import Foundation
import Testing

/// `transparency report` and `policy check` through the binary: text, `--json`, `--csv`, the
/// audit head each names, the audit event of a report with the SHA-256 of exactly what was
/// printed, and the exit codes (0, 1 on FAIL or with `--strict` on WARN, 64 usage, 77 for
/// support and moderators).
@Suite("Transparency report and policy check through the binary")
struct TransparencyAndPolicyTests {
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The half-year the binary's clock is in now: `2026H2`.
    static var currentHalf: String {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = utc.dateComponents([.year, .month], from: Date())
        return "\(c.year ?? 2026)H\((c.month ?? 1) <= 6 ? 1 : 2)"
    }

    /// RFC 4180 records (quoted fields, doubled quotes, CRLF).
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)
        var i = 0
        chars.append("\u{0}")
        while i < chars.count - 1 {
            let c = chars[i]
            if quoted {
                if c == "\"", chars[i + 1] == "\"" { field.append("\""); i += 1 } else if c == "\"" { quoted = false } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\r\n" || c == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.append(c)
            }
            i += 1
        }
        return records
    }

    /// root (admin), bea (a second admin), aud (auditor), sam (support), mo (moderator); a
    /// customer whose e-mail opted out of everything (applied), and a partner export.
    static func setUp(_ sb: Sandbox) throws {
        try sb.initStore()
        for (user, role) in [("bea", "admin"), ("aud", "auditor"), ("sam", "support"), ("mo", "moderator")] {
            try sb.ok(["users", "grant", user, role])
        }
        try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20 7946 0000")
        try sb.addCustomer(name: "Alan Turing", email: "alan@example.com")
        let o = try sb.ok(["optouts", "submit", "--contact", "ADA@example.com", "--json"]).jsonObject()
        try sb.ok(["optouts", "apply", try #require(str(o, "id"))])
        try sb.ok(["mailing", "export", "partner-offers", "--partner", "Acme, Inc."])
    }

    @Test func transparencyReportInEveryFormatIsAudited() throws {
        let sb = try Sandbox("transparency")
        defer { sb.cleanUp() }
        try Self.setUp(sb)
        let period = Self.currentHalf

        // Text: the head as 'audit head' printed it just before.
        let head = try sb.ok(["audit", "head"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try sb.ok(["transparency", "report", "--period", period])
        #expect(text.out.hasPrefix("TRANSPARENCY REPORT \(period):"), "\(text)")
        #expect(text.out.contains("\n  \(head)\n"), "the report names the head it was computed from\n\(text)")
        #expect(text.err.isEmpty)
        #expect(text.out.split(separator: "\n").allSatisfy { $0.count <= 78 }, "fits 80 columns\n\(text)")
        // Its audit event: the period and the SHA-256 of exactly what was printed.
        let events = try sb.ok(["audit", "list", "--limit", "1", "--json"]).jsonArray()
        let event = try #require(events.first)
        #expect(str(event, "action") == "transparency.report" && str(event, "target") == period && str(event, "actor") == "root")
        #expect(str(event, "detail")?.contains("sha256 \(Self.sha256(text.stdout))") == true, "\(event)")
        #expect(str(event, "detail")?.contains("audit head \(head)") == true, "\(event)")
        #expect(str(event, "prev_hash") == head.split(separator: ":").last.map(String.init))

        // JSON, by an auditor.
        let j = try sb.ok(["transparency", "report", "--period", period, "--json", "--as", "aud"]).jsonObject()
        let optouts = try #require(j["optouts"] as? [String: Any])
        #expect(optouts["received"] as? Int == 1 && optouts["applied"] as? Int == 1 && optouts["applied_within_48_hours"] as? Int == 1)
        #expect(optouts["share_within_48_hours_percent"] as? Double == 100)
        let partners = try #require(j["partner_shares"] as? [String: Any])
        let all = try #require(partners["all"] as? [String: Any])
        // Ada's phone and Alan's e-mail went out; Ada's e-mail opted out.
        #expect(all["exports"] as? Int == 1 && all["contact_points"] as? Int == 2 && all["excluded_by_optouts"] as? Int == 1 && all["accounts"] as? Int == 2)
        let jHead = try #require(j["audit_head"] as? [String: Any])
        let headSeq = try #require(Int(head.split(separator: ":")[0]))
        #expect(jHead["seq"] as? Int == headSeq + 1, "one event (the text report's) since")
        #expect(try sb.ok(["audit", "list", "--limit", "1", "--json"]).jsonArray().first.flatMap { str($0, "actor") } == "aud")

        // CSV: RFC 4180, one table of four columns; a name with a comma is quoted.
        let csv = try sb.ok(["transparency", "report", "--from", "2000-01-01", "--to", "2099-12-31", "--csv"])
        let raw = csv.out
        #expect(raw.hasPrefix("section,metric,breakdown,value\r\n") && raw.hasSuffix("\r\n"))
        let records = Self.csvRecords(raw)
        #expect(records.count > 50 && records.allSatisfy { $0.count == 4 }, "\(records.filter { $0.count != 4 })")
        #expect(records.contains(["report", "period", "", "2000-01-01..2099-12-31"]))
        #expect(records.contains(["partner_shares", "exports", "partner=Acme, Inc.", "1"]))
        #expect(raw.contains("partner_shares,exports,\"partner=Acme, Inc.\",1\r\n"))
        #expect(records.contains(["optouts", "applied", "all", "1"]))
        #expect(records.contains { $0[0] == "statements" && $0[1] == "content_second_approver" && $0[2] == "holds" })

        // Usage (64), roles (77): one line on stderr, nothing written.
        let seq = try sb.ok(["audit", "head"]).out
        try sb.fails(64, ["transparency", "report"])
        try sb.fails(64, ["transparency", "report", "--period", "2026H3"])
        try sb.fails(64, ["transparency", "report", "--period", period, "--json", "--csv"])
        try sb.fails(64, ["transparency", "report", "--from", "2026-01-01"])
        try sb.fails(64, ["transparency", "report", "--from", "2026-02-01", "--to", "2026-02-30"])
        try sb.fails(64, ["transparency", "report", "--period", period, "--from", "2026-01-01", "--to", "2026-02-01"])
        try sb.fails(77, ["transparency", "report", "--period", period, "--as", "sam"])
        try sb.fails(77, ["transparency", "report", "--period", period, "--as", "mo"])
        #expect(try sb.ok(["audit", "head"]).out == seq, "a refused report wrote something")
        try sb.auditVerifies()
    }

    @Test func policyCheckPassesWarnsAndFailsWithItsExitCodes() throws {
        let sb = try Sandbox("policy")
        defer { sb.cleanUp() }
        try Self.setUp(sb)

        // PASS: exit 0, the head it saw, not audited.
        let head = try sb.ok(["audit", "head"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let pass = try sb.ok(["policy", "check"])
        #expect(pass.out.contains("audit chain head \(head)"), "\(pass)")
        #expect(pass.out.contains("13 checks: 13 PASS, 0 WARN, 0 FAIL"), "\(pass)")
        for row in ["card-numbers", "optouts-overdue", "optouts-suppressed", "bulletins-only", "disclosure-grounds", "disclosure-approval",
                    "notice-delays", "content-views", "moderation-grounds", "quarantine", "traffic-min-count", "audit-chain", "roles"] {
            #expect(pass.out.contains("PASS    \(row)"), "\(row)\n\(pass)")
        }
        #expect(try sb.ok(["audit", "head"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == head, "the check is not audited")
        let pj = try sb.ok(["policy", "check", "--json", "--as", "aud"]).jsonObject()
        #expect(str(pj, "status") == "PASS" && (pj["rows"] as? [[String: Any]])?.count == 13)
        #expect(str(try #require(pj["audit_head"] as? [String: Any]), "hash") == head.split(separator: ":").last.map(String.init))
        try sb.ok(["policy", "check", "--strict"])

        // WARN: a notice delay that has run out. Exit 0, but 1 with --strict.
        let maildir = sb.root + "/mail/Maildir"
        for sub in ["cur", "new", "tmp"] { try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true) }
        try Data("From: x@example.net\nTo: ada@example.com\nSubject: hi\n\nbody\n".utf8).write(to: URL(fileURLWithPath: maildir + "/new/1772442000.M1P1.mail.example"))
        let customers = try sb.ok(["customers", "list", "--json"]).jsonArray()
        let customer = try #require(customers.first.flatMap { str($0, "id") })
        let comms = try sb.ok(["comms", "import-maildir", maildir, "--customer", customer, "--json"]).jsonArray()
        let comm = try #require(comms.first.flatMap { str($0, "id") })
        let d = try #require(str(try sb.ok(["disclosures", "record", "--kind", "content", "--ground", "legal-process", "--requester", "Police",
                                            "--requester-type", "law-enforcement", "--request-type", "warrant", "--reference", "SW-1",
                                            "--comm", comm, "--json"]).jsonObject(), "id"))
        try sb.ok(["disclosures", "approve", d, "--as", "bea"])
        try sb.ok(["disclosures", "release", d])
        let until = Date().addingTimeInterval(2)
        let untilText = ISO8601DateFormatter().string(from: until.addingTimeInterval(1))
        try sb.ok(["disclosures", "delay-notice", d, "--until", untilText, "--order", "NDO-1"])
        // Wait until the binary's clock (this machine's) is a whole second past the delay's end
        // (the end is written to the second, cut from until + 1 s).
        while Date() <= until.addingTimeInterval(2.5) { usleep(100_000) }
        let warn = try sb.ok(["policy", "check"])
        #expect(warn.out.contains("WARN    notice-delays") && warn.out.contains(d), "\(warn)")
        let strict = try sb.run(["policy", "check", "--strict"])
        #expect(strict.status == 1, "\(strict)")
        expectOneLineError(strict)
        #expect(strict.err.contains("--strict") && strict.err.contains("notice-delays"), "\(strict)")
        let wj = try sb.ok(["policy", "check", "--json"]).jsonObject()
        #expect(str(wj, "status") == "WARN" && wj["warn"] as? Int == 1)

        // FAIL: a card number left in the store. Exit 1, one line on stderr; the rows still print.
        try Data("note: 4111 1111 1111 1111\n".utf8).write(to: URL(fileURLWithPath: sb.store + "/stray.txt"))
        let fail = try sb.run(["policy", "check", "--json"])
        #expect(fail.status == 1, "\(fail)")
        expectOneLineError(fail)
        let fj = try fail.jsonObject()
        let card = try #require((fj["rows"] as? [[String: Any]])?.first { str($0, "id") == "card-numbers" })
        #expect(str(card, "status") == "FAIL" && card["first_ids"] as? [String] == ["stray.txt:1"], "\(card)")
        #expect(!fail.out.contains("4111"), "never the number")
        let failText = try sb.run(["policy", "check"])
        #expect(failText.status == 1 && failText.out.contains("FAIL    card-numbers"), "\(failText)")

        // Roles: support and moderators may not run it.
        try sb.fails(77, ["policy", "check", "--as", "sam"])
        try sb.fails(77, ["policy", "check", "--as", "mo"])
    }
}
