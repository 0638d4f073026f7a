/// The period a transparency report covers: whole UTC days, from the start of its first day up
/// to (not including) the start of the day after its last.
///
/// Named periods are half-years and years (`2026H1` is 1 January to 30 June 2026, `2026H2`
/// 1 July to 31 December, `2026` the whole year); any other is given by its first and last day.
public struct ReportPeriod: Sendable, Equatable, Encodable {
    /// How the period was asked for: `2026H1`, `2026`, or `2026-02-01..2026-03-31`.
    public var label: String
    /// Its first and last day, `2026-01-01` and `2026-06-30`.
    public var firstDay: String
    public var lastDay: String
    /// The stored timestamps that bound it: `start` is in it, `end` (the day after its last)
    /// is not. Timestamps are compared as strings (`2026-01-01T00:00:00Z` sorts by time).
    public var start: String
    public var end: String

    enum CodingKeys: String, CodingKey {
        case label, start, end
        case firstDay = "first_day"
        case lastDay = "last_day"
    }

    /// The earliest and latest year a period may be in.
    static let years = 1970...9999

    /// `YYYYH1`, `YYYYH2` or `YYYY`.
    /// - Throws: ``OpsError/usage(_:)`` (64) for anything else.
    public static func named(_ text: String) throws -> ReportPeriod {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = t.prefix(4)
        guard digits.count == 4, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let year = Int(digits), years.contains(year) else {
            throw usage(text)
        }
        let rest = t.dropFirst(4)
        let (from, to): ((Int, Int), (Int, Int))
        switch rest {
        case "": (from, to) = ((1, 1), (12, 31))
        case "H1": (from, to) = ((1, 1), (6, 30))
        case "H2": (from, to) = ((7, 1), (12, 31))
        default: throw usage(text)
        }
        return make(label: String(year) + rest, first: BusinessDays.dayNumber(year: year, month: from.0, day: from.1),
                    last: BusinessDays.dayNumber(year: year, month: to.0, day: to.1))
    }

    /// From the day `from` through the day `to` (both `YYYY-MM-DD`, both included).
    /// - Throws: ``OpsError/usage(_:)`` (64) for a day that is not one, or `to` before `from`.
    public static func between(from: String, to: String) throws -> ReportPeriod {
        let first = try day(from, option: "--from")
        let last = try day(to, option: "--to")
        guard first <= last else {
            throw OpsError.usage("--to \(TerminalText.sanitize(to)) is before --from \(TerminalText.sanitize(from)): give the first day, then the last")
        }
        let p = make(label: "", first: first, last: last)
        return ReportPeriod(label: "\(p.firstDay)..\(p.lastDay)", firstDay: p.firstDay, lastDay: p.lastDay, start: p.start, end: p.end)
    }

    /// Whether the stored timestamp `stamp` falls in the period (nil never does).
    public func contains(_ stamp: String?) -> Bool {
        guard let stamp else { return false }
        return stamp >= start && stamp < end
    }

    /// The period's days in words: `2026-01-01 to 2026-06-30`.
    public var days: String { "\(firstDay) to \(lastDay)" }

    static func make(label: String, first: Int, last: Int) -> ReportPeriod {
        ReportPeriod(label: label, firstDay: dayText(first), lastDay: dayText(last), start: dayText(first) + "T00:00:00Z",
                     end: dayText(last + 1) + "T00:00:00Z")
    }

    static func dayText(_ day: Int) -> String {
        let c = BusinessDays.civilDate(fromDay: day)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let y = String(c.year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + two(c.month) + "-" + two(c.day)
    }

    /// The day number of `YYYY-MM-DD`, refusing days that do not exist (`2026-02-30`).
    static func day(_ text: String, option: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let b = Array(t.utf8)
        let shaped = b.count == 10 && b.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == UInt8(ascii: "-") : (c >= 0x30 && c <= 0x39) }
        guard shaped, let y = Int(t.prefix(4)), let m = Int(t.dropFirst(5).prefix(2)), let d = Int(t.suffix(2)), years.contains(y),
              (1...12).contains(m), (1...31).contains(d) else {
            throw OpsError.usage("\(option) '\(TerminalText.sanitize(text))' is not a day: write it as 2026-03-31")
        }
        let n = BusinessDays.dayNumber(year: y, month: m, day: d)
        guard dayText(n) == t else {
            throw OpsError.usage("\(option) '\(TerminalText.sanitize(text))' is not a day of the calendar: check the month's length")
        }
        return n
    }

    static func usage(_ text: String) -> OpsError {
        .usage("'\(TerminalText.sanitize(text))' is not a period: give 2026H1, 2026H2 or 2026, or --from 2026-01-01 --to 2026-03-31")
    }
}
