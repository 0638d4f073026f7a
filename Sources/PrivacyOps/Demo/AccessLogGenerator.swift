import Foundation

/// Realistic web access logs in the Combined Log Format, for the demo (a month beside the
/// store) and the benchmarks (millions of lines): visitors who come back, sessions that browse
/// several pages and load their style sheets and images, a long tail of rare pages, ISPs and
/// referring sites (so that disclosure control visibly suppresses cells), crawlers, errors,
/// IPv6 clients, resolved host names, quotes inside user agents, and now and then a truncated
/// or garbage line. The same seed gives the same logs.
public struct AccessLogGenerator {
    /// About how many lines in all.
    public var lines: Int
    /// How many distinct clients (addresses) visit over the whole span.
    public var visitors: Int
    public var seed: UInt64
    /// Day number (days since 1970-01-01, UTC) of the first day, and how many days.
    public var firstDay: Int
    public var days: Int
    /// Whether the server logs resolved host names (Apache's HostnameLookups) for the clients
    /// whose address resolves, or addresses only (nginx; what GoAccess can read).
    public var resolvesNames: Bool

    public init(lines: Int, visitors: Int, seed: UInt64, firstDay: Int, days: Int, resolvesNames: Bool = true) {
        self.resolvesNames = resolvesNames
        self.lines = lines
        self.visitors = max(1, visitors)
        self.seed = seed
        self.firstDay = firstDay
        self.days = max(1, days)
    }

    /// Writes a month of logs into `dir` as logrotate leaves them with weekly rotation and
    /// `delaycompress`: `access.log` (the last week), `access.log.1`, then `access.log.2.gz`
    /// and older, compressed. Returns the files, newest first.
    @discardableResult
    public func writeRotated(into dir: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let weeks = (days + 6) / 7
        var files: [String] = []
        var current: (index: Int, bytes: [UInt8]) = (-1, [])
        func flush() throws {
            guard current.index >= 0 else { return }
            // Week 0 is the oldest; the newest is access.log.
            let age = weeks - 1 - current.index
            var name = dir + "/access.log" + (age == 0 ? "" : ".\(age)")
            var bytes = current.bytes
            if age >= 2 {
                let gz = try GzipWriter()
                try gz.write(bytes)
                try gz.finish()
                bytes = gz.takeOutput()
                name += ".gz"
            }
            guard FileManager.default.createFile(atPath: name, contents: Data(bytes)) else {
                throw OpsError.failure("could not write \(name)")
            }
            files.insert(name, at: 0)
        }
        try generate { d, bytes in
            // Rotation by week, counted back from the last day.
            let week = weeks - 1 - (days - 1 - d) / 7
            if week != current.index {
                try flush()
                current = (week, [])
            }
            current.bytes += bytes
        }
        try flush()
        return files
    }

    /// The first day of the calendar month before the one holding `date`, and its length.
    public static func previousMonth(before date: Date) -> (firstDay: Int, days: Int) {
        let today = Int(date.timeIntervalSince1970) / 86_400
        let (y, m, _) = TrafficCalendar.civil(today)
        let (py, pm) = m == 1 ? (y - 1, 12) : (y, m - 1)
        let first = TrafficCalendar.days(year: py, month: pm, day: 1)
        return (first, TrafficCalendar.days(year: y, month: m, day: 1) - first)
    }

