/// A request's page, as a traffic report may show it: the path without query string or
/// fragment, with identifiers collapsed to `:id` so that pages, not people, are counted.
///
/// A path segment becomes `:id` when it is
/// - all digits (`/orders/12345`), or holds 13 or more digits anywhere (so a card-number-shaped
///   run never reaches a report);
/// - a UUID (`8-4-4-4-12` hex digits);
/// - hex of 8 or more characters with at least one digit (hashes, object ids);
/// - a token of 16 or more letters and digits mixing upper case, lower case and digits, with no
///   hyphen (base62 or base64 session and reset tokens; slugs use hyphens and one case);
/// - anything holding `@` (an e-mail address in a path).
/// Absolute-form targets (`GET http://host/path`) lose their scheme and host. Pages longer
/// than ``maxLength`` bytes are cut (and end in `…`). Percent-escapes are kept as written.
enum PageNormaliser {
    /// What a request target is.
    enum Kind: Equatable {
        /// A page; its normalised path was written to the output.
        case page(length: Int)
        /// A static file (style sheet, script, image, font, media): not a page view.
        case staticFile
        /// Not a path (`*`, `-`, garbage from a client that does not speak HTTP).
        case notAPath
    }

    static let maxLength = 200
    /// The output buffer must hold this many bytes.
    static let bufferSize = maxLength + 8

    /// File extensions that are not pages (lower case).
    static let staticExtensions: Set<String> = [
        "css", "js", "mjs", "map", "json", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff",
        "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg", "wav", "m4a", "txt", "xml",
    ]
    private static let staticKeys: Set<UInt64> = Set(staticExtensions.map { ext in
        ext.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    })

    /// Normalises the target at `p[range]` into `out` (``bufferSize`` bytes).
    static func normalise(_ p: UnsafePointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>) -> Kind {
        var i = range.lowerBound
        let end = range.upperBound
        // Absolute form: skip "scheme://authority".
        if end - i >= 8, p[i] | 0x20 == 0x68, p[i + 1] | 0x20 == 0x74, p[i + 2] | 0x20 == 0x74, p[i + 3] | 0x20 == 0x70 {
            var k = i + 4
            if k < end, p[k] | 0x20 == 0x73 { k += 1 }
            if k + 3 <= end, p[k] == 0x3A, p[k + 1] == 0x2F, p[k + 2] == 0x2F {
                k += 3
                while k < end, p[k] != 0x2F, p[k] != 0x3F, p[k] != 0x23 { k += 1 }
                if k == end || p[k] != 0x2F {
                    out[0] = 0x2F
                    return .page(length: 1)
                }
                i = k
            }
        }
        guard i < end, p[i] == 0x2F else { return .notAPath }
        // The path ends at '?' or '#'.
        var pathEnd = i
        while pathEnd < end, p[pathEnd] != 0x3F, p[pathEnd] != 0x23 { pathEnd += 1 }

        var n = 0
        var cut = false
        var lastSegmentKept = false
        var lastSegment = 0..<0
        var s = i + 1
        while true {
            var e = s
            while e < pathEnd, p[e] != 0x2F { e += 1 }
            // "/" then the segment or ":id".
            let collapse = isIdentifier(p, s, e)
            lastSegmentKept = !collapse
            lastSegment = s..<e
            if !append(0x2F, to: out, &n) { cut = true; break }
            if collapse {
                if !append(0x3A, to: out, &n) || !append(0x69, to: out, &n) || !append(0x64, to: out, &n) { cut = true; break }
            } else {
                var k = s
                while k < e {
                    if !append(p[k], to: out, &n) { cut = true; break }
                    k += 1
                }
                if cut { break }
            }
            if e >= pathEnd { break }
            s = e + 1
        }
        if cut {
            // Back off to a character boundary, then "…".
            n = maxLength - 1
            while n > 0, out[n] & 0xC0 == 0x80 { n -= 1 }
            out[n] = 0xE2; out[n + 1] = 0x80; out[n + 2] = 0xA6
            n += 3
        } else if lastSegmentKept, isStaticFile(p, lastSegment) {
            return .staticFile
        }
        return .page(length: n)
    }

    @inline(__always)
    private static func append(_ b: UInt8, to out: UnsafeMutablePointer<UInt8>, _ n: inout Int) -> Bool {
        guard n < maxLength else { return false }
        out[n] = b
        n += 1
        return true
    }

    /// Whether the last segment names a static file by its extension.
    private static func isStaticFile(_ p: UnsafePointer<UInt8>, _ segment: Range<Int>) -> Bool {
        var dot = segment.upperBound - 1
        while dot >= segment.lowerBound, p[dot] != 0x2E { dot -= 1 }
        guard dot >= segment.lowerBound else { return false }
        let len = segment.upperBound - dot - 1
        guard len >= 2, len <= 5 else { return false }
        var key: UInt64 = 0
        for k in (dot + 1)..<segment.upperBound {
            var c = p[k]
            if c >= 0x41, c <= 0x5A { c |= 0x20 }
            key = key << 8 | UInt64(c)
        }
        return staticKeys.contains(key)
    }

    /// Whether the segment `p[s..<e]` is an identifier (see the type's comment).
    static func isIdentifier(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let len = e - s
        guard len > 0 else { return false }
        var digits = 0, hex = 0, upper = 0, lower = 0, hyphens = 0, other = 0
        var k = s
        while k < e {
            let c = p[k]
            if c &- 0x30 < 10 {
                digits += 1
                hex += 1
            } else if c &- 0x61 < 26 {
                lower += 1
                if c <= 0x66 { hex += 1 }
            } else if c &- 0x41 < 26 {
                upper += 1
                if c <= 0x46 { hex += 1 }
            } else if c == 0x2D {
                hyphens += 1
            } else if c == 0x40 {
                return true  // @
            } else if c != 0x5F {
                other += 1
            }
            k += 1
        }
        if digits == len || digits >= 13 { return true }
        if len == 36, hyphens == 4, hex == 32, p[s + 8] == 0x2D, p[s + 13] == 0x2D, p[s + 18] == 0x2D, p[s + 23] == 0x2D { return true }
        if hex == len, len >= 8, digits > 0 { return true }
        if len >= 16, other == 0, hyphens == 0, upper > 0, lower > 0, digits > 0 { return true }
        return false
    }
}
