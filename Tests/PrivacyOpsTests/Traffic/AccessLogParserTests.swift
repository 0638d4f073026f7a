import Foundation
import Testing

@testable import PrivacyOps

/// The fields a test compares, as strings.
struct ParsedFields: Equatable {
    var host: String
    var seconds: Int
    var method: String
    var target: String
    var status: Int
    var referer: String?
    var userAgent: String?
}

/// Parses one line as the reader does; nil when it cannot be read.
func parseLine(_ text: String) -> ParsedFields? {
    let bytes = Array(text.utf8)
    var dates = DateCache()
    var line = LogLine()
    return bytes.withUnsafeBytes { raw -> ParsedFields? in
        guard AccessLogParser.parse(raw, into: &line, dates: &dates) else { return nil }
        func s(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
        return ParsedFields(host: s(line.host), seconds: line.seconds, method: s(line.method), target: s(line.target),
                            status: line.status, referer: line.referer.map(s), userAgent: line.userAgent.map(s))
    }
}

/// 2026-03-10T13:55:36Z
let march10 = 1_773_150_936

@Suite struct AccessLogParserTests {
    @Test func combinedFormatAsApacheWritesIt() throws {
        let f = try #require(parseLine(#"192.0.2.1 - frank [10/Mar/2026:13:55:36 +0000] "GET /index.html?x=1 HTTP/1.1" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)""#))
        #expect(f == ParsedFields(host: "192.0.2.1", seconds: march10, method: "GET", target: "/index.html?x=1", status: 200,
                                  referer: "http://www.example.com/start.html", userAgent: "Mozilla/4.08 [en] (Win98; I ;Nav)"))
    }

    @Test func commonLogFormatHasNoReferer() throws {
        let f = try #require(parseLine(#"127.0.0.1 - - [10/Mar/2026:13:55:36 +0000] "GET /apache_pb.gif HTTP/1.0" 200 2326"#))
        #expect(f.referer == nil && f.userAgent == nil && f.status == 200 && f.target == "/apache_pb.gif")
    }

    @Test func timeZoneOffsetIsTakenOff() throws {
        // 13:55:36 at -0700 is 20:55:36 UTC; at +0530, 08:25:36 UTC.
        #expect(parseLine(#"h - - [10/Mar/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 1"#)?.seconds == march10 + 7 * 3600)
        #expect(parseLine(#"h - - [10/Mar/2026:13:55:36 +0530] "GET / HTTP/1.1" 200 1"#)?.seconds == march10 - 5 * 3600 - 1800)
    }

    @Test func ipv6AndResolvedHostNames() throws {
        #expect(parseLine(#"2001:db8::8a2e:370:7334 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/2.0" 200 5 "-" "curl/8""#)?.host == "2001:db8::8a2e:370:7334")
        #expect(parseLine(#"::ffff:192.0.2.7 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/2.0" 200 5 "-" "curl/8""#)?.host == "::ffff:192.0.2.7")
        #expect(parseLine(#"pool-1-2-3-4.nycmny.fios.verizon.net - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "x""#)?.host == "pool-1-2-3-4.nycmny.fios.verizon.net")
    }

    @Test func escapedQuotesInsideRequestAndUserAgent() throws {
        // Apache writes a quote inside a field as \" ; nginx as \x22.
        let apache = try #require(parseLine(#"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET /a\"b HTTP/1.1" 200 5 "-" "Mozilla/5.0 \"compatible\" x""#))
        #expect(apache.target == #"/a\"b"#)
        #expect(apache.userAgent == #"Mozilla/5.0 \"compatible\" x"#)
        let nginx = try #require(parseLine(#"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET /a\x22b HTTP/1.1" 200 5 "-" "say \x22hi\x22""#))
        #expect(nginx.target == #"/a\x22b"#)
        #expect(nginx.userAgent == #"say \x22hi\x22"#)
    }

    @Test func unescapedQuoteInsideTheRequest() throws {
        // Some servers and proxies leave a client's quote as it is: the request ends only where a status follows.
        let f = try #require(parseLine(#"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET /say"hi" HTTP/1.1" 404 5 "-" "x""#))
        #expect(f.status == 404)
        #expect(f.target == #"/say"hi""#)
    }

    @Test func dashFieldsAndAnEmptyUser() throws {
        let f = try #require(parseLine(#"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "-" 400 - "-" "-""#))
        #expect(f.method == "-" && f.target == "" && f.status == 400 && f.referer == "-" && f.userAgent == "-")
        // nginx with an empty $remote_user writes two spaces.
        #expect(parseLine(#"192.0.2.1 -  [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#)?.status == 200)
        // A user name with a space in it.
        #expect(parseLine(#"192.0.2.1 - john smith [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#)?.status == 200)
    }

    @Test func tlsHandshakeGarbageAsNginxLogsIt() throws {
        let f = try #require(parseLine(#"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-""#))
        #expect(f.status == 400)
    }

    @Test func extraFieldsAfterTheUserAgent() throws {
        let f = try #require(parseLine(#"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" "203.0.113.9" rt=0.012"#))
        #expect(f.userAgent == "ua")
    }

    @Test(arguments: [
        "",
        "garbage",
        "192.0.2.1",
        "192.0.2.1 - - [10/Mar/2026:13:55:36 +0000]",
        #"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1"#,  // cut inside the request
        #"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 2"#,  // cut inside the status
        #"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "http://exa"#,  // cut inside the referer
        #"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0 (X11"#,  // cut inside the agent
        #"192.0.2.1 - - [32/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#,  // no 32 March
        #"192.0.2.1 - - [29/Feb/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#,  // 2026 is not a leap year
        #"192.0.2.1 - - [10/Mxr/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#,
        #"192.0.2.1 - - [10/Mar/2026:25:55:36 +0000] "GET / HTTP/1.1" 200 5"#,
        #"192.0.2.1 - - [10/Mar/2026:13:55:36] "GET / HTTP/1.1" 200 5"#,  // no offset
        #"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] GET / HTTP/1.1 200 5"#,  // request not quoted
        #"192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" OK 5"#,
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        " - - [10/Mar/2026:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5",  // no client
    ])
    func linesThatCannotBeRead(_ line: String) {
        #expect(parseLine(line) == nil, "read: \(line.debugDescription)")
    }

    @Test func leapDayAndMonthsInAnyCase() {
        #expect(parseLine(#"h - - [29/Feb/2028:00:00:00 +0000] "GET / HTTP/1.1" 200 5"#) != nil)
        #expect(parseLine(#"h - - [10/MAR/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#)?.seconds == march10)
    }

    @Test func theDateCacheNeverCarriesOverABadTime() {
        // Same date prefix: the second line's bad clock is still refused.
        let lines = [#"h - - [10/Mar/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#, #"h - - [10/Mar/2026:99:55:36 +0000] "GET / HTTP/1.1" 200 5"#]
        var dates = DateCache()
        var results: [Bool] = []
        for l in lines {
            var line = LogLine()
            let b = Array(l.utf8)
            results.append(b.withUnsafeBytes { AccessLogParser.parse($0, into: &line, dates: &dates) })
        }
        #expect(results == [true, false])
    }
}

