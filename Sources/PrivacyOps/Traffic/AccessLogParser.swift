/// Reads one line of the Common or Combined Log Format as Apache (`%h %l %u %t \"%r\" %>s %b
/// \"%{Referer}i\" \"%{User-agent}i\"`) and nginx (`$remote_addr - $remote_user [$time_local]
/// "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`) write it.
///
/// Byte by byte, without allocating: the line is parsed in place. What it accepts:
/// - a client of any shape (IPv4, IPv6, a resolved host name), any ident and user fields,
///   including `-` and empty ones;
/// - `[dd/Mon/yyyy:HH:MM:SS ±hhmm]`, turned into UTC;
/// - quoted fields with Apache's escapes (`\"`, `\\`) and nginx's (`\x22`), and quotes that a
///   server left unescaped inside the request (a quote ends the request only where a status
///   follows it) or inside the Referer (a quote ends it only at the end or before a space);
/// - a status of three digits, bytes as digits or `-`;
/// - the Common format (nothing after the bytes), and extra fields after the User-Agent.
///
/// A line that is cut short (inside a quoted field, before the status) or has no valid time is
/// not read: the caller counts it by number and never shows it.
enum AccessLogParser {
    /// Parses `line` (without its line end) into `out`; false when the line cannot be read.
    static func parse(_ line: UnsafeRawBufferPointer, into out: inout LogLine, dates: inout DateCache) -> Bool {
        let n = line.count
        guard n > 0, let p = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        @inline(__always) func at(_ i: Int) -> UInt8 { p[i] }

        // Client: up to the first space.
        var i = 0
        while i < n, at(i) != 0x20 { i += 1 }
        guard i > 0, i < n else { return false }
        out.host = 0..<i

        // Ident and user: anything up to the '[' of the time.
        while i < n, at(i) != 0x5B { i += 1 }  // [
        guard i + 28 <= n else { return false }
        guard let seconds = dates.seconds(p + i + 1) else { return false }
        out.seconds = seconds
        i += 27
        guard at(i) == 0x5D else { return false }  // ]
        i += 1

        // The request, quoted: "METHOD TARGET PROTOCOL" (or "-", or whatever a client sent).
        guard i + 2 < n, at(i) == 0x20, at(i + 1) == 0x22 else { return false }
        i += 2
        let requestStart = i
        var requestEnd = -1
        while i < n {
            let c = at(i)
            if c == 0x5C {  // backslash: the next byte is escaped
                i += 2
                continue
            }
            if c == 0x22, isStatusAfterQuote(p, i, n) {
                requestEnd = i
                break
            }
            i += 1
        }
        guard requestEnd >= 0 else { return false }
        // Method and target: the first two words.
        var j = requestStart
        while j < requestEnd, at(j) != 0x20 { j += 1 }
        out.method = requestStart..<j
        if j < requestEnd { j += 1 }
        let targetStart = j
        while j < requestEnd, at(j) != 0x20 { j += 1 }
        out.target = targetStart..<j

        // Status and bytes.
        i = requestEnd + 2
        out.status = Int(at(i) &- 0x30) * 100 + Int(at(i + 1) &- 0x30) * 10 + Int(at(i + 2) &- 0x30)
        i += 3
        if i < n { i += 1 }  // the space before the bytes
        while i < n, at(i) != 0x20 { i += 1 }  // bytes, whatever they are

        // Common format: nothing more.
        out.referer = nil
        out.userAgent = nil
        guard i + 1 < n else { return true }
        guard at(i + 1) == 0x22 else { return true }  // an unquoted extra field: not Combined
        i += 2
        guard let refererEnd = closingQuote(p, from: i, n) else { return false }
        out.referer = i..<refererEnd
        i = refererEnd + 1
        guard i + 1 < n, at(i) == 0x20, at(i + 1) == 0x22 else { return true }
        i += 2
        guard let agentEnd = closingQuote(p, from: i, n) else { return false }
        out.userAgent = i..<agentEnd
        return true
    }

