import Foundation
import Harness
import Testing

@testable import PrivacyOps

/// Random logs, seeded (the seed is in every failure message; `LGADMIN_TEST_SEED=N` replays):
/// no published cell is below K, rounding is as §2b says, "other" under K always takes a cell
/// with it, and no output format holds an address, a host name, a user agent or a query string.
@Suite struct TrafficPropertyTests {
    static let isps = ["verizon.net", "comcast.net", "btcentralplus.com", "ocn.ne.jp", "bigpond.com.au", "orange.fr", "t-ipconnect.de",
                       "virginm.net", "telus.net", "shaw.ca", "rr.com", "sky.com", "free.fr", "kornet.or.kr", "example.co.uk"]
    static let pages = ["/", "/pricing", "/docs", "/blog", "/about", "/contact", "/blog/launch", "/docs/install", "/careers", "/status",
                        "/legal/privacy", "/legal/terms", "/rare-1", "/rare-2", "/rare-3", "/rare-4", "/rare-5"]
    static let referrers = ["-", "https://www.google.com/search", "https://news.ycombinator.com/item", "https://t.co/x",
                            "https://duckduckgo.com/", "http://blog.someone.org/post", "android-app://com.google.android.gm/"]

    struct Visit {
        var client: String
        var day: Int
        var page: String
        var referrer: String
    }

    @Test func randomLogsNeverPublishASmallCellOrAnythingOfAVisitor() throws {
        var rng = Harness.SeededRandom.fromEnvironment()
        for round in 0..<12 {
            try check(&rng, round: round)
        }
    }

    func check(_ rng: inout Harness.SeededRandom, round: Int) throws {
        let seed = rng.description
        let k = Int.random(in: 5...15, using: &rng)
        let period = TrafficPeriod.allCases.randomElement(using: &rng) ?? .month
        // Clients: IPv4, IPv6, and resolved names with a per-client first label.
        let clientCount = Int.random(in: 5...120, using: &rng)
        var clients: [String] = []
        var secrets: [String] = []  // what must never appear in any output
        for c in 0..<clientCount {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                let ip = "198.51.\(Int.random(in: 0...255, using: &rng)).\(Int.random(in: 1...254, using: &rng))"
                clients.append(ip)
                secrets.append(ip)
            case 1:
                let ip = "2001:db8:\(String(c, radix: 16)):\(String(Int.random(in: 1...65535, using: &rng), radix: 16))::7"
                clients.append(ip)
                secrets.append(ip)
            default:
                let isp = Self.isps.randomElement(using: &rng) ?? "verizon.net"
                let label = "cust\(c)x\(Int.random(in: 1000...9999, using: &rng))"
                clients.append("\(label).dyn.\(isp)")
                secrets.append(label)
            }
        }
        // Skewed popularity so that some cells pass K and many do not.
        var visits: [Visit] = []
        var lines: [String] = []
        let n = Int.random(in: 50...1500, using: &rng)
        for i in 0..<n {
            let client = clients[min(clientCount - 1, Int(pow(Double.random(in: 0..<1, using: &rng), 1.5) * Double(clientCount)))]
            let day = Int.random(in: 1...28, using: &rng)
            let page = Self.pages[min(Self.pages.count - 1, Int(pow(Double.random(in: 0..<1, using: &rng), 2) * Double(Self.pages.count)))]
            let ref = Self.referrers.randomElement(using: &rng) ?? "-"
            let query = "?session=qs\(i)secret&email=someone%40example.com"
            let agent = "Mozilla/5.0 AgentSecret\(i % 97)"
            secrets += ["qs\(i)secret", "AgentSecret\(i % 97)"]
            lines.append(logLine(client, day: day, page + query, referer: ref == "-" ? ref : ref + "?q=refsecret\(i)", agent: agent))
            visits.append(Visit(client: client, day: day, page: page, referrer: ref))
            if Int.random(in: 0..<20, using: &rng) == 0 { lines.append("garbage \(client) here") }
        }
        let world = try ServiceWorld()
        defer { withExtendedLifetime(world) {} }
        let r = try world.root.trafficReport(
            TrafficReportRequest(logs: [], minCount: k, period: period, siteDomains: ["loopgalaxy.com"]),
            inputs: [TrafficLogInput(name: "random.log", bytes: Array(lines.joined(separator: "\n").utf8))])

        // Ground truth, worked out naively from the visits.
        func periodLabel(_ day: Int) -> String { period.label(ofKey: period.key(ofDay: TrafficCalendar.days(year: 2026, month: 3, day: day))) }
        func value(_ v: Visit, _ b: TrafficBreakdown) -> String {
            switch b {
            case .page: return v.page
            case .isp: return v.client.contains(".dyn.") ? String(v.client.split(separator: ".", maxSplits: 2)[2]) : "unresolved"
            case .referrer:
                if v.referrer == "-" { return "(direct)" }
                if v.referrer.hasPrefix("android-app:") { return "(non-web)" }
                let host = v.referrer.split(separator: "/")[1]
                return RegistrableDomain.of(String(host)) ?? "?"
            }
        }
        for table in r.report.tables {
            var truth: [String: Set<String>] = [:]  // "period|value" → {client|day}
            for v in visits { truth["\(periodLabel(v.day))|\(value(v, table.by))", default: []].insert("\(v.client)|\(v.day)") }
            var byPeriod: [String: [TrafficRow]] = [:]
            for row in table.rows { byPeriod[row.period, default: []].append(row) }
            for (p, rows) in byPeriod {
                for row in rows where row.kind == .cell {
                    let actual = truth["\(p)|\(row.value)"]?.count ?? 0
                    #expect(actual >= k, "\(seed) round \(round): \(table.by) \(p) \(row.value) has \(actual) < K=\(k) visitors")
                    if let shown = row.visitors {
                        #expect(shown == DisclosureControl.round(actual, to: 5), "\(seed) round \(round): \(row) vs \(actual)")
                        #expect(shown % 5 == 0)
                    }
                }
                let named = Set(rows.filter { $0.kind == .cell }.map(\.value))
                let mergedVisitors = truth.filter { $0.key.hasPrefix(p + "|") && !named.contains(String($0.key.dropFirst(p.count + 1))) }
                    .values.reduce(into: Set<String>()) { $0.formUnion($1) }
                if let other = rows.first(where: { $0.kind == .other }) {
                    if let shown = other.visitors {
                        #expect(mergedVisitors.count >= k, "\(seed) round \(round): other published with \(mergedVisitors.count) < K")
                        #expect(shown == DisclosureControl.round(mergedVisitors.count, to: 5), "\(seed)")
                    } else if rows.count > 1 {
                        #expect(rows.contains { $0.kind == .cell && $0.isWithheld }, "\(seed) round \(round): other withheld alone beside published cells")
                    }
                }
            }
        }
        for total in r.report.totals {
            let actual = Set(visits.filter { periodLabel($0.day) == total.period }.map { "\($0.client)|\($0.day)" }).count
            #expect(total.isWithheld == (actual < k), "\(seed) round \(round): total \(total.period)")
        }
        for format in TrafficFormat.allCases {
            let out = String(decoding: r.report.rendered(format), as: UTF8.self)
            for s in secrets where out.contains(s) {
                Issue.record("\(seed) round \(round): the \(format) output holds \(s)")
            }
            for bad in ["refsecret", "session=", "example.com", "Mozilla", "?", "garbage", ".dyn."] where out.contains(bad) {
                Issue.record("\(seed) round \(round): the \(format) output holds \(bad)")
            }
        }
    }
}
