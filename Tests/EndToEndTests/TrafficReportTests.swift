import Foundation
import Harness
import Testing

/// `lgadmin traffic report` through the built binary: formats, gzip, standard input, exit codes,
/// unreadable lines by number only, and the audit event.
@Suite("Traffic report")
struct TrafficReportTests {
    /// A small log worked out by hand (K = 5): eight clients read / on 10 March, six of them
    /// /docs; two read /rare; a crawler, a style sheet, and one garbage line (line 18) that holds an address.
    static func log() -> String {
        var lines: [String] = []
        func line(_ client: String, _ target: String, agent: String = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
                  referer: String = "https://www.google.co.uk/search?q=private+words") -> String {
            #"\#(client) - - [10/Mar/2026:09:15:00 +0100] "GET \#(target) HTTP/1.1" 200 1234 "\#(referer)" "\#(agent)""#
        }
        for c in 1...8 { lines.append(line("2001:db8::\(c)", "/?session=s3cr3t\(c)")) }
        for c in 1...6 { lines.append(line("host\(c).pool.example-isp.co.uk", "/docs")) }
        for c in 1...2 { lines.append(line("203.0.113.\(c)", "/rare")) }
        lines.append(line("66.249.66.1", "/", agent: "Googlebot/2.1 (+http://www.google.com/bot.html)"))
        lines.append("203.0.113.99 this line is garbage")
        lines.append(line("203.0.113.1", "/site.css"))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static let secrets = ["2001:db8", "host1.pool", "203.0.113", "s3cr3t", "private", "Firefox", "Googlebot", "example-isp.co.uk.", "garbage"]

    func sandbox(_ label: String) throws -> (Sandbox, String) {
        let sb = try Sandbox(label)
        try sb.initStore()
        let path = sb.root + "/access.log"
        try Data(Self.log().utf8).write(to: URL(fileURLWithPath: path))
        return (sb, path)
    }

    func expectNoSecrets(_ r: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
        for s in Self.secrets {
            #expect(!r.out.contains(s), "stdout holds \(s)\n\(r)", sourceLocation: sourceLocation)
            #expect(!r.err.contains(s), "stderr holds \(s)\n\(r)", sourceLocation: sourceLocation)
        }
    }

    @Test func textReportWithItsHeader() throws {
        let (sb, log) = try sandbox("traffic-text")
        defer { sb.cleanUp() }
        let r = try sb.ok(["traffic", "report", log, "--min-count", "5", "--by", "page,isp"])
        // / 8 visitors, 8 views → 10, 10; /docs 6, 6 → 5, 5; /rare 2 → other (2 < 5) withheld,
        // with /docs (the next smallest). ISP: unresolved 10 (8 + 2), example-isp.co.uk 6.
        #expect(r.out.contains("Minimum count:  5 distinct visitors per cell"), "\(r)")
        #expect(r.out.contains("nearest multiple of 5"))
        #expect(r.out.contains("month (UTC): 2026-03"))
        #expect(r.out.contains("1 cells under 5 merged"), "\(r)")
        let rows = r.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains("2026-03 / 10 10"), "\(r)")
        #expect(rows.contains("2026-03 /docs withheld withheld"), "\(r)")
        #expect(rows.contains("2026-03 other withheld withheld"), "\(r)")
        #expect(rows.contains("2026-03 unresolved 10 10"), "\(r)")
        #expect(rows.contains("2026-03 example-isp.co.uk 5 5"), "\(r)")
        expectNoSecrets(r)
        // The unreadable line is named by number on stderr, without its content.
        #expect(r.err.contains("access.log:18"), "\(r)")
        #expect(r.err.contains("1 line(s) could not be read"), "\(r)")
    }

