import Foundation

/// What a traffic report may break its counts down by: the policy's own fields.
public enum TrafficBreakdown: String, CaseIterable, Sendable, Codable {
    /// The page: the path without query string, identifiers collapsed.
    case page
    /// The visitor's ISP: the registrable domain of the resolved host name, or "unresolved".
    case isp
    /// The referring site: the registrable domain of the Referer's host, or "(direct)".
    case referrer

    /// The column title in text output.
    var title: String {
        switch self {
        case .page: return "PAGE"
        case .isp: return "ISP DOMAIN"
        case .referrer: return "REFERRING SITE"
        }
    }
}

/// What reading the logs found besides the counts: how many lines, and where the lines that
/// could not be read are (file and line number, never their content: they carry addresses).
public struct TrafficInputSummary: Sendable, Equatable {
    public var files: [String] = []
    public var lines = 0
    public var pageViews = 0
    /// Requests that are not page views: static files, other methods, errors, not a path.
    public var otherRequests = 0
    /// Requests from known crawlers (left out).
    public var crawlerRequests = 0
    public var unreadable = 0
    /// `file:line` of the first ``TrafficAggregator/unreadableListed`` unreadable lines.
    public var unreadableAt: [String] = []
    /// Files that could not be read to their end (a truncated .gz file, an I/O error).
    public var problems: [String] = []
    public var bytes: Int64 = 0
    /// Cells counted (before disclosure control), and how many of them outgrew the exact count.
    public var cells = 0
    public var estimatedCells = 0
}

/// How far the reading is, for a progress line.
public struct TrafficProgress: Sendable, Equatable {
    public var file: String
    /// Bytes taken from the files so far (compressed bytes for gzip).
    public var bytesRead: Int64
    /// Their total size; nil when a pipe or standard input is among them.
    public var totalBytes: Int64?
    public var lines: Int
}

/// Reads access logs line by line into cells of (breakdown, period, value), each with its
/// distinct visitors (keyed hashes of client address and day) and page views.
///
/// Streams: one 1 MiB buffer, whatever the input's size; nothing of a line outlives it but its
/// visitor hash and its breakdown values. Memory grows with the number of cells (capped per
/// cell, see ``DistinctVisitors``), not with the number of lines.
///
/// A page view is a GET answered 2xx or 304 whose target is a path and not a static file,
/// from a client that is not a known crawler (user agent with "bot", "crawl", "spider" or
/// "slurp"). A visitor is a client address on one day (UTC).
final class TrafficAggregator {
    let period: TrafficPeriod
    let breakdowns: [TrafficBreakdown]
    /// Cells up to this many visitors are counted exactly (at least K).
    let exactLimit: Int
    private(set) var summary = TrafficInputSummary()
    static let unreadableListed = 100
    static let bufferSize = 1 << 20

    // Cells: index 0 of the breakdown number is the period's total.
    private var index = CellIndex()
    private(set) var cellKeys: [UInt64] = []
    private(set) var visitors: [DistinctVisitors] = []
    private(set) var views: [Int] = []
    private(set) var values = ValueInterner()

    private let totalValue: Int32
    private let unresolvedValue: Int32
    private let directValue: Int32
    private let internalValue: Int32
    private let noDomainValue: Int32
    private let nonWebValue: Int32
    private var siteValues: [Int32] = []