    static let bigISPs = [
        "fios.verizon.net", "hsd1.ca.comcast.net", "range86-1.btcentralplus.com", "dip0.t-ipconnect.de", "ftth.orange.fr",
        "res.rr.com", "cable.virginm.net", "bb.ocn.ne.jp", "dyn.telus.net", "static.kpn.net", "cust.bigpond.com.au", "pool.sky.com",
    ]
    static let pages = [
        "/", "/pricing", "/features", "/docs", "/docs/getting-started", "/docs/api", "/blog", "/about", "/contact", "/login",
        "/signup", "/status", "/careers", "/legal/privacy", "/legal/terms", "/partners", "/support", "/downloads", "/changelog",
        "/docs/domains", "/docs/mail", "/docs/backups", "/hosting", "/hosting/vps", "/hosting/shared", "/mail", "/domains",
    ]
    static let assets = ["/static/site.css", "/static/app.js", "/static/logo.png", "/favicon.ico", "/static/fonts/inter.woff2"]
    static let searchEngines = [
        "https://www.google.com/", "https://www.google.co.uk/", "https://www.google.de/", "https://www.bing.com/search?q=hosting",
        "https://duckduckgo.com/", "https://search.yahoo.co.jp/search?p=hosting", "https://www.ecosia.org/search?q=mail",
    ]
    static let social = [
        "https://t.co/Ab12Cd", "https://www.facebook.com/", "https://www.reddit.com/r/selfhosted/comments/abc/",
        "https://news.ycombinator.com/item?id=4242", "https://l.instagram.com/?u=x", "https://www.linkedin.com/feed/",
    ]
    static let agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; \\\"Custom Build\\\")",
    ]
    static let crawlers = [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    ]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Writes the logs day by day, oldest first: `emit(dayIndex, bytes)` once per day.
    public func generate(_ emit: (Int, [UInt8]) throws -> Void) rethrows {
        var rng = SeededRandom(seed: seed)
        let hosts = (0..<visitors).map { Self.client($0, resolved: resolvesNames, rng: &rng) }
        let tailPages = 600
        let perDay = max(1, lines / days)
        let two = (0..<100).map { Array(($0 < 10 ? "0\($0)" : "\($0)").utf8) }
        for d in 0..<days {
            let day = firstDay + d
            let (y, m, dd) = TrafficCalendar.civil(day)
            let datePrefix = Array("\(dd < 10 ? "0" : "")\(dd)/\(Self.months[m - 1])/\(y):".utf8)
            // Weekends are quieter.
            let weekday = ((day + 3) % 7 + 7) % 7
            let budget = weekday >= 5 ? perDay * 7 / 10 : perDay * 11 / 10
            var out: [UInt8] = []
            out.reserveCapacity(budget * 230)
            var written = 0
            var second = 0
            func line(_ host: [UInt8], _ method: String, _ target: String, _ status: Int, _ bytes: Int, _ referer: String, _ agent: String) {
                out.append(contentsOf: host)
                out.append(contentsOf: " - - [".utf8)
                out.append(contentsOf: datePrefix)
                let s = min(86_399, second)
                out.append(contentsOf: two[s / 3600])
                out.append(0x3A)
                out.append(contentsOf: two[s / 60 % 60])
                out.append(0x3A)
                out.append(contentsOf: two[s % 60])
                out.append(contentsOf: " +0000] \"".utf8)
                out.append(contentsOf: method.utf8)
                out.append(0x20)
                out.append(contentsOf: target.utf8)
                out.append(contentsOf: " HTTP/1.1\" ".utf8)
                out.append(contentsOf: String(status).utf8)
                out.append(0x20)
                out.append(contentsOf: String(bytes).utf8)
                out.append(contentsOf: " \"".utf8)
                out.append(contentsOf: referer.utf8)
                out.append(contentsOf: "\" \"".utf8)
                out.append(contentsOf: agent.utf8)
                out.append(contentsOf: "\"\n".utf8)
                written += 1
            }
            while written < budget {
                second += Int(rng.next() % UInt64(max(1, 2 * 86_400 / max(1, budget / 3))))
                let u = Double(rng.next() >> 11) / Double(1 << 53)
                let client = hosts[min(visitors - 1, Int(pow(u, 2.0) * Double(visitors)))]
                let r = rng.next() % 1000
                if r < 25 {
                    // A crawler: many pages, no assets.
                    let agent = Self.crawlers[Int(rng.next() % UInt64(Self.crawlers.count))]
                    for _ in 0..<(3 + Int(rng.next() % 12)) {
                        line(client, "GET", page(&rng, tail: tailPages), 200, 4000 + Int(rng.next() % 30_000), "-", agent)
                    }
                    continue
                }
                if r < 27 {
                    // The odd line: garbage from a client that does not speak HTTP, or a line cut short.
                    if rng.next() % 2 == 0 {
                        line(client, "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03", "", 400, 157, "-", "-")
                    } else {
                        let before = out.count
                        line(client, "GET", "/docs", 200, 5120, "-", Self.agents[0])
                        out.removeLast((out.count - before) / 2)
                        out.append(0x0A)
                    }
                    continue
                }
                let agent = Self.agents[Int(rng.next() % UInt64(Self.agents.count))]
                var referer = entryReferrer(&rng)
                var target = page(&rng, tail: tailPages)
                let views = 1 + min(9, Int(-log(max(1e-9, Double(rng.next() >> 11) / Double(1 << 53))) * 1.8))
                for v in 0..<views {
                    let s = rng.next() % 100
                    let status = s < 2 ? 404 : s < 6 ? 304 : 200
                    line(client, "GET", target + (rng.next() % 10 == 0 ? "?utm_source=newsletter&uid=\(rng.next() % 100_000)" : ""),
                         status, status == 304 ? 0 : 2000 + Int(rng.next() % 40_000), referer, agent)
                    if v == 0 {
                        for a in Self.assets.prefix(Int(rng.next() % 4)) {
                            line(client, "GET", a, 200, 800 + Int(rng.next() % 60_000), "https://www.loopgalaxy.com" + target, agent)
                        }
                    }
                    if rng.next() % 40 == 0 { line(client, "POST", "/contact", 303, 0, "https://www.loopgalaxy.com/contact", agent) }
                    second += 5 + Int(rng.next() % 90)
                    referer = "https://www.loopgalaxy.com" + target
                    target = page(&rng, tail: tailPages)
                }
            }
            try emit(d, out)
        }
    }

    /// A page: mostly the main ones, sometimes a record page with an id, now and then one of a
    /// long tail of rare pages.
    func page(_ rng: inout SeededRandom, tail: Int) -> String {
        let r = rng.next() % 100
        if r < 70 {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            return Self.pages[min(Self.pages.count - 1, Int(pow(u, 2.2) * Double(Self.pages.count)))]
        }
        if r < 80 { return "/account/orders/\(100_000 + rng.next() % 900_000)" }
        if r < 85 { return "/support/tickets/" + Self.uuid(&rng) }
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        return "/blog/post-\(Int(pow(u, 3) * Double(tail)))"
    }

    func entryReferrer(_ rng: inout SeededRandom) -> String {
        let r = rng.next() % 100
        if r < 45 { return "-" }
        if r < 75 { return Self.searchEngines[Int(rng.next() % UInt64(Self.searchEngines.count))] }
        if r < 88 { return Self.social[Int(rng.next() % UInt64(Self.social.count))] }
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        return "https://www.weblog\(Int(pow(u, 2.5) * 400)).example/2024/a-post-about-hosting"
    }

    static func uuid(_ rng: inout SeededRandom) -> String {
        let a = rng.next(), b = rng.next()
        let h = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// A client as the server logs it: an address, or its resolved name (HostnameLookups).
    static func client(_ n: Int, resolved: Bool, rng: inout SeededRandom) -> [UInt8] {
        let a = 1 + Int(rng.next() % 223), b = Int(rng.next() % 256), c = Int(rng.next() % 256), d = 1 + Int(rng.next() % 254)
        let r = rng.next() % 100
        if r < 35 || (!resolved && r >= 45) { return Array("\(a).\(b).\(c).\(d)".utf8) }
        if r < 45 { return Array("2001:db8:\(String(n >> 16, radix: 16)):\(String(n & 0xFFFF, radix: 16)):\(String(b, radix: 16))::\(String(d, radix: 16))".utf8) }
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        if u < 0.8 {
            let isp = bigISPs[min(bigISPs.count - 1, Int(pow(u / 0.8, 1.6) * Double(bigISPs.count)))]
            return Array("host-\(a)-\(b)-\(c)-\(d).\(isp)".utf8)
        }
        // The long tail: small ISPs with a handful of customers each.
        let k = Int(pow((u - 0.8) / 0.2, 1.5) * 300)
        return Array("cust\(d)-\(c).net\(k % 7).smallisp\(k).net".utf8)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
