
/// Stored timestamps as seconds, for the durations reports measure (days to respond, hours to
/// a decision). The store writes `2026-03-02T09:00:00Z` (``Timestamp``); that form is read
/// directly, anything else through the RFC 3339 parser.
enum ReportTime {
    /// Seconds since 1970 of a stored timestamp, or nil when it is not one.
    static func seconds(_ stamp: String?) -> Int? {
        guard let stamp else { return nil }
        let b = Array(stamp.utf8)
        if b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
           b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z") {
            func num(_ from: Int, _ count: Int) -> Int? {
                var v = 0
                for i in from..<(from + count) {
                    guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                    v = v * 10 + Int(b[i] - 0x30)
                }
                return v
            }
            if let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2) {
                return BusinessDays.dayNumber(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s
            }
        }
        return RFC3339.parse(stamp).map { Int($0.timeIntervalSince1970) }
    }

    /// Seconds from `from` to `to`, or nil when either is not a timestamp.
    static func between(_ from: String?, _ to: String?) -> Int? {
        guard let a = seconds(from), let b = seconds(to) else { return nil }
        return b - a
    }

    static func stamp(_ seconds: Int) -> String { UTCStamp.format(unixSeconds: seconds) }
}