    /// Whether the quote at `q` closes the request: a space, three digits, then a space or the end.
    @inline(__always)
    private static func isStatusAfterQuote(_ p: UnsafePointer<UInt8>, _ q: Int, _ n: Int) -> Bool {
        guard q + 4 < n else { return false }
        guard p[q + 1] == 0x20, isDigit(p[q + 2]), isDigit(p[q + 3]), isDigit(p[q + 4]) else { return false }
        return q + 5 == n || p[q + 5] == 0x20
    }

    /// The index of the quote that closes a field starting at `from`: one not escaped by a
    /// backslash and followed by the end of the line or a space. Nil when there is none (a
    /// line cut short).
    @inline(__always)
    private static func closingQuote(_ p: UnsafePointer<UInt8>, from: Int, _ n: Int) -> Int? {
        var i = from
        while i < n {
            let c = p[i]
            if c == 0x5C {
                i += 2
                continue
            }
            if c == 0x22, i + 1 == n || p[i + 1] == 0x20 { return i }
            i += 1
        }
        return nil
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
}

/// Turns `dd/Mon/yyyy:HH:MM:SS ±hhmm` into seconds since 1970 (UTC), remembering the last date
/// seen: consecutive lines almost always share it.
struct DateCache {
    private var lastDate: (UInt64, UInt32) = (0, 0)
    private var lastDays = 0

    /// The time at `p` (26 bytes, after the `[`); nil when it is not a valid time.
    mutating func seconds(_ p: UnsafePointer<UInt8>) -> Int? {
        // dd/Mon/yyyy: 11 bytes, compared as one 8-byte and one 4-byte word.
        let raw = UnsafeRawPointer(p)
        let w0 = raw.loadUnaligned(as: UInt64.self)
        let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self) & 0x00FF_FFFF
        let days: Int
        if w0 == lastDate.0, w1 == lastDate.1, lastDate.0 != 0 {
            days = lastDays
        } else {
            guard p[2] == 0x2F, p[6] == 0x2F, let d = digits2(p, 0), let y4 = digits2(p, 7), let y2 = digits2(p, 9),
                  let month = Self.month(p[3], p[4], p[5]), d >= 1, d <= Self.daysIn(month, year: y4 * 100 + y2) else { return nil }
            days = TrafficCalendar.days(year: y4 * 100 + y2, month: month, day: d)
            lastDate = (w0, w1)
            lastDays = days
        }
        guard p[11] == 0x3A, p[14] == 0x3A, p[17] == 0x3A, p[20] == 0x20,
              let h = digits2(p, 12), let m = digits2(p, 15), let s = digits2(p, 18), h < 24, m < 60, s < 61,
              p[21] == 0x2B || p[21] == 0x2D, let oh = digits2(p, 22), let om = digits2(p, 24), om < 60
        else { return nil }
        let offset = (oh * 3600 + om * 60) * (p[21] == 0x2D ? -1 : 1)
        return days * 86_400 + h * 3600 + m * 60 + s - offset
    }

    @inline(__always)
    private func digits2(_ p: UnsafePointer<UInt8>, _ i: Int) -> Int? {
        let a = p[i] &- 0x30, b = p[i + 1] &- 0x30
        guard a < 10, b < 10 else { return nil }
        return Int(a) * 10 + Int(b)
    }

    private static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch (a | 0x20, b | 0x20, c | 0x20) {
        case (0x6A, 0x61, 0x6E): return 1  // jan
        case (0x66, 0x65, 0x62): return 2  // feb
        case (0x6D, 0x61, 0x72): return 3  // mar
        case (0x61, 0x70, 0x72): return 4  // apr
        case (0x6D, 0x61, 0x79): return 5  // may
        case (0x6A, 0x75, 0x6E): return 6  // jun
        case (0x6A, 0x75, 0x6C): return 7  // jul
        case (0x61, 0x75, 0x67): return 8  // aug
        case (0x73, 0x65, 0x70): return 9  // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }

    private static func daysIn(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
