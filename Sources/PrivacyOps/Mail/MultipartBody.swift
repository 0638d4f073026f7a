/// Splitting a multipart body at its boundary (RFC 2046 §5.1), narrowly and leniently.
enum MultipartBody {
    /// The parts of `body` delimited by `--boundary` lines.
    ///
    /// A delimiter is a line that starts with `--boundary`, followed only by optional `--` (the
    /// close delimiter) and whitespace; the line break before it belongs to it. The preamble
    /// before the first delimiter and the epilogue after the close delimiter are not parts. A
    /// body that ends without its close delimiter ends its last part (`closed` is false).
    /// At most `keep` parts are returned; `uncounted` says how many more there were.
    /// - Complexity: O(*n*) in the body's size.
    static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8], keep: Int)
        -> (parts: [ArraySlice<UInt8>], closed: Bool, uncounted: Int) {
        var parts: [ArraySlice<UInt8>] = []
        var uncounted = 0
        var partStart: Int?
        let end = body.endIndex
        let dashes = 2 + boundary.count
        var i = body.startIndex

        func add(_ s: Int, _ delimiterStart: Int) {
            var e = delimiterStart
            if e > s, body[e - 1] == 0x0A {
                e -= 1
                if e > s, body[e - 1] == 0x0D { e -= 1 }
            }
            if parts.count < keep { parts.append(body[s..<e]) } else { uncounted += 1 }
        }

        while i < end {
            let lineStart = i
            var lineEnd = i
            while lineEnd < end, body[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < end ? lineEnd + 1 : end
            i = next
            guard lineEnd - lineStart >= dashes, body[lineStart] == 0x2D, body[lineStart + 1] == 0x2D else { continue }
            var matches = true
            for k in 0..<boundary.count where body[lineStart + 2 + k] != boundary[k] {
                matches = false
                break
            }
            guard matches else { continue }
            var after = lineStart + dashes
            var isClose = false
            if after + 1 < lineEnd, body[after] == 0x2D, body[after + 1] == 0x2D {
                isClose = true
                after += 2
            }
            // Only transport padding may follow.
            guard body[after..<lineEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { continue }
            if let s = partStart { add(s, lineStart) }
            if isClose { return (parts, true, uncounted) }
            partStart = next
        }
        if let s = partStart { add(s, end) }
        return (parts, false, uncounted)
    }

    /// A part's headers and body. A part that starts with an empty line has no headers; a part
    /// whose first line is not a header field is all body (malformed, but shown).
    static func headersAndBody(_ part: ArraySlice<UInt8>) -> (MessageHeaders, ArraySlice<UInt8>) {
        let bytes = Array(part)
        if !startsWithEmptyLine(bytes), !startsWithField(bytes) {
            return (MessageHeaders(fields: [], bodyOffset: 0), part)
        }
        let headers = MessageHeaders.parse(bytes)
        return (headers, part.dropFirst(min(headers.bodyOffset, bytes.count)))
    }

    static func startsWithEmptyLine(_ b: [UInt8]) -> Bool {
        b.first == 0x0A || (b.count >= 2 && b[0] == 0x0D && b[1] == 0x0A)
    }

    /// Whether the first line looks like `Name: value`.
    static func startsWithField(_ b: [UInt8]) -> Bool {
        var i = 0
        while i < b.count, i < 200 {
            let c = b[i]
            if c == 0x3A { return i > 0 }
            if c < 33 || c > 126 { return false }
            i += 1
        }
        return false
    }
}
