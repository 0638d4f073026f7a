/// The fields of one access-log line that a traffic report may use, as byte ranges into the
/// line (no copies): the client (address or resolved host name), the time, the request's
/// method and target, the status, and the Referer and User-Agent of the Combined format.
///
/// It lives only while its line is parsed; nothing of it but hashes and the breakdown values
/// outlives the line.
struct LogLine {
    var host: Range<Int> = 0..<0
    /// Seconds since 1970 in UTC (the logged local time less its offset).
    var seconds: Int = 0
    var method: Range<Int> = 0..<0
    var target: Range<Int> = 0..<0
    var status: Int = 0
    /// Nil in the Common Log Format (no Referer field).
    var referer: Range<Int>?
    var userAgent: Range<Int>?
}
