import Foundation

/// UTC timestamps in RFC 3339 form, `2026-11-25T08:00:00Z`, as every record and audit event
/// writes them.
enum UTCStamp {
    static func format(unixSeconds: Int) -> String {
        var t = time_t(unixSeconds)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tmv.tm_year + 1900)-\(two(tmv.tm_mon + 1))-\(two(tmv.tm_mday))T\(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec))Z"
    }
}