@Suite struct PageNormaliserTests {
    func page(_ target: String) -> String {
        let b = Array(target.utf8)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: PageNormaliser.bufferSize)
        defer { out.deallocate() }
        return b.withUnsafeBufferPointer { p -> String in
            switch PageNormaliser.normalise(p.baseAddress!, 0..<b.count, into: out) {
            case .page(let n): return String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
            case .staticFile: return "(static)"
            case .notAPath: return "(not a path)"
            }
        }
    }

    @Test func queryStringsAndFragmentsGo() {
        #expect(page("/search?q=alice%40example.com&page=2") == "/search")
        #expect(page("/docs#install") == "/docs")
        #expect(page("/") == "/")
        #expect(page("/about/") == "/about/")
    }

    @Test func identifiersCollapse() {
        #expect(page("/orders/12345/items/7") == "/orders/:id/items/:id")
        #expect(page("/u/550e8400-e29b-41d4-a716-446655440000/edit") == "/u/:id/edit")
        #expect(page("/blob/3f786850e387550fdab836ed7e6dc881de23001b") == "/blob/:id")
        #expect(page("/c/deadbeef42") == "/c/:id")
        #expect(page("/reset/aZ3kP9qLm2Xv8Rt4") == "/reset/:id")
        #expect(page("/unsubscribe/alice@example.com") == "/unsubscribe/:id")
        #expect(page("/pay/4111-1111-1111-1111") == "/pay/:id")  // 16 digits: never in a report
    }

    @Test func wordsAndSlugsStay() {
        #expect(page("/blog/our-plans-for-2026") == "/blog/our-plans-for-2026")
        #expect(page("/facade/decade") == "/facade/decade")  // hex letters without a digit
        #expect(page("/pricing") == "/pricing")
    }

    @Test func staticFilesAndNonPaths() {
        #expect(page("/css/site.css?v=3") == "(static)")
        #expect(page("/img/Logo.PNG") == "(static)")
        #expect(page("/robots.txt") == "(static)")
        #expect(page("*") == "(not a path)")
        #expect(page("") == "(not a path)")
        #expect(page("\\x16\\x03") == "(not a path)")
    }

    @Test func absoluteFormLosesSchemeAndHost() {
        #expect(page("http://www.example.com/shop?id=1") == "/shop")
        #expect(page("https://example.com") == "/")
    }

    @Test func longPathsAreCut() {
        let p = page("/" + String(repeating: "a", count: 500))
        #expect(p.utf8.count <= PageNormaliser.maxLength + 3)
        #expect(p.hasSuffix("…"))
    }
}

@Suite struct RegistrableDomainTests {
    @Test(arguments: [
        ("pool-1-2-3-4.nycmny.fios.verizon.net", "verizon.net"),
        ("cpe-1-2-3-4.socal.res.rr.com", "rr.com"),
        ("host86-1-2-3.range86-1.btcentralplus.com", "btcentralplus.com"),
        ("ppp-1-2.bb.ocn.ne.jp", "ocn.ne.jp"),
        ("cpc1-brig1-2-0-cust3.3-3.cable.virginm.net", "virginm.net"),
        ("host-1.example.co.uk", "example.co.uk"),
        ("a.b.bigpond.com.au", "bigpond.com.au"),
        ("x.y.kornet.or.kr", "kornet.or.kr"),
        ("p5B0C1234.dip0.t-ipconnect.de", "t-ipconnect.de"),
        ("WWW.Google.COM.", "google.com"),
        ("example.com", "example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ])
    func registrableDomains(_ name: String, _ expected: String) {
        #expect(RegistrableDomain.of(name) == expected)
    }

    @Test(arguments: ["192.0.2.1", "2001:db8::1", "::ffff:192.0.2.7", "[2001:db8::1]", "localhost", "co.uk", "com", "",
                      "a..b.com", "bad_name.example.com", "-bad.example.com", "1.2.3.4.5", "host.123"])
    func notDomains(_ name: String) {
        #expect(RegistrableDomain.of(name) == nil, "\(name)")
    }
}
