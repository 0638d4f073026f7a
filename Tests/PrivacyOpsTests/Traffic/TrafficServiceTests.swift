import Foundation
import Testing

@testable import PrivacyOps

/// A log line for the tests: client, day of March 2026, request target, status, referer, agent.
func logLine(_ client: String, day: Int = 10, _ target: String = "/", status: Int = 200, method: String = "GET",
             referer: String = "-", agent: String = "Mozilla/5.0 (X11; Linux x86_64)") -> String {
    "\(client) - - [\(day < 10 ? "0" : "")\(day)/Mar/2026:12:00:00 +0000] \"\(method) \(target) HTTP/1.1\" \(status) 512 \"\(referer)\" \"\(agent)\""
}

/// The traffic report through the service, from logs in memory.
@Suite struct TrafficServiceTests {
    /// The hand-worked log (K = 5):
    ///   10 March: c1…c7 GET /;  c1…c6 GET /docs;  c1…c3 GET /pricing, c1 again;
    ///   11 March: c1…c7 GET /
    ///   noise that is not a page view: a crawler, a style sheet, a POST, a 404, a HEAD.
    static func handWorkedLog() -> String {
        var lines: [String] = []
        for c in 1...7 { lines.append(logLine("192.0.2.\(c)", "/?utm_source=mail&c=\(c)")) }
        for c in 1...6 { lines.append(logLine("192.0.2.\(c)", "/docs", referer: "https://www.google.co.uk/search?q=secret")) }
        for c in 1...3 { lines.append(logLine("192.0.2.\(c)", "/pricing")) }
        lines.append(logLine("192.0.2.1", "/pricing"))
        for c in 1...7 { lines.append(logLine("192.0.2.\(c)", day: 11, "/")) }
        lines.append(logLine("66.249.66.1", "/", agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
        lines.append(logLine("192.0.2.1", "/site.css"))
        lines.append(logLine("192.0.2.1", "/login", method: "POST"))
        lines.append(logLine("192.0.2.1", "/missing", status: 404))
        lines.append(logLine("192.0.2.1", "/", method: "HEAD"))
        return lines.joined(separator: "\n") + "\n"
    }

    func run(_ text: String, _ request: TrafficReportRequest, world: ServiceWorld? = nil) throws -> TrafficReportRun {
        let w = try world ?? ServiceWorld()
        return try w.root.trafficReport(request, inputs: [TrafficLogInput(name: "access.log", bytes: Array(text.utf8))])
    }

    @Test func monthTableWorkedOutByHand() throws {
        // Visitors are client addresses per day: c1…c7 on the 10th and again on the 11th are 14.
        //   /         14 visitors (7 + 7), 14 views  → 15, 15
        //   /docs      6 visitors,          6 views  → the smallest cell ≥ 5: withheld with "other"
        //   /pricing   3 visitors,          4 views  → under 5: "other" = 3 < 5, withheld
        //   total     14 visitor-days, 14 + 6 + 4 = 24 views → 15, 25
        //   isp: every client is an address → "unresolved": 14, 24 → 15, 25
        //   referrer: (direct) 14 visitors (/ and /pricing), 18 views → 15, 20 (20 / 5 = 4)
        //             google.co.uk 6 visitors, 6 views → 5, 5 (8 / 5 = 1)
        let r = try run(Self.handWorkedLog(), TrafficReportRequest(logs: [], minCount: 5))
        #expect(r.input.lines == 29 && r.input.pageViews == 24 && r.input.crawlerRequests == 1 && r.input.otherRequests == 4)
        #expect(r.report.totals == [TrafficRow(period: "2026-03", value: "(all)", kind: .total, visitors: 15, pageViews: 25)])
        let page = try #require(r.report.tables.first { $0.by == .page })
        #expect(page.rows == [
            TrafficRow(period: "2026-03", value: "/", kind: .cell, visitors: 15, pageViews: 15),
            TrafficRow(period: "2026-03", value: "/docs", kind: .cell, visitors: nil, pageViews: nil),
            TrafficRow(period: "2026-03", value: "other", kind: .other, visitors: nil, pageViews: nil),
        ])
        #expect(page.cellsMerged == 1 && page.cellsWithheld == 2)
        let isp = try #require(r.report.tables.first { $0.by == .isp })
        #expect(isp.rows == [TrafficRow(period: "2026-03", value: "unresolved", kind: .cell, visitors: 15, pageViews: 25)])
        let ref = try #require(r.report.tables.first { $0.by == .referrer })
        #expect(ref.rows == [
            TrafficRow(period: "2026-03", value: "(direct)", kind: .cell, visitors: 15, pageViews: 20),
            TrafficRow(period: "2026-03", value: "google.co.uk", kind: .cell, visitors: 5, pageViews: 5),
        ])
    }

    @Test func dayTableWorkedOutByHand() throws {
        // 2026-03-10: /  7 visitors, 7 views → 5, 5 (9 / 5 = 1); /docs 6, 6 → withheld with
        //             "other" (/pricing: 3 < 5). 2026-03-11: / 7, 7 → 5, 5.
        let r = try run(Self.handWorkedLog(), TrafficReportRequest(logs: [], minCount: 5, period: .day, breakdowns: [.page]))
        let page = try #require(r.report.tables.first)
        #expect(page.rows == [
            TrafficRow(period: "2026-03-10", value: "/", kind: .cell, visitors: 5, pageViews: 5),
            TrafficRow(period: "2026-03-10", value: "/docs", kind: .cell, visitors: nil, pageViews: nil),
            TrafficRow(period: "2026-03-10", value: "other", kind: .other, visitors: nil, pageViews: nil),
            TrafficRow(period: "2026-03-11", value: "/", kind: .cell, visitors: 5, pageViews: 5),
        ])
        // Totals: 10th: 7 visitors, 7 + 6 + 4 = 17 views → 5, 15 (19 / 5 = 3); 11th: 7, 7 → 5, 5.
        #expect(r.report.totals.map(\.pageViews) == [15, 5])
        #expect(r.report.periods == ["2026-03-10", "2026-03-11"])
    }

    @Test func isoWeeksAndMonths() {
        // 2026-03-10 is a Tuesday of ISO week 11; 2021-01-03 (a Sunday) belongs to 2020-W53.
        let d = TrafficCalendar.days(year: 2026, month: 3, day: 10)
        #expect(TrafficPeriod.week.label(ofKey: TrafficPeriod.week.key(ofDay: d)) == "2026-W11")
        let sunday = TrafficCalendar.days(year: 2021, month: 1, day: 3)
        #expect(TrafficPeriod.week.label(ofKey: TrafficPeriod.week.key(ofDay: sunday)) == "2020-W53")
        #expect(TrafficPeriod.month.label(ofKey: TrafficPeriod.month.key(ofDay: d)) == "2026-03")
        #expect(TrafficPeriod.day.label(ofKey: d) == "2026-03-10")
    }

    @Test func ispAndReferrerDomains() throws {
        // Five clients of one ISP, by resolved name; five referred from the site itself.
        var lines: [String] = []
        for c in 1...5 {
            lines.append(logLine("pool-10-0-0-\(c).nycmny.fios.verizon.net", "/", referer: "https://shop.loopgalaxy.com/cart?id=\(c)"))
        }
        let r = try run(lines.joined(separator: "\n"), TrafficReportRequest(logs: [], minCount: 5, siteDomains: ["loopgalaxy.com"]))
        #expect(r.report.tables.first { $0.by == .isp }?.rows.map(\.value) == ["verizon.net"])
        #expect(r.report.tables.first { $0.by == .referrer }?.rows.map(\.value) == ["(internal)"])
        for format in TrafficFormat.allCases {
            let text = String(decoding: r.report.rendered(format), as: UTF8.self)
            #expect(!text.contains("pool-10"), "\(format)")
            #expect(!text.contains("nycmny"), "\(format)")
            #expect(!text.contains("cart"), "\(format)")
        }
    }

    @Test func gzipIsRecognisedByItsBytesAndConcatenatedMembersRead() throws {
        let text = Self.handWorkedLog()
        let half = text.utf8.count / 2
        let gz = try gzip(Array(text.utf8.prefix(half))) + gzip(Array(text.utf8.dropFirst(half)))
        let w = try ServiceWorld()
        let plain = try w.root.trafficReport(TrafficReportRequest(logs: [], minCount: 5), inputs: [TrafficLogInput(name: "a", bytes: Array(text.utf8))])
        let packed = try w.root.trafficReport(TrafficReportRequest(logs: [], minCount: 5), inputs: [TrafficLogInput(name: "a.log", bytes: gz)])
        #expect(packed.report.tables == plain.report.tables)
        #expect(packed.input.lines == plain.input.lines)
        #expect(packed.input.problems.isEmpty)
    }

    @Test func truncatedGzipReadsWhatItCanAndSaysSo() throws {
        let gz = try gzip(Array(Self.handWorkedLog().utf8))
        let w = try ServiceWorld()
        let cut = try w.root.trafficReport(TrafficReportRequest(logs: [], minCount: 5),
                                           inputs: [TrafficLogInput(name: "cut.gz", bytes: Array(gz.prefix(gz.count - 30)))])
        #expect(cut.input.problems.count == 1)
        #expect(cut.input.problems.first?.contains("cut.gz") == true)
    }

    @Test func unreadableLinesAreCountedByNumberNeverShown() throws {
        let text = logLine("192.0.2.1") + "\r\n" + "198.51.100.77 garbage with an address\n" + "\n"
            + logLine("192.0.2.2").prefix(60) + "\n" + logLine("192.0.2.3") + "\n"
        let r = try run(text, TrafficReportRequest(logs: [], minCount: 5))
        #expect(r.input.unreadable == 2)
        #expect(r.input.unreadableAt == ["access.log:2", "access.log:4"])
        #expect(r.input.lines == 4)  // the blank line 3 is not a record
        for format in TrafficFormat.allCases {
            let out = String(decoding: r.report.rendered(format), as: UTF8.self)
            #expect(!out.contains("198.51.100.77") && !out.contains("garbage"))
        }
    }

    @Test func aLineLongerThanTheBufferIsCountedAndSkipped() throws {
        // 2 MiB of one line (the reader's buffer is 1 MiB), between two good lines.
        let long = "203.0.113.9 - - [10/Mar/2026:12:00:00 +0000] \"GET /" + String(repeating: "a", count: 2 << 20) + " HTTP/1.1\" 200 5"
        let text = logLine("192.0.2.1") + "\n" + long + "\n" + logLine("192.0.2.2", "/after") + "\n"
        let r = try run(text, TrafficReportRequest(logs: [], minCount: 5))
        #expect(r.input.unreadableAt == ["access.log:2"])
        #expect(r.input.pageViews == 2)
        #expect(r.input.lines == 3)
    }

    @Test func everyRunIsAuditedWithItsParametersAndTheHashOfItsOutput() throws {
        let w = try ServiceWorld()
        let r = try w.root.trafficReport(TrafficReportRequest(logs: [], minCount: 7, period: .week, breakdowns: [.isp], party: "ACME Ads", format: .csv),
                                         inputs: [TrafficLogInput(name: "access.log.2.gz", bytes: Array(Self.handWorkedLog().utf8))])
        let e = try #require(w.lastAudit)
        #expect(e.action == "traffic.report")
        #expect(e.detail.contains("logs: access.log.2.gz"))
        #expect(e.detail.contains("min_count: 7") && e.detail.contains("period: week") && e.detail.contains("by: isp"))
        #expect(e.detail.contains("for: ACME Ads"))
        #expect(e.detail.contains("sha256: \(r.sha256)"))
        #expect(r.sha256.count == 64)
        #expect(!e.detail.contains("192.0.2."))
    }

    @Test func requestRules() throws {
        let w = try ServiceWorld()
        let input = [TrafficLogInput(name: "a", bytes: [])]
        #expect(serviceExitCode { try w.root.trafficReport(TrafficReportRequest(logs: [], minCount: 4), inputs: input) } == 64)
        #expect(serviceExitCode { try w.root.trafficReport(TrafficReportRequest(logs: ["-", "-"])) } == 64)
        #expect(serviceExitCode { try w.root.trafficReport(TrafficReportRequest(logs: [], siteDomains: ["192.0.2.1"]), inputs: input) } == 64)
        #expect(serviceExitCode { try w.root.trafficReport(TrafficReportRequest(logs: [], party: "card 4111 1111 1111 1111"), inputs: input) } == 65)
        #expect(serviceExitCode { try w.root.trafficReport(TrafficReportRequest(logs: [w.base + "/no-such.log"])) } == 66)
        for role in [Role.support, .moderator, .auditor] {
            let ops = try w.open(role)
            #expect(serviceExitCode { try ops.trafficReport(TrafficReportRequest(logs: [], minCount: 5), inputs: input) } == 77)
        }
    }

    @Test func aDirectoryIsNotALog() throws {
        let w = try ServiceWorld()
        #expect(serviceExitCode { try w.root.trafficReport(TrafficReportRequest(logs: [w.base])) } == 65)
    }
}

/// gzip through zlib, as the demo writes it.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let w = try GzipWriter()
    try w.write(bytes)
    try w.finish()
    return w.takeOutput()
}