    @Test func jsonAndCSV() throws {
        let (sb, log) = try sandbox("traffic-json")
        defer { sb.cleanUp() }
        let j = try sb.ok(["traffic", "report", log, "--min-count", "5", "--json", "--for", "ACME Ads"]).jsonObject()
        #expect(j["min_count"] as? Int == 5)
        #expect(j["rounding"] as? Int == 5)
        #expect(j["period"] as? String == "month")
        #expect(j["prepared_for"] as? String == "ACME Ads")
        #expect(j["cells_withheld"] as? Int != nil)
        let breakdowns = try #require(j["breakdowns"] as? [[String: Any]])
        #expect(breakdowns.map { $0["by"] as? String } == ["page", "isp", "referrer"])
        let csv = try sb.ok(["traffic", "report", log, "--min-count", "5", "--csv"])
        let lines = csv.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "breakdown,period,value,kind,visitors,page_views,withheld,period_unit,min_count,rounding,cells_merged,cells_withheld,prepared_for")
        #expect(lines.contains("page,2026-03,/,cell,10,10,false,month,5,5,1,2,"), "\(csv)")
        #expect(lines.contains("referrer,2026-03,google.co.uk,cell,15,15,false,month,5,5,0,0,"), "\(csv)")
        expectNoSecrets(csv)
        try sb.fails(64, ["traffic", "report", log, "--json", "--csv"])
    }

    @Test func gzipAndStandardInputGiveTheSameTables() throws {
        let (sb, log) = try sandbox("traffic-gzip")
        defer { sb.cleanUp() }
        let gz = sb.root + "/access.log.2.gz"
        let zipped = try sb.run(["traffic", "report", log, "--csv", "--min-count", "5"])
        let gzip = try #require(["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let (_, packed, _) = try ChildProcess.run(gzip, ["-n", "-c", log], timeout: 60)
        try packed.write(to: URL(fileURLWithPath: gz))
        let fromGzip = try sb.ok(["traffic", "report", gz, "--csv", "--min-count", "5"])
        let fromStdin = try sb.ok(["traffic", "report", "-", "--csv", "--min-count", "5"], stdin: try Data(contentsOf: URL(fileURLWithPath: log)))
        #expect(fromGzip.out == zipped.out)
        #expect(fromStdin.out == zipped.out)
        #expect(fromGzip.err.contains("access.log.2.gz:18"), "\(fromGzip)")
        #expect(fromStdin.err.contains("-:18"), "\(fromStdin)")
        // Two logs: counts add up (the same visitors on the same day count once).
        let both = try sb.ok(["traffic", "report", log, gz, "--csv", "--min-count", "5", "--by", "page"])
        #expect(both.out.contains("page,2026-03,/,cell,10,15,false"), "\(both)")
    }

    @Test func exitCodes() throws {
        let (sb, log) = try sandbox("traffic-exit")
        defer { sb.cleanUp() }
        try sb.fails(64, ["traffic", "report", log, "--min-count", "4"])
        try sb.fails(64, ["traffic", "report", log, "--by", "address"])
        try sb.fails(64, ["traffic", "report", log, "--period", "hour"])
        try sb.fails(66, ["traffic", "report", sb.root + "/no-such.log"])
        try sb.fails(65, ["traffic", "report", sb.root])
        try sb.ok(["users", "grant", "sam", "support"])
        try sb.ok(["users", "grant", "aud", "auditor"])
        try sb.fails(77, ["traffic", "report", log, "--as", "sam"])
        try sb.fails(77, ["traffic", "report", log, "--as", "aud"])
    }

    @Test func everyRunIsAudited() throws {
        let (sb, log) = try sandbox("traffic-audit")
        defer { sb.cleanUp() }
        let r = try sb.ok(["traffic", "report", log, "--min-count", "6", "--period", "week", "--for", "ACME Ads", "--json"])
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let e = try #require(events.first)
        #expect(str(e, "action") == "traffic.report")
        let detail = try #require(str(e, "detail"))
        #expect(detail.contains("logs: \(log)") && detail.contains("min_count: 6") && detail.contains("period: week"))
        #expect(detail.contains("for: ACME Ads"))
        #expect(detail.contains("by: page,isp,referrer"))
        // The SHA-256 of exactly what was printed.
        let digest = try sha256Hex(r.stdout)
        #expect(detail.contains("sha256: \(digest)"), "\(detail)")
        try sb.auditVerifies()
        // With --for, the run is a traffic-aggregate disclosure in the register, in the same
        // commit (the audit event names it as its case), with the output's SHA-256 and size.
        let shares = try sb.ok(["disclosures", "list", "--kind", "traffic-aggregate", "--json"]).jsonArray()
        try #require(shares.count == 1, "\(shares)")
        let d = shares[0]
        #expect(str(d, "state") == "released" && str(d, "ground") == "traffic-profile" && str(d, "requester") == "ACME Ads", "\(d)")
        #expect(str(e, "case") == str(d, "id"), "\(e)")
        let manifest = try #require(d["manifest"] as? [[String: Any]], "\(d)")
        #expect(manifest.count == 1 && str(manifest[0], "sha256") == digest && manifest[0]["size"] as? Int == r.stdout.count, "\(manifest)")
        // A run without --for records no disclosure.
        try sb.ok(["traffic", "report", log, "--min-count", "6"])
        #expect(try sb.ok(["disclosures", "list", "--kind", "traffic-aggregate", "--json"]).jsonArray().count == 1)
        // The policy check's disclosure rows accept it (it needs no approver).
        let check = try sb.run(["policy", "check", "--json"])
        let rows = (try? JSONSerialization.jsonObject(with: check.stdout)) as? [String: Any]
        let checks = (rows?["rows"] as? [[String: Any]]) ?? []
        #expect(checks.filter { (str($0, "id") ?? "").hasPrefix("disclosure") }.count >= 2, "\(check)")
        for row in checks where (str(row, "id") ?? "").hasPrefix("disclosure") {
            #expect(str(row, "status") == "PASS", "\(row)")
        }
        #expect(checks.contains { str($0, "id") == "traffic-min-count" && str($0, "status") == "PASS" }, "\(check)")
    }

    func sha256Hex(_ data: Data) throws -> String {
        let tool = try #require(["/usr/bin/sha256sum", "/bin/sha256sum"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let (_, out, _) = try ChildProcess.run(tool, [], stdin: .bytes(data), timeout: 60)
        return String(String(decoding: out, as: UTF8.self).prefix(64))
    }
}