    /// The per-run key of the visitor hashes: random, never stored or shown.
    private let key: (UInt64, UInt64)
    private var dates = DateCache()
    private var lastDay = Int.min
    private var lastPeriodKey = 0
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(PageNormaliser.bufferSize, RegistrableDomain.maxLength + 8))

    init(period: TrafficPeriod, breakdowns: [TrafficBreakdown], minCount: Int, siteDomains: [String]) {
        self.period = period
        self.breakdowns = breakdowns
        exactLimit = max(2048, minCount)
        var rng = SystemRandomNumberGenerator()
        key = (rng.next(), rng.next())
        totalValue = values.id("(all)")
        unresolvedValue = values.id("unresolved")
        directValue = values.id("(direct)")
        internalValue = values.id("(internal)")
        noDomainValue = values.id("(no domain)")
        nonWebValue = values.id("(non-web)")
        for d in siteDomains {
            if let r = RegistrableDomain.of(d) { siteValues.append(values.id(r)) }
        }
    }

    deinit { scratch.deallocate() }

    /// Reads one log to its end. A line that cannot be read is counted; a file that cannot be
    /// read to its end is noted in the summary's problems; neither stops the report.
    func read(_ input: TrafficLogInput, done: Int64, total: Int64?, progress: ((TrafficProgress) -> Void)?,
              cancelled: () -> Bool) throws(TrafficCancelled) {
        summary.files.append(input.name)
        let source = DecodedLogSource(input.source, name: TerminalText.sanitize(input.name))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0, end = 0
        var lineNumber = 0
        var skippingLongLine = false
        var lastReport: Int64 = 0
        let name = input.name
        reading: while true {
            let n: Int
            do {
                n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            } catch {
                summary.problems.append(error.description)
                n = 0
            }
            if n == 0 {
                // The last line, without a line end.
                if end > start, !skippingLongLine {
                    lineNumber += 1
                    take(UnsafeRawBufferPointer(start: base + start, count: end - start), name, lineNumber)
                }
                break reading
            }
            end += n
            while start < end {
                guard let nl = memchr(base + start, 0x0A, end - start) else { break }
                let at = UnsafeMutablePointer<UInt8>(OpaquePointer(nl)) - base
                lineNumber += 1
                if skippingLongLine {
                    skippingLongLine = false
                } else {
                    take(UnsafeRawBufferPointer(start: base + start, count: at - start), name, lineNumber)
                }
                start = at + 1
            }
            if start == end {
                start = 0
                end = 0
            } else if end == Self.bufferSize {
                if start == 0 {
                    // A line longer than the buffer: not a log line. Counted, then skipped to its end.
                    if !skippingLongLine {
                        summary.lines += 1
                        unreadable(name, lineNumber + 1)
                    }
                    skippingLongLine = true
                    end = 0
                } else {
                    memmove(base, base + start, end - start)
                    end -= start
                    start = 0
                }
            }
            let consumed = source.consumed
            if consumed - lastReport >= 4 << 20 {
                lastReport = consumed
                if cancelled() { throw TrafficCancelled() }
                progress?(TrafficProgress(file: name, bytesRead: done + consumed, totalBytes: total, lines: summary.lines))
            }
        }
        summary.bytes += source.consumed
        progress?(TrafficProgress(file: name, bytesRead: done + source.consumed, totalBytes: total, lines: summary.lines))
    }

    private func unreadable(_ file: String, _ line: Int) {
        summary.unreadable += 1
        if summary.unreadableAt.count < Self.unreadableListed { summary.unreadableAt.append("\(file):\(line)") }
    }

    /// One line (without its `\n`).
    @inline(__always)
    private func take(_ raw: UnsafeRawBufferPointer, _ file: String, _ lineNumber: Int) {
        var count = raw.count
        guard let p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        if count > 0, p[count - 1] == 0x0D { count -= 1 }  // CRLF
        if count == 0 { return }  // a blank line: not a record
        summary.lines += 1
        var line = LogLine()
        guard AccessLogParser.parse(UnsafeRawBufferPointer(start: p, count: count), into: &line, dates: &dates) else {
            unreadable(file, lineNumber)
            return
        }
        // GET, answered 2xx or 304.
        guard line.method.count == 3, p[line.method.lowerBound] == 0x47, p[line.method.lowerBound + 1] == 0x45,
              p[line.method.lowerBound + 2] == 0x54, (200...299).contains(line.status) || line.status == 304 else {
            summary.otherRequests += 1
            return
        }
        let pageKind = PageNormaliser.normalise(p, line.target, into: scratch)
        guard case .page(let pageLength) = pageKind else {
            summary.otherRequests += 1
            return
        }
        if let ua = line.userAgent, Self.isCrawler(p, ua) {
            summary.crawlerRequests += 1
            return
        }
        summary.pageViews += 1

        let day = line.seconds >= 0 ? line.seconds / 86_400 : (line.seconds - 86_399) / 86_400
        if day != lastDay {
            lastDay = day
            lastPeriodKey = period.key(ofDay: day)
        }
        let periodKey = lastPeriodKey
        var hasher = Hasher()
        hasher.combine(key.0)
        hasher.combine(key.1)
        hasher.combine(bytes: UnsafeRawBufferPointer(start: p + line.host.lowerBound, count: line.host.count))
        hasher.combine(day)
        let visitor = UInt64(bitPattern: Int64(hasher.finalize()))

        add(CellIndex.key(breakdown: 0, period: periodKey, value: totalValue), visitor)
        for (b, breakdown) in breakdowns.enumerated() {
            let value: Int32
            switch breakdown {
            case .page:
                value = values.id(UnsafeRawBufferPointer(start: scratch, count: pageLength))
            case .isp:
                if let n = RegistrableDomain.of(p, line.host, into: scratch) {
                    value = values.id(UnsafeRawBufferPointer(start: scratch, count: n))
                } else {
                    value = unresolvedValue
                }
            case .referrer:
                value = referrerValue(p, line.referer)
            }
            add(CellIndex.key(breakdown: b + 1, period: periodKey, value: value), visitor)
        }
    }

    @inline(__always)
    private func add(_ key: UInt64, _ visitor: UInt64) {
        let cell = Int(index.index(key) {
            cellKeys.append(key)
            visitors.append(DistinctVisitors())
            views.append(0)
            return Int32(cellKeys.count - 1)
        })
        visitors[cell].insert(visitor, limit: exactLimit)
        views[cell] += 1
    }

    /// The referring site of a Referer field.
    private func referrerValue(_ p: UnsafePointer<UInt8>, _ field: Range<Int>?) -> Int32 {
        guard let field, !field.isEmpty, !(field.count == 1 && p[field.lowerBound] == 0x2D) else { return directValue }
        var i = field.lowerBound
        let e = field.upperBound
        // http:// or https://
        guard e - i > 7, p[i] | 0x20 == 0x68, p[i + 1] | 0x20 == 0x74, p[i + 2] | 0x20 == 0x74, p[i + 3] | 0x20 == 0x70 else {
            return nonWebValue
        }
        i += 4
        if p[i] | 0x20 == 0x73 { i += 1 }
        guard i + 3 <= e, p[i] == 0x3A, p[i + 1] == 0x2F, p[i + 2] == 0x2F else { return nonWebValue }
        i += 3
        var hostEnd = i
        while hostEnd < e, p[hostEnd] != 0x2F, p[hostEnd] != 0x3F, p[hostEnd] != 0x23 { hostEnd += 1 }
        // user:password@host
        var k = hostEnd - 1
        while k >= i {
            if p[k] == 0x40 {
                i = k + 1
                break
            }
            k -= 1
        }
        guard i < hostEnd, p[i] != 0x5B else { return noDomainValue }  // [IPv6]
        var portAt = i
        while portAt < hostEnd, p[portAt] != 0x3A { portAt += 1 }
        guard let n = RegistrableDomain.of(p, i..<portAt, into: scratch) else { return noDomainValue }
        let id = values.id(UnsafeRawBufferPointer(start: scratch, count: n))
        return siteValues.contains(id) ? internalValue : id
    }

    /// Whether a user agent names itself a crawler: "bot", "crawl", "spider" or "slurp", in any case.
    static func isCrawler(_ p: UnsafePointer<UInt8>, _ field: Range<Int>) -> Bool {
        var i = field.lowerBound
        let e = field.upperBound
        while i + 3 <= e {
            let c = p[i] | 0x20
            if c == 0x62, p[i + 1] | 0x20 == 0x6F, p[i + 2] | 0x20 == 0x74 { return true }  // bot
            if c == 0x63, i + 5 <= e, p[i + 1] | 0x20 == 0x72, p[i + 2] | 0x20 == 0x61, p[i + 3] | 0x20 == 0x77,
               p[i + 4] | 0x20 == 0x6C { return true }  // crawl
            if c == 0x73, i + 5 <= e {
                let a = p[i + 1] | 0x20, b = p[i + 2] | 0x20, d = p[i + 3] | 0x20, f = p[i + 4] | 0x20
                if a == 0x70, b == 0x69, d == 0x64, f == 0x65 { return true }  // spide(r)
                if a == 0x6C, b == 0x75, d == 0x72, f == 0x70 { return true }  // slurp
            }
            i += 1
        }
        return false
    }

    /// The summary with the cell counts filled in.
    var finishedSummary: TrafficInputSummary {
        var s = summary
        s.cells = cellKeys.count
        s.estimatedCells = visitors.filter { !$0.isExact }.count
        return s
    }

    /// The cells grouped by (breakdown number, period key): 0 is the period totals.
    func groups() -> [GroupKey: [Int]] {
        var out: [GroupKey: [Int]] = [:]
        for (cell, key) in cellKeys.enumerated() {
            let g = GroupKey(breakdown: Int(key >> 56), period: Int(Int32(bitPattern: UInt32((key >> 32) & 0xFF_FFFF) << 8) >> 8))
            out[g, default: []].append(cell)
        }
        return out
    }

    struct GroupKey: Hashable {
        var breakdown: Int
        var period: Int
    }

    func valueID(ofCell cell: Int) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: cellKeys[cell])) }
}

/// The reading was stopped (the console left the screen).
public struct TrafficCancelled: Error, Sendable {}
